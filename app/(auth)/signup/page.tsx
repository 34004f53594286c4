import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { SignupForm } from "@/components/auth/signup-form";
import { safeNextPath } from "@/lib/auth/next-path";

export const metadata: Metadata = { title: "Create account" };

export default async function SignupPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string }>;
}) {
  const { next } = await searchParams;
  return (
    <AuthCard
      title="Create your account"
      subtitle="Your keys are made in this browser; the server never sees your master password."
    >
      <SignupForm next={safeNextPath(next)} />
    </AuthCard>
  );
}
