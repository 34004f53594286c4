import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/console/page-header";
import { AddMembersForm } from "@/components/groups/add-members-form";
import { GroupCollectionsForm } from "@/components/groups/group-collections-form";
import { GroupMembersList } from "@/components/groups/group-members-list";
import { GroupSettings } from "@/components/groups/group-settings";
import { ScimMark } from "@/components/groups/scim-mark";
import { Alert } from "@/components/ui/alert";
import { hrefWith, Pager } from "@/components/ui/pager";
import { consoleAccess } from "@/lib/auth/console-access";
import { groupDetail } from "@/lib/console/groups";
import { isDomainError } from "@/lib/errors";

export const metadata: Metadata = { title: "Group" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ organizationId: string; groupId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { organizationId, groupId } = await params;
  const query = await searchParams;
  const { account, member } = await consoleAccess(organizationId, {
    manage: true,
  });
  let detail: Awaited<ReturnType<typeof groupDetail>>;
  try {
    detail = await groupDetail(account, organizationId, groupId, query);
  } catch (error) {
    if (isDomainError(error) && error.kind === "not_found") notFound();
    throw error;
  }
  const { group } = detail;
  const path = `/organizations/${organizationId}/groups/${group.id}`;
  const managedByScim = group.origin === "scim";

  return (
    <>
      <p className="mb-2 text-sm">
        <Link
          href={`/organizations/${organizationId}/groups`}
          className="text-blue-700 hover:underline"
        >
          ← Groups
        </Link>
      </p>
      <PageHeader
        title={group.displayName}
        description={
          <>
            {detail.memberCount.toLocaleString("en-US")}{" "}
            {detail.memberCount === 1 ? "member" : "members"}
            {managedByScim ? <ScimMark /> : null}
          </>
        }
      />
      {managedByScim ? (
        <div className="mb-6">
          <Alert tone="info">
            This group is managed by your identity provider over SCIM. It may
            overwrite changes you make here (name and members) the next time it
            pushes the group; change it in Okta or Entra instead.
          </Alert>
        </div>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section aria-labelledby="members-heading">
          <h2 id="members-heading" className="mb-3 text-lg font-semibold">
            Members
          </h2>
          <AddMembersForm organizationId={organizationId} groupId={group.id} />
          <GroupMembersList
            organizationId={organizationId}
            groupId={group.id}
            members={detail.members}
          />
          <Pager
            label="Group member pages"
            first={detail.previousCursor ? path : undefined}
            previous={
              detail.previousCursor
                ? hrefWith(path, {}, { before: detail.previousCursor })
                : undefined
            }
            next={
              detail.nextCursor
                ? hrefWith(path, {}, { after: detail.nextCursor })
                : undefined
            }
          />
        </section>

        <div className="space-y-6">
          <section
            aria-labelledby="collections-heading"
            className="rounded-lg border border-slate-200 bg-white p-5"
          >
            <h2 id="collections-heading" className="text-base font-semibold">
              Collections this group can open
            </h2>
            <GroupCollectionsForm
              organizationId={organizationId}
              groupId={group.id}
              collections={detail.collections}
              granted={detail.grantedCollectionIds}
              encryptedOrganizationKey={member.organizationKey}
            />
          </section>
          <GroupSettings
            organizationId={organizationId}
            groupId={group.id}
            displayName={group.displayName}
            managedByScim={managedByScim}
          />
        </div>
      </div>
    </>
  );
}
