import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { invitations, organizations, type Member } from "@/db/schema";
import { queueEmail } from "@/lib/email/outbox";
import { invitationEmail } from "@/lib/email/templates";
import { settings } from "@/lib/settings";
import { hashToken, randomToken } from "@/lib/tokens";

export const INVITATION_LIFETIME_MS = 5 * 24 * 60 * 60 * 1000;

export function invitationLink(memberId: string, token: string): string {
  return `${settings().APP_URL}/invite/${memberId}?token=${token}`;
}

/**
 * Creates the member's invitation, replacing any earlier one (whose link stops
 * working), and queues the email on the same transaction.
 */
export async function issueInvitation(
  executor: Executor,
  member: Pick<Member, "id" | "organizationId" | "email">,
  now = new Date(),
): Promise<{ expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
  await executor
    .insert(invitations)
    .values({ memberId: member.id, tokenHash: hashToken(token), expiresAt })
    .onConflictDoUpdate({
      target: invitations.memberId,
      set: {
        tokenHash: hashToken(token),
        expiresAt,
        acceptedAt: null,
        createdAt: now,
      },
    });

  const [organization] = await executor
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, member.organizationId));
  await queueEmail(executor, {
    organizationId: member.organizationId,
    kind: "invitation",
    recipient: member.email,
    ...invitationEmail({
      organizationName: organization?.name ?? "your organization",
      link: invitationLink(member.id, token),
      expiresAt,
    }),
  });
  return { expiresAt };
}
