"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { removeGroupMembersAction } from "@/app/organizations/[organizationId]/groups/actions";
import { StatusBadge } from "@/components/console/status-badge";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import type { GroupMemberRow } from "@/lib/console/groups";

export function GroupMembersList({
  organizationId,
  groupId,
  members,
}: {
  organizationId: string;
  groupId: string;
  members: GroupMemberRow[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function remove(member: GroupMemberRow) {
    startTransition(async () => {
      const result = await removeGroupMembersAction(organizationId, groupId, {
        memberIds: [member.id],
      });
      toast(
        result.ok ? `${member.email} removed from the group.` : result.error,
        result.ok ? "success" : "error",
      );
      router.refresh();
    });
  }

  if (members.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
        No members in this group yet. Add them by email above.
      </div>
    );
  }
  return (
    <ul
      aria-label="Group members"
      className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white"
    >
      {members.map((member) => (
        <li
          key={member.id}
          className="flex flex-wrap items-center justify-between gap-2 px-3 py-2.5 text-sm"
        >
          <div className="min-w-0">
            <p className="font-medium break-words">
              {member.name ?? member.email}{" "}
              <StatusBadge status={member.status} />
            </p>
            {member.name ? (
              <p className="break-all text-slate-600">{member.email}</p>
            ) : null}
          </div>
          <Button
            variant="ghost"
            disabled={pending}
            onClick={() => remove(member)}
            aria-label={`Remove ${member.email} from the group`}
            className="px-2.5 py-1 text-xs text-red-700 hover:bg-red-50"
          >
            Remove
          </Button>
        </li>
      ))}
    </ul>
  );
}
