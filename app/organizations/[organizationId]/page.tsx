import { notFound, redirect } from "next/navigation";
import { requireAccount } from "@/lib/auth/session";
import { canManage, findMembership } from "@/lib/organizations";

export default async function OrganizationHome({
  params,
}: {
  params: Promise<{ organizationId: string }>;
}) {
  const { organizationId } = await params;
  const account = await requireAccount();
  const membership = await findMembership(account.id, organizationId);
  if (!membership) notFound();
  redirect(
    `/organizations/${organizationId}/${canManage(membership.member) ? "members" : "vault"}`,
  );
}
