import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { KeyGuard } from "@/components/keys/key-guard";
import { CreateOrganizationForm } from "@/components/organizations/create-organization-form";
import { StatusBadge } from "@/components/console/status-badge";
import { requireAccount } from "@/lib/auth/session";
import { organizationsOf } from "@/lib/organizations";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  const account = await requireAccount();
  const organizations = await organizationsOf(account.id);

  return (
    <main className="mx-auto max-w-3xl px-4 py-10">
      <KeyGuard />
      <header className="mb-8 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Organizations</h1>
          <p className="text-sm break-all text-slate-600">
            Signed in as {account.email}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <Link
            href="/account"
            className="text-sm font-medium text-blue-700 underline"
          >
            Account
          </Link>
          <SignOutButton />
        </div>
      </header>

      <section aria-labelledby="your-organizations" className="mb-10">
        <h2 id="your-organizations" className="mb-3 text-lg font-medium">
          Your organizations
        </h2>
        {organizations.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
            You are not in any organization yet. Create one below, or open the
            invitation link you were emailed.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {organizations.map((organization) => (
              <li key={organization.id}>
                <Link
                  href={`/organizations/${organization.id}`}
                  className="flex items-center justify-between gap-3 px-4 py-3 hover:bg-slate-50"
                >
                  <span className="font-medium">{organization.name}</span>
                  <span className="flex items-center gap-2 text-sm text-slate-600">
                    <StatusBadge status={organization.status} />
                    <span className="capitalize">{organization.role}</span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="new-organization">
        <h2 id="new-organization" className="mb-3 text-lg font-medium">
          New organization
        </h2>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <CreateOrganizationForm />
        </div>
      </section>
    </main>
  );
}
