import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/console/page-header";
import { NewGroupForm } from "@/components/groups/new-group-form";
import { ScimMark } from "@/components/groups/scim-mark";
import { hrefWith, Pager } from "@/components/ui/pager";
import { consoleAccess } from "@/lib/auth/console-access";
import { groupsPage } from "@/lib/console/groups";

export const metadata: Metadata = { title: "Groups" };

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
  const page = await groupsPage(account, organizationId, query);
  const path = `/organizations/${organizationId}/groups`;

  return (
    <>
      <PageHeader
        title="Groups"
        description={`${organization.name} · Groups decide which vault collections members can open. ${page.total.toLocaleString("en-US")} ${page.total === 1 ? "group" : "groups"}.`}
      />
      <NewGroupForm organizationId={organizationId} />

      {page.rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
          No groups yet. Create one above, or push groups from Okta (
          <Link
            href={`/organizations/${organizationId}/settings/scim`}
            className="font-medium text-blue-700 underline"
          >
            SCIM settings
          </Link>
          ).
        </div>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Groups</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Group
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Members
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {page.rows.map((group) => (
                <tr key={group.id}>
                  <td className="px-3 py-2.5">
                    <Link
                      href={`${path}/${group.id}`}
                      className="font-medium break-words text-blue-800 hover:underline"
                    >
                      {group.displayName}
                    </Link>
                    {group.origin === "scim" ? <ScimMark /> : null}
                  </td>
                  <td className="px-3 py-2.5 text-right tabular-nums">
                    {group.memberCount.toLocaleString("en-US")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        label="Groups pages"
        first={page.previousCursor ? path : undefined}
        previous={
          page.previousCursor
            ? hrefWith(path, {}, { before: page.previousCursor })
            : undefined
        }
        next={
          page.nextCursor
            ? hrefWith(path, {}, { after: page.nextCursor })
            : undefined
        }
      />
    </>
  );
}
