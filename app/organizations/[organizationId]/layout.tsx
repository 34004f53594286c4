import { notFound } from "next/navigation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { ConsoleNav } from "@/components/console/console-nav";
import { OrganizationSwitcher } from "@/components/console/organization-switcher";
import { KeyGuard } from "@/components/keys/key-guard";
import { Toaster } from "@/components/ui/toast";
import { requireAccount } from "@/lib/auth/session";
import {
  canManage,
  findMembership,
  organizationsOf,
} from "@/lib/organizations";

export default async function ConsoleLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ organizationId: string }>;
}) {
  const { organizationId } = await params;
  const account = await requireAccount();
  const membership = await findMembership(account.id, organizationId);
  if (!membership) notFound();

  const base = `/organizations/${organizationId}`;
  const items = [{ href: `${base}/vault`, label: "Vault" }];
  if (canManage(membership.member)) {
    items.push(
      { href: `${base}/members`, label: "Members" },
      { href: `${base}/groups`, label: "Groups" },
      { href: `${base}/events`, label: "Event log" },
      { href: `${base}/settings`, label: "Settings" },
    );
  }

  return (
    <div className="min-h-screen">
      <KeyGuard />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-2">
          <OrganizationSwitcher
            current={membership.organization}
            organizations={await organizationsOf(account.id)}
          />
          <div className="flex items-center gap-2 text-sm">
            <a
              href="/account"
              className="hidden text-slate-600 hover:underline sm:inline"
            >
              {account.email}
            </a>
            <SignOutButton />
          </div>
        </div>
        <div className="mx-auto max-w-6xl px-2 pb-1">
          <ConsoleNav items={items} />
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
      <Toaster />
    </div>
  );
}
