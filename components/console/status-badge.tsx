import type { MemberStatus } from "@/db/schema";

const badges: Partial<
  Record<MemberStatus, { label: string; className: string }>
> = {
  invited: { label: "Invited", className: "bg-amber-100 text-amber-900" },
  accepted: {
    label: "Needs confirmation",
    className: "bg-blue-100 text-blue-900",
  },
  revoked: { label: "Revoked", className: "bg-red-100 text-red-900" },
  staged: { label: "Staged", className: "bg-slate-200 text-slate-800" },
};

/** The member status badge; confirmed members have none. */
export function StatusBadge({ status }: { status: MemberStatus }) {
  const badge = badges[status];
  if (!badge) return null;
  return (
    <span
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${badge.className}`}
    >
      {badge.label}
    </span>
  );
}

export const statusLabels: Record<MemberStatus, string> = {
  invited: "Invited",
  accepted: "Needs confirmation",
  confirmed: "Confirmed",
  revoked: "Revoked",
  staged: "Staged",
};
