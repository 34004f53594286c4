"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  changeRoleAction,
  memberActionAction,
} from "@/app/organizations/[organizationId]/members/actions";
import { StatusBadge } from "@/components/console/status-badge";
import { ConfirmDialog } from "@/components/members/confirm-dialog";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import type { MemberRole, MemberStatus } from "@/db/schema";
import type { MemberRow } from "@/lib/console/members";

type Action =
  "resend-invitation" | "send-invitation" | "revoke" | "restore" | "remove";

const actionLabels: Record<Action, string> = {
  "resend-invitation": "Resend invitation",
  "send-invitation": "Send invitation",
  revoke: "Revoke",
  restore: "Restore",
  remove: "Remove",
};

/** The actions of each status (SPEC 4); Confirm is the onboarding dialog. */
const actionsOf: Record<MemberStatus, Action[]> = {
  invited: ["resend-invitation", "revoke", "remove"],
  staged: ["send-invitation", "revoke", "remove"],
  accepted: ["revoke", "remove"],
  confirmed: ["revoke", "remove"],
  revoked: ["restore", "remove"],
};

const bulkOrder: Action[] = [
  "resend-invitation",
  "send-invitation",
  "restore",
  "revoke",
  "remove",
];

export interface Viewer {
  memberId: string;
  role: MemberRole;
}

export function MembersTable({
  organizationId,
  rows,
  viewer,
  emptyText,
}: {
  organizationId: string;
  rows: MemberRow[];
  viewer: Viewer;
  emptyText: string;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, startTransition] = useTransition();
  const [removing, setRemoving] = useState<MemberRow[] | undefined>();
  const [confirming, setConfirming] = useState(false);

  const visibleSelection = rows.filter((row) => selected.has(row.id));
  const allSelected =
    rows.length > 0 && visibleSelection.length === rows.length;

  function toggle(id: string, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function run(action: Action, targets: MemberRow[]) {
    startTransition(async () => {
      const result = await memberActionAction(organizationId, {
        action,
        memberIds: targets.map((row) => row.id),
      });
      if (!result.ok) {
        toast(result.error, "error");
      } else {
        const { done, skipped, message } = result.value;
        toast(
          message,
          done === 0 ? "error" : skipped.length ? "info" : "success",
        );
        setSelected(new Set());
      }
      setRemoving(undefined);
      router.refresh();
    });
  }

  function changeRole(row: MemberRow, role: MemberRole) {
    startTransition(async () => {
      const result = await changeRoleAction(organizationId, {
        memberId: row.id,
        role,
      });
      toast(
        result.ok ? result.value : result.error,
        result.ok ? "success" : "error",
      );
      router.refresh();
    });
  }

  const request = (action: Action, targets: MemberRow[]) =>
    action === "remove" ? setRemoving(targets) : run(action, targets);

  const bulkActions = bulkOrder
    .map((action) => ({
      action,
      count: visibleSelection.filter((row) =>
        actionsOf[row.status].includes(action),
      ).length,
    }))
    .filter(({ count }) => count > 0);
  const confirmable = visibleSelection.filter(
    (row) => row.status === "accepted",
  );

  if (rows.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
        {emptyText}
      </div>
    );
  }

  return (
    <>
      <div
        role="region"
        aria-label="Bulk actions"
        className={`mb-3 flex flex-wrap items-center gap-2 rounded-md border px-3 py-2 text-sm ${
          visibleSelection.length
            ? "border-blue-200 bg-blue-50"
            : "border-slate-200 bg-white text-slate-600"
        }`}
      >
        <span className="mr-2 font-medium" aria-live="polite">
          {visibleSelection.length
            ? `${visibleSelection.length} selected`
            : "Select members to act on several at once"}
        </span>
        {confirmable.length ? (
          <Button
            variant="secondary"
            disabled={pending}
            onClick={() => setConfirming(true)}
          >
            Confirm ({confirmable.length})
          </Button>
        ) : null}
        {bulkActions.map(({ action, count }) => (
          <Button
            key={action}
            variant={action === "remove" ? "danger" : "secondary"}
            disabled={pending}
            onClick={() =>
              request(
                action,
                visibleSelection.filter((row) =>
                  actionsOf[row.status].includes(action),
                ),
              )
            }
          >
            {actionLabels[action]} ({count})
          </Button>
        ))}
        {visibleSelection.length ? (
          <Button variant="ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        ) : null}
      </div>

      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Members</caption>
          <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase md:table-header-group">
            <tr>
              <th scope="col" className="w-10 px-3 py-2">
                <input
                  type="checkbox"
                  aria-label="Select every member on this page"
                  checked={allSelected}
                  onChange={(event) =>
                    setSelected(
                      event.target.checked
                        ? new Set(rows.map((row) => row.id))
                        : new Set(),
                    )
                  }
                  className="size-4 accent-blue-700"
                />
              </th>
              <th scope="col" className="px-3 py-2">
                Name
              </th>
              <th scope="col" className="px-3 py-2">
                Email
              </th>
              <th scope="col" className="px-3 py-2">
                Status
              </th>
              <th scope="col" className="px-3 py-2">
                Role
              </th>
              <th scope="col" className="px-3 py-2">
                Groups
              </th>
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {rows.map((row) => (
              <tr key={row.id} className="block px-3 py-3 md:table-row md:p-0">
                <td className="float-left mr-3 pt-0.5 md:float-none md:w-10 md:px-3 md:py-2.5">
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.email}`}
                    checked={selected.has(row.id)}
                    onChange={(event) => toggle(row.id, event.target.checked)}
                    className="size-4 accent-blue-700"
                  />
                </td>
                <td className="block font-medium text-slate-900 md:table-cell md:px-3 md:py-2.5">
                  <span className="break-words">{row.name ?? "—"}</span>
                  {row.origin === "scim" ? (
                    <span
                      title="Provisioned by your identity provider over SCIM"
                      className="ml-2 inline-flex rounded border border-violet-300 bg-violet-50 px-1.5 py-0.5 align-middle text-[11px] font-semibold tracking-wide text-violet-800"
                    >
                      SCIM
                    </span>
                  ) : null}
                  {row.id === viewer.memberId ? (
                    <span className="ml-2 text-xs font-normal text-slate-500">
                      (you)
                    </span>
                  ) : null}
                </td>
                <td className="block break-all text-slate-700 md:table-cell md:px-3 md:py-2.5">
                  {row.email}
                </td>
                <td className="mt-1 block md:mt-0 md:table-cell md:px-3 md:py-2.5">
                  <StatusBadge status={row.status} />
                </td>
                <td className="mt-2 block md:mt-0 md:table-cell md:px-3 md:py-2.5">
                  <label className="sr-only" htmlFor={`role-${row.id}`}>
                    Role of {row.email}
                  </label>
                  <select
                    id={`role-${row.id}`}
                    value={row.role}
                    disabled={
                      pending ||
                      (row.role === "owner" && viewer.role !== "owner")
                    }
                    onChange={(event) =>
                      changeRole(row, event.target.value as MemberRole)
                    }
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-blue-600 disabled:bg-slate-100 disabled:text-slate-500"
                  >
                    <option value="owner" disabled={viewer.role !== "owner"}>
                      Owner
                    </option>
                    <option value="admin">Admin</option>
                    <option value="user">User</option>
                  </select>
                </td>
                <td className="mt-2 block md:mt-0 md:table-cell md:px-3 md:py-2.5">
                  {row.groups.length ? (
                    <ul
                      className="flex flex-wrap gap-1"
                      aria-label={`Groups of ${row.email}`}
                    >
                      {row.groups.map((group) => (
                        <li key={group.id}>
                          <Link
                            href={`/organizations/${organizationId}/groups/${group.id}`}
                            className="inline-flex rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800 hover:bg-slate-200"
                          >
                            {group.displayName}
                          </Link>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-xs whitespace-nowrap text-slate-500 md:text-sm">
                      No groups
                    </span>
                  )}
                </td>
                <td className="mt-3 block md:mt-0 md:table-cell md:px-3 md:py-2.5 md:text-right">
                  <div className="flex flex-wrap gap-1.5 md:flex-nowrap md:justify-end">
                    {row.status === "accepted" ? (
                      <ConfirmDialog
                        organizationId={organizationId}
                        member={{
                          id: row.id,
                          email: row.email,
                          name: row.name,
                        }}
                        onConfirmed={(message) => {
                          toast(message);
                          router.refresh();
                        }}
                      />
                    ) : null}
                    {actionsOf[row.status].map((action) => (
                      <Button
                        key={action}
                        variant={action === "remove" ? "ghost" : "secondary"}
                        disabled={pending}
                        onClick={() => request(action, [row])}
                        aria-label={`${actionLabels[action]} ${row.email}`}
                        className={`px-2.5 py-1 text-xs ${action === "remove" ? "text-red-700 hover:bg-red-50" : ""}`}
                      >
                        {actionLabels[action]}
                      </Button>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <Dialog
        open={Boolean(removing)}
        onClose={() => setRemoving(undefined)}
        title={
          removing?.length === 1
            ? `Remove ${removing[0].email}?`
            : `Remove ${removing?.length ?? 0} members?`
        }
        description={
          <>
            <p>
              Removing deletes the membership and its group memberships. The
              person&apos;s account stays, but they lose access to this
              organization&apos;s vault. To let them back in, invite them again.
            </p>
            {removing?.some((row) => row.origin === "scim") ? (
              <p className="mt-2">
                Members provisioned by SCIM come back if your identity provider
                still assigns them; unassign them there first.
              </p>
            ) : null}
          </>
        }
      >
        {removing && removing.length > 1 ? (
          <ul className="mb-4 max-h-40 overflow-y-auto rounded border border-slate-200 p-2 text-sm">
            {removing.map((row) => (
              <li key={row.id} className="break-all">
                {row.email}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setRemoving(undefined)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={pending}
            onClick={() => removing && run("remove", removing)}
          >
            {removing?.length === 1
              ? "Remove member"
              : `Remove ${removing?.length ?? 0} members`}
          </Button>
        </div>
      </Dialog>

      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Confirm members"
        description="Confirm each member after comparing the fingerprint phrase with the words on their account page."
      >
        <ul className="divide-y divide-slate-200">
          {confirmable.map((row) => (
            <li
              key={row.id}
              className="flex items-center justify-between gap-3 py-2 text-sm"
            >
              <span className="break-all">
                {row.name ? `${row.name} · ${row.email}` : row.email}
              </span>
              <ConfirmDialog
                organizationId={organizationId}
                member={{ id: row.id, email: row.email, name: row.name }}
                onConfirmed={(message) => {
                  toast(message);
                  toggle(row.id, false);
                  router.refresh();
                }}
              />
            </li>
          ))}
        </ul>
        <div className="mt-4 flex justify-end">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Done
          </Button>
        </div>
      </Dialog>
    </>
  );
}
