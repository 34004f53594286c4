import type { EventRow } from "@/lib/console/events";

function utc(date: Date) {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function EventTable({
  rows,
  emptyText,
}: {
  rows: EventRow[];
  emptyText: string;
}) {
  if (rows.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
        {emptyText}
      </div>
    );
  }
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Events, newest first</caption>
        <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase md:table-header-group">
          <tr>
            <th scope="col" className="px-3 py-2">
              Time
            </th>
            <th scope="col" className="px-3 py-2">
              Actor
            </th>
            <th scope="col" className="px-3 py-2">
              Event
            </th>
            <th scope="col" className="px-3 py-2">
              Target
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {rows.map((row) => (
            <tr key={row.id} className="block px-3 py-3 md:table-row md:p-0">
              <td className="block text-xs whitespace-nowrap text-slate-600 md:table-cell md:px-3 md:py-2.5 md:text-sm">
                <time dateTime={row.createdAt.toISOString()}>
                  {utc(row.createdAt)}
                </time>
              </td>
              <td className="block font-medium md:table-cell md:px-3 md:py-2.5">
                {row.actorType === "scim" ? (
                  <span className="inline-flex rounded border border-violet-300 bg-violet-50 px-1.5 py-0.5 text-xs font-semibold text-violet-800">
                    {row.actorLabel}
                  </span>
                ) : (
                  <span className="break-all">{row.actorLabel}</span>
                )}
              </td>
              <td className="block md:table-cell md:px-3 md:py-2.5">
                {row.event}
                {row.details ? (
                  <span className="block text-xs text-slate-600">
                    {row.details}
                  </span>
                ) : null}
              </td>
              <td className="block break-all text-slate-700 md:table-cell md:px-3 md:py-2.5">
                {row.targetLabel ?? (row.targetType ? row.targetType : "—")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
