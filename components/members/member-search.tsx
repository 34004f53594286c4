import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { SEARCH_MAX_LENGTH, type MemberSort } from "@/lib/console/members";

const sortLabels: Record<MemberSort, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  email: "Email A–Z",
  "email-desc": "Email Z–A",
};

/** Search and sort as a plain GET form: works before script loads, and links keep it. */
export function MemberSearch({
  path,
  tab,
  q,
  sort,
}: {
  path: string;
  tab?: string;
  q: string;
  sort: MemberSort;
}) {
  return (
    <form
      role="search"
      action={path}
      method="get"
      className="mb-4 flex flex-wrap items-end gap-3"
    >
      {tab ? <input type="hidden" name="tab" value={tab} /> : null}
      <div className="min-w-0 flex-1 basis-64">
        <label
          htmlFor="member-search"
          className="mb-1 block text-sm font-medium text-slate-800"
        >
          Search members
        </label>
        <input
          id="member-search"
          name="q"
          type="search"
          defaultValue={q}
          maxLength={SEARCH_MAX_LENGTH}
          placeholder="Start of an email or a name"
          aria-describedby="member-search-hint"
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-blue-600"
        />
        <p id="member-search-hint" className="sr-only">
          Finds members whose email address, first name, last name or display
          name starts with what you type.
        </p>
      </div>
      <div>
        <label
          htmlFor="member-sort"
          className="mb-1 block text-sm font-medium text-slate-800"
        >
          Sort by
        </label>
        <select
          id="member-sort"
          name="sort"
          defaultValue={sort}
          className="block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-blue-600"
        >
          {Object.entries(sortLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass("secondary")}>
          Search
        </button>
        {q ? (
          <Link
            href={tab ? `${path}?tab=${tab}` : path}
            className={buttonClass("ghost")}
          >
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
