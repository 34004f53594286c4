import Link from "next/link";

/** Builds a link to the same page with some query parameters changed. */
export function hrefWith(
  path: string,
  current: Record<string, string | undefined>,
  changes: Record<string, string | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...current, ...changes })) {
    if (value) query.set(key, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

const linkClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100";
const disabledClass =
  "rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400";

/** First / Previous / Next / Last links of a keyset-paged list. */
export function Pager({
  label,
  first,
  previous,
  next,
  last,
  summary,
}: {
  label: string;
  first?: string;
  previous?: string;
  next?: string;
  last?: string;
  summary?: React.ReactNode;
}) {
  const item = (text: string, href?: string, rel?: string) =>
    href ? (
      <Link href={href} rel={rel} className={linkClass}>
        {text}
      </Link>
    ) : (
      <span aria-disabled="true" className={disabledClass}>
        {text}
      </span>
    );
  return (
    <nav
      aria-label={label}
      className="mt-4 flex flex-wrap items-center justify-between gap-3"
    >
      <p className="text-sm text-slate-600">{summary}</p>
      <div className="flex flex-wrap gap-2">
        {first !== undefined ? item("First", first) : null}
        {item("Previous", previous, "prev")}
        {item("Next", next, "next")}
        {last !== undefined ? item("Last", last) : null}
      </div>
    </nav>
  );
}
