import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { eventWording } from "@/lib/console/event-wording";

const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-xs focus-visible:outline-2 focus-visible:outline-blue-600";

/** Type and date filters as a GET form, so that the URL (and the export) carry them. */
export function EventFilters({
  path,
  filter,
}: {
  path: string;
  filter: { type?: string; from?: string; to?: string };
}) {
  const types = Object.entries(eventWording).sort(([, a], [, b]) =>
    a.localeCompare(b),
  );
  return (
    <form
      action={path}
      method="get"
      aria-label="Filter events"
      className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end"
    >
      <div>
        <label htmlFor="event-type" className="mb-1 block text-sm font-medium">
          Event
        </label>
        <select
          id="event-type"
          name="type"
          defaultValue={filter.type ?? ""}
          className={inputClass}
        >
          <option value="">All events</option>
          {types.map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="event-from" className="mb-1 block text-sm font-medium">
          From
        </label>
        <input
          id="event-from"
          name="from"
          type="date"
          defaultValue={filter.from}
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor="event-to" className="mb-1 block text-sm font-medium">
          To
        </label>
        <input
          id="event-to"
          name="to"
          type="date"
          defaultValue={filter.to}
          className={inputClass}
        />
      </div>
      <div className="flex gap-2">
        <button type="submit" className={buttonClass("primary")}>
          Filter
        </button>
        {filter.type || filter.from || filter.to ? (
          <Link href={path} className={buttonClass("ghost")}>
            Reset
          </Link>
        ) : null}
      </div>
    </form>
  );
}
