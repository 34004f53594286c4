import Link from "next/link";

/** A disclosure listing the account's organizations; works without script. */
export function OrganizationSwitcher({
  current,
  organizations,
}: {
  current: { id: string; name: string };
  organizations: { id: string; name: string }[];
}) {
  return (
    <details className="relative">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 font-semibold hover:bg-slate-100">
        <span className="max-w-[14rem] truncate">{current.name}</span>
        <span aria-hidden="true" className="text-slate-500">
          ▾
        </span>
        <span className="sr-only">Switch organization</span>
      </summary>
      <div className="absolute left-0 z-20 mt-1 w-64 rounded-md border border-slate-200 bg-white py-1 shadow-lg">
        <ul>
          {organizations.map((organization) => (
            <li key={organization.id}>
              <Link
                href={`/organizations/${organization.id}`}
                aria-current={
                  organization.id === current.id ? "true" : undefined
                }
                className="block truncate px-3 py-2 text-sm hover:bg-slate-100 aria-[current]:font-semibold"
              >
                {organization.name}
              </Link>
            </li>
          ))}
        </ul>
        <div className="border-t border-slate-200">
          <Link
            href="/organizations"
            className="block px-3 py-2 text-sm text-blue-700 hover:bg-slate-100"
          >
            All organizations · New organization
          </Link>
        </div>
      </div>
    </details>
  );
}
