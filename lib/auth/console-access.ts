import { notFound } from "next/navigation";
import { requireAccount } from "@/lib/auth/session";
import { canManage, findMembership } from "@/lib/organizations";

/**
 * For console pages: the signed-in member of the organization, or a 404 page
 * for anyone else. `manage` limits the page to confirmed owners and admins.
 */
export async function consoleAccess(
  organizationId: string,
  { manage = false } = {},
) {
  const account = await requireAccount();
  const membership = await findMembership(account.id, organizationId);
  if (!membership) notFound();
  if (manage && !canManage(membership.member)) notFound();
  return { account, ...membership };
}
