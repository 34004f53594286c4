import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "@/db/client";
import {
  accounts,
  events,
  invitations,
  members,
  organizations,
  type Account,
  type Member,
} from "@/db/schema";
import { normalizeEmail } from "@/lib/crypto";
import { queueEmail } from "@/lib/email/outbox";
import {
  memberAcceptedEmail,
  memberConfirmedEmail,
} from "@/lib/email/templates";
import { DomainError, invalid, notFound, type ErrorKind } from "@/lib/errors";
import { recordEvent, type Actor } from "@/lib/events";
import { issueInvitation } from "@/lib/invitations";
import {
  accountActor,
  canManage,
  isUuid,
  membershipWhere,
} from "@/lib/organizations";
import { settings } from "@/lib/settings";
import { hashToken } from "@/lib/tokens";
import { memberConflict } from "./conflicts";
import { namesFromAccount } from "./names";

/**
 * Invite, accept, confirm (SPEC 2): the steps between an email address being
 * provisioned and its person holding the organization key.
 */

/** Why an invitation link does not work; each has its own page. */
export type InvitationProblem =
  "invalid" | "expired" | "used" | "revoked" | "removed" | "wrong_account";

const problemKinds: Record<InvitationProblem, ErrorKind> = {
  invalid: "not_found",
  expired: "invalid",
  used: "conflict",
  revoked: "forbidden",
  removed: "not_found",
  wrong_account: "forbidden",
};

const problemMessages: Record<InvitationProblem, string> = {
  invalid:
    "This invitation link is not valid. It may have been replaced by a newer invitation: open the most recent invitation email, or ask an administrator to send it again.",
  expired:
    "This invitation has expired. Ask an administrator of the organization to send it again.",
  used: "This invitation was already accepted. Sign in with the account that accepted it.",
  revoked:
    "Your access to this organization was revoked. Ask an administrator if you think this is a mistake.",
  removed:
    "You were removed from this organization, so the invitation no longer works. Ask an administrator to invite you again.",
  wrong_account:
    "You are signed in with a different email address than the one this invitation was sent to. Sign out, then sign in or create an account with the invited address.",
};

export class InvitationError extends DomainError {
  constructor(readonly problem: InvitationProblem) {
    super(problemKinds[problem], problemMessages[problem]);
    this.name = "InvitationError";
  }
}

/** Invitation tokens are 32 random bytes in base64url (lib/tokens.ts). */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export interface InvitationView {
  memberId: string;
  email: string;
  status: Member["status"];
  accountId: string | null;
  organization: { id: string; name: string };
  expiresAt: Date;
}

/**
 * Checks an invitation link without changing anything: what the invitation
 * page shows. Until the token is proven, nothing about the member is told.
 */
export async function inspectInvitation(
  memberId: string,
  token: string | undefined,
  now = new Date(),
  executor: Executor = db(),
): Promise<InvitationView> {
  if (!isUuid(memberId) || !token || !tokenPattern.test(token)) {
    throw new InvitationError("invalid");
  }

  const [row] = await executor
    .select({
      invitation: invitations,
      member: members,
      organization: { id: organizations.id, name: organizations.name },
    })
    .from(invitations)
    .innerJoin(members, eq(members.id, invitations.memberId))
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(eq(invitations.tokenHash, hashToken(token)));

  if (!row || row.member.id !== memberId) {
    // A removed member's invitation went with the membership; the event log
    // still knows the id, so the visitor learns why the link died.
    if (!row && (await wasRemoved(executor, memberId))) {
      throw new InvitationError("removed");
    }
    throw new InvitationError("invalid");
  }

  const { invitation, member, organization } = row;
  if (member.status === "revoked") throw new InvitationError("revoked");
  if (
    invitation.acceptedAt ||
    member.status === "accepted" ||
    member.status === "confirmed"
  ) {
    throw new InvitationError("used");
  }
  if (member.status !== "invited") throw new InvitationError("invalid");
  if (invitation.expiresAt.getTime() <= now.getTime()) {
    throw new InvitationError("expired");
  }

  return {
    memberId: member.id,
    email: member.email,
    status: member.status,
    accountId: member.accountId,
    organization,
    expiresAt: invitation.expiresAt,
  };
}

async function wasRemoved(executor: Executor, memberId: string) {
  const [removal] = await executor
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.type, "member.removed"),
        eq(events.targetType, "member"),
        eq(events.targetId, memberId),
      ),
    )
    .limit(1);
  return Boolean(removal);
}

/**
 * The member an account's accepted invitation made it: for the page that
 * follows acceptance, reached again with the same (now used) link.
 */
export async function acceptedMembership(memberId: string, accountId: string) {
  if (!isUuid(memberId)) return undefined;
  return membershipWhere(
    and(eq(members.id, memberId), eq(members.accountId, accountId))!,
  );
}

/**
 * Accepts an invitation with the signed-in account: links it, moves the
 * member to `accepted`, and tells every confirmed owner and admin.
 */
export async function acceptInvitation(input: {
  memberId: string;
  token: string | undefined;
  account: Pick<Account, "id" | "email" | "name">;
  now?: Date;
}): Promise<Member> {
  const now = input.now ?? new Date();
  return db().transaction(async (tx) => {
    // Two tabs accepting at once: the second waits here, then sees "used".
    const [locked] = isUuid(input.memberId)
      ? await tx
          .select({
            givenName: members.givenName,
            familyName: members.familyName,
            formattedName: members.formattedName,
            displayName: members.displayName,
          })
          .from(members)
          .where(eq(members.id, input.memberId))
          .for("update")
      : [];
    const invitation = await inspectInvitation(
      input.memberId,
      input.token,
      now,
      tx,
    );
    if (
      normalizeEmail(input.account.email) !== normalizeEmail(invitation.email)
    ) {
      throw new InvitationError("wrong_account");
    }

    let accepted: Member;
    try {
      [accepted] = await tx
        .update(members)
        .set({
          accountId: input.account.id,
          status: "accepted",
          ...namesFromAccount(locked ?? {}, input.account.name),
          version: sql`${members.version} + 1`,
          updatedAt: now,
        })
        .where(eq(members.id, invitation.memberId))
        .returning();
    } catch (error) {
      throw memberConflict(error) ?? error;
    }
    await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(eq(invitations.memberId, invitation.memberId));

    await recordEvent(tx, {
      organizationId: invitation.organization.id,
      type: "member.accepted",
      actor: accountActor(input.account),
      target: { type: "member", id: accepted.id, label: accepted.email },
    });

    const email = memberAcceptedEmail({
      organizationName: invitation.organization.name,
      memberEmail: accepted.email,
      link: `${settings().APP_URL}/organizations/${invitation.organization.id}/members`,
    });
    for (const recipient of await managerEmails(tx, accepted.organizationId)) {
      await queueEmail(tx, {
        organizationId: accepted.organizationId,
        kind: "member_accepted",
        recipient,
        ...email,
      });
    }
    return accepted;
  });
}

async function managerEmails(executor: Executor, organizationId: string) {
  const rows = await executor
    .select({ email: members.email })
    .from(members)
    .where(
      and(
        eq(members.organizationId, organizationId),
        eq(members.status, "confirmed"),
        inArray(members.role, ["owner", "admin"]),
        isNotNull(members.accountId),
      ),
    );
  return rows.map((row) => row.email);
}

/** The organization key encrypted with RSA-OAEP 2048 (lib/crypto.ts, `r1.`). */
export const encryptedOrganizationKeySchema = z
  .string()
  .regex(
    /^r1\.[A-Za-z0-9_-]{342}$/,
    "is not an organization key encrypted to a public key",
  );

export const confirmationSchema = z.object({
  encryptedOrganizationKey: encryptedOrganizationKeySchema,
  /** The public key the browser encrypted to, so that a changed key is refused. */
  publicKey: z.string().min(1).max(1000),
});

/** A member of the organization, locked for the rest of the transaction. */
export async function lockMember(
  executor: Executor,
  organizationId: string,
  memberId: string,
): Promise<Member> {
  const gone = () =>
    notFound("This member is no longer in the organization. Reload the page.");
  if (!isUuid(memberId) || !isUuid(organizationId)) throw gone();
  const [member] = await executor
    .select()
    .from(members)
    .where(
      and(eq(members.id, memberId), eq(members.organizationId, organizationId)),
    )
    .for("update");
  if (!member) throw gone();
  return member;
}

/** The public key an administrator encrypts the organization key to. */
export async function memberPublicKey(
  organizationId: string,
  memberId: string,
) {
  if (!isUuid(memberId) || !isUuid(organizationId)) {
    throw notFound("Member not found");
  }
  const [row] = await db()
    .select({ member: members, publicKey: accounts.publicKey })
    .from(members)
    .leftJoin(accounts, eq(accounts.id, members.accountId))
    .where(
      and(eq(members.id, memberId), eq(members.organizationId, organizationId)),
    );
  if (!row) throw notFound("Member not found");
  assertConfirmable(row.member);
  return row.publicKey!;
}

function assertConfirmable(member: Member) {
  if (member.status !== "accepted" || !member.accountId) {
    throw invalid(
      member.status === "confirmed"
        ? `${member.email} is already confirmed.`
        : `${member.email} has not accepted the invitation yet; only members who need confirmation can be confirmed.`,
    );
  }
}

/**
 * Confirms an accepted member with the organization key that the manager's
 * browser encrypted to the member's public key; the server only checks the
 * ciphertext's shape and stores it.
 */
export async function confirmMember(input: {
  organizationId: string;
  memberId: string;
  encryptedOrganizationKey: string;
  publicKey: string;
  manager: Pick<Account, "id" | "email" | "name">;
}): Promise<Member> {
  const ciphertext = encryptedOrganizationKeySchema.safeParse(
    input.encryptedOrganizationKey,
  );
  if (!ciphertext.success) {
    throw invalid("The encrypted organization key is malformed.");
  }

  return db().transaction(async (tx) => {
    await assertManager(tx, input.manager.id, input.organizationId);
    const member = await lockMember(tx, input.organizationId, input.memberId);
    assertConfirmable(member);
    const [account] = await tx
      .select({ publicKey: accounts.publicKey })
      .from(accounts)
      .where(eq(accounts.id, member.accountId!));
    if (account?.publicKey !== input.publicKey) {
      throw invalid(
        "The member's key changed while you were confirming. Open Confirm again and compare the new fingerprint phrase.",
      );
    }

    const [confirmed] = await tx
      .update(members)
      .set({
        status: "confirmed",
        organizationKey: ciphertext.data,
        version: sql`${members.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(members.id, member.id))
      .returning();
    await recordEvent(tx, {
      organizationId: input.organizationId,
      type: "member.confirmed",
      actor: accountActor(input.manager),
      target: { type: "member", id: member.id, label: member.email },
    });

    const [organization] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, input.organizationId));
    await queueEmail(tx, {
      organizationId: input.organizationId,
      kind: "member_confirmed",
      recipient: member.email,
      ...memberConfirmedEmail({
        organizationName: organization.name,
        link: `${settings().APP_URL}/organizations/${input.organizationId}/vault`,
      }),
    });
    return confirmed;
  });
}

/** Re-checks on the transaction that the account may manage the organization. */
export async function assertManager(
  executor: Executor,
  accountId: string,
  organizationId: string,
) {
  const [manager] = await executor
    .select({ role: members.role, status: members.status })
    .from(members)
    .where(
      and(
        eq(members.organizationId, organizationId),
        eq(members.accountId, accountId),
      ),
    );
  if (!manager) throw notFound("Organization not found");
  if (!canManage(manager)) {
    throw new DomainError("forbidden", "Only owners and admins can do this.");
  }
}

/** A new invitation for an invited member; the link of the old one stops working. */
export async function resendInvitation(
  executor: Executor,
  member: Member,
  actor: Actor,
): Promise<void> {
  if (member.status !== "invited") {
    throw invalid(
      `${member.email} is not waiting for an invitation; only invited members can get it again.`,
    );
  }
  const { expiresAt } = await issueInvitation(executor, member);
  await recordEvent(executor, {
    organizationId: member.organizationId,
    type: "member.invitation_resent",
    actor,
    target: { type: "member", id: member.id, label: member.email },
    details: { expiresAt: expiresAt.toISOString() },
  });
}

/** Sends the first invitation to a staged member, who becomes invited. */
export async function sendInvitation(
  executor: Executor,
  member: Member,
  actor: Actor,
): Promise<Member> {
  if (member.status !== "staged") {
    throw invalid(
      `${member.email} is not staged; only staged members can be sent a first invitation.`,
    );
  }
  const [invited] = await executor
    .update(members)
    .set({
      status: "invited",
      version: sql`${members.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(members.id, member.id))
    .returning();
  const { expiresAt } = await issueInvitation(executor, invited);
  await recordEvent(executor, {
    organizationId: member.organizationId,
    type: "member.invitation_sent",
    actor,
    target: { type: "member", id: member.id, label: member.email },
    details: { expiresAt: expiresAt.toISOString() },
  });
  return invited;
}
