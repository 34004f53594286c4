import type { Metadata } from "next";
import { PageHeader } from "@/components/console/page-header";
import { EventFilters } from "@/components/events/event-filters";
import { EventTable } from "@/components/events/event-table";
import { hrefWith, Pager } from "@/components/ui/pager";
import { Alert } from "@/components/ui/alert";
import { consoleAccess } from "@/lib/auth/console-access";
import { eventsPage, parseEventFilter } from "@/lib/console/events";

export const metadata: Metadata = { title: "Event log" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ organizationId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { organizationId } = await params;
  const query = await searchParams;
  const { account, organization } = await consoleAccess(organizationId, {
    manage: true,
  });
  const filter = parseEventFilter(query);
  const page = await eventsPage(account, organizationId, query);

  const path = `/organizations/${organizationId}/events`;
  const kept = { type: filter.type, from: filter.from, to: filter.to };
  const exportHref = hrefWith(`${path}/export`, kept, {});
  const filtered = Boolean(filter.type || filter.from || filter.to);

  return (
    <>
      <PageHeader
        title="Event log"
        description={`${organization.name} · Every change made in the console or over SCIM. Times are in UTC.`}
        actions={
          <a
            href={exportHref}
            download
            className="inline-flex items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100"
          >
            Export CSV
          </a>
        }
      />
      <EventFilters path={path} filter={kept} />
      {page.problem ? (
        <div className="mb-4">
          <Alert>{page.problem}</Alert>
        </div>
      ) : null}
      <EventTable
        rows={page.rows}
        emptyText={
          filtered
            ? "No events match these filters. Widen the date range or choose All events."
            : "No events yet. Changes to members, groups and SCIM settings appear here."
        }
      />
      <Pager
        label="Event log pages"
        first={page.previousCursor ? hrefWith(path, kept, {}) : undefined}
        previous={
          page.previousCursor
            ? hrefWith(path, kept, { before: page.previousCursor })
            : undefined
        }
        next={
          page.nextCursor
            ? hrefWith(path, kept, { after: page.nextCursor })
            : undefined
        }
      />
    </>
  );
}
