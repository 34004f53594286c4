import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { UnlockForm } from "@/components/auth/unlock-form";
import { safeNextPath } from "@/lib/auth/next-path";
import { requireAccount } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Unlock" };

export default async function UnlockPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string }>;
}) {
  const account = await requireAccount();
  const { next } = await searchParams;
  return (
    <AuthCard
      title="Unlock your keys"
      subtitle="Your keys are locked in this tab. Enter your master password to open them."
    >
      <UnlockForm email={account.email} next={safeNextPath(next)} />
    </AuthCard>
  );
}
