import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Fingerprint } from "@/components/invite/fingerprint";
import { requireAccount } from "@/lib/auth/session";
import { fingerprintPhrase } from "@/lib/crypto";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const account = await requireAccount();
  const phrase = await fingerprintPhrase(account.publicKey);

  return (
    <main className="mx-auto max-w-2xl px-4 py-10">
      <header className="mb-8 flex flex-wrap items-center justify-between gap-4">
        <div>
          <Link
            href="/organizations"
            className="text-sm font-medium text-blue-700 underline"
          >
            ← Organizations
          </Link>
          <h1 className="mt-2 text-2xl font-semibold">Your account</h1>
        </div>
        <SignOutButton />
      </header>

      <section
        aria-labelledby="profile"
        className="mb-6 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 id="profile" className="sr-only">
          Profile
        </h2>
        <dl className="grid gap-x-4 gap-y-3 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="text-slate-500">Name</dt>
          <dd className="font-medium break-words">{account.name}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd className="font-medium break-all">{account.email}</dd>
        </dl>
      </section>

      <section
        aria-labelledby="fingerprint"
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 id="fingerprint" className="text-lg font-medium">
          Your fingerprint phrase
        </h2>
        <p className="text-sm text-slate-700">
          These words are derived from your public key. Before an administrator
          confirms you, they see the same words; if they ask, read them out over
          a channel you trust, such as a call. If the words differ, they must
          not confirm.
        </p>
        <Fingerprint phrase={phrase} />
      </section>
    </main>
  );
}
