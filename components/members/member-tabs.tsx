import Link from "next/link";
import { hrefWith } from "@/components/ui/pager";
import type { MemberTab, StatusCounts } from "@/lib/console/members";

const tabs: {
  tab: MemberTab;
  label: string;
  count: (c: StatusCounts) => number;
}[] = [
  { tab: "all", label: "All", count: (c) => c.all },
  { tab: "invited", label: "Invited", count: (c) => c.invited },
  {
    tab: "needs-confirmation",
    label: "Needs confirmation",
    count: (c) => c.accepted,
  },
  { tab: "revoked", label: "Revoked", count: (c) => c.revoked },
  { tab: "staged", label: "Staged", count: (c) => c.staged },
];

/** The status tabs; Staged appears only when someone is staged. */
export function MemberTabs({
  path,
  current,
  counts,
  kept,
}: {
  path: string;
  current: MemberTab;
  counts: StatusCounts;
  kept: Record<string, string | undefined>;
}) {
  return (
    <nav
      aria-label="Member status"
      className="mb-4 overflow-x-auto border-b border-slate-200"
    >
      <ul className="flex gap-1">
        {tabs
          .filter(
            ({ tab, count }) =>
              tab !== "staged" || count(counts) > 0 || current === "staged",
          )
          .map(({ tab, label, count }) => {
            const selected = tab === current;
            return (
              <li key={tab}>
                <Link
                  href={hrefWith(
                    path,
                    { ...kept, tab: undefined },
                    { tab: tab === "all" ? undefined : tab },
                  )}
                  aria-current={selected ? "page" : undefined}
                  className={`-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
                    selected
                      ? "border-blue-700 text-blue-800"
                      : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                  }`}
                >
                  {label}
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs ${selected ? "bg-blue-100 text-blue-900" : "bg-slate-100 text-slate-700"}`}
                  >
                    {count(counts).toLocaleString("en-US")}
                  </span>
                </Link>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}
