import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/console/page-header";
import { InviteMemberDialog } from "@/components/members/invite-member-dialog";
import { MemberSearch } from "@/components/members/member-search";
import { MembersTable } from "@/components/members/members-table";
import { MemberTabs } from "@/components/members/member-tabs";
import { buttonClass } from "@/components/ui/button";
import { hrefWith, Pager } from "@/components/ui/pager";
import { consoleAccess } from "@/lib/auth/console-access";
import {
  membersPage,
  parseMemberListParams,
  SEARCH_COUNT_LIMIT,
} from "@/lib/console/members";

export const metadata: Metadata = { title: "Members" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ organizationId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { organizationId } = await params;
  const query = await searchParams;
  const { account, organization, member } = await consoleAccess(
    organizationId,
    { manage: true },
  );
  const list = parseMemberListParams(query);
  const page = await membersPage(account, organizationId, query);

  const path = `/organizations/${organizationId}/members`;
  const kept = {
    tab: list.tab === "all" ? undefined : list.tab,
    q: list.q || undefined,
    sort: list.sort === "newest" ? undefined : list.sort,
  };
  const onlyOwner = page.counts.all <= 1;
  const matching =
    page.matching > SEARCH_COUNT_LIMIT
      ? `${SEARCH_COUNT_LIMIT.toLocaleString("en-US")}+`
      : page.matching.toLocaleString("en-US");

  return (
    <>
      <PageHeader
        title="Members"
        description={`${organization.name} · ${page.counts.all.toLocaleString("en-US")} ${page.counts.all === 1 ? "member" : "members"}`}
        actions={
          <InviteMemberDialog
            organizationId={organizationId}
            canInviteOwners={member.role === "owner"}
          />
        }
      />

      {onlyOwner && !page.scimEnabled ? (
        <section
          aria-labelledby="connect-heading"
          className="mb-6 rounded-lg border border-blue-200 bg-blue-50 p-5"
        >
          <h2
            id="connect-heading"
            className="text-base font-semibold text-blue-950"
          >
            You are the only member so far
          </h2>
          <p className="mt-1 text-sm text-blue-950">
            Connect your identity provider so that people and groups arrive on
            their own, or invite someone by email.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Link
              href={`/organizations/${organizationId}/settings/scim`}
              className={buttonClass("primary")}
            >
              Connect Okta
            </Link>
          </div>
        </section>
      ) : null}

      <MemberTabs
        path={path}
        current={list.tab}
        counts={page.counts}
        kept={kept}
      />
      <MemberSearch path={path} tab={kept.tab} q={list.q} sort={list.sort} />

      {list.q ? (
        <p className="mb-2 text-sm text-slate-700" role="status">
          {page.matching === 0
            ? `No members start with “${list.q}”. Search matches the beginning of an email address, a first or last name, or a display name.`
            : `${matching} ${page.matching === 1 ? "member matches" : "members match"} “${list.q}”.`}
        </p>
      ) : null}

      <MembersTable
        organizationId={organizationId}
        rows={page.rows}
        viewer={{ memberId: member.id, role: member.role }}
        emptyText={
          list.q
            ? "Try the beginning of the email address or of a name."
            : list.tab === "all"
              ? "No members yet. Invite someone, or connect your identity provider."
              : "No members with this status."
        }
      />

      <Pager
        label="Members pages"
        summary={
          page.rows.length
            ? `Showing ${page.rows.length} of ${matching}`
            : undefined
        }
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
        last={page.nextCursor ? hrefWith(path, kept, { last: "1" }) : undefined}
      />
    </>
  );
}
