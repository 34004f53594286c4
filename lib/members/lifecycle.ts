import { and, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import {
  invitations,
  members,
  type Member,
  type MemberRole,
} from "@/db/schema";
import { invalid } from "@/lib/errors";
import { recordEvent, type Actor } from "@/lib/events";
import { issueInvitation } from "@/lib/invitations";
import { MAX_EMAIL_LENGTH } from "@/lib/scim/limits";
import { memberConflict } from "./conflicts";

/**
 * The member lifecycle of SPEC section 1, shared by SCIM and the console.
 * Each function runs on the caller's transaction and writes its event there;
 * callers lock the member row (select … for update) before calling.
 */

const bumped = () => ({
  version: sql`${members.version} + 1`,
  updatedAt: new Date(),
});

function target(member: Pick<Member, "id" | "email">) {
  return { type: "member", id: member.id, label: member.email };
}

/**
 * The last confirmed owner can be neither revoked nor removed. The owners'
 * rows are locked, so that two requests revoking the last two owners at once
 * cannot both pass.
 */
export async function assertNotLastConfirmedOwner(
  executor: Executor,
  member: Member,
  action: "revoked" | "removed" | "given another role",
) {
  if (member.role !== "owner" || member.status !== "confirmed") return;
  const owners = await executor
    .select({ id: members.id })
    .from(members)
    .where(
      and(
        eq(members.organizationId, member.organizationId),
        eq(members.role, "owner"),
        eq(members.status, "confirmed"),
      ),
    )
    .orderBy(members.id)
    .for("update");
  if (!owners.some((owner) => owner.id !== member.id)) {
    throw invalid(
      `${member.email} is the last confirmed owner of the organization and cannot be ${action}; make another member an owner first`,
    );
  }
}

/** Revokes access, remembering the status to restore. Revoking a revoked member changes nothing. */
export async function revokeMember(
  executor: Executor,
  member: Member,
  actor: Actor,
): Promise<Member> {
  if (member.status === "revoked") return member;
  await assertNotLastConfirmedOwner(executor, member, "revoked");

  const [revoked] = await executor
    .update(members)
    .set({
      status: "revoked",
      statusBeforeRevocation: member.status,
      ...bumped(),
    })
    .where(and(eq(members.id, member.id), ne(members.status, "revoked")))
    .returning();
  if (!revoked) return member;

  await recordEvent(executor, {
    organizationId: member.organizationId,
    type: "member.revoked",
    actor,
    target: target(member),
    details: { previousStatus: member.status },
  });
  return revoked;
}

/**
 * Returns a revoked member to the status it had. A member restored to
 * `invited` who never got an invitation (provisioned inactive) gets one now.
 * Restoring an active member changes nothing.
 */
export async function restoreMember(
  executor: Executor,
  member: Member,
  actor: Actor,
): Promise<Member> {
  if (member.status !== "revoked") return member;

  const [restored] = await executor
    .update(members)
    .set({
      status: sql`coalesce(${members.statusBeforeRevocation}, 'invited')`,
      statusBeforeRevocation: null,
      ...bumped(),
    })
    .where(and(eq(members.id, member.id), eq(members.status, "revoked")))
    .returning();
  if (!restored) return member;

  let invitationSent = false;
  if (restored.status === "invited") {
    const [existing] = await executor
      .select({ id: invitations.id })
      .from(invitations)
      .where(eq(invitations.memberId, member.id));
    if (!existing) {
      await issueInvitation(executor, restored);
      invitationSent = true;
    }
  }

  await recordEvent(executor, {
    organizationId: member.organizationId,
    type: "member.restored",
    actor,
    target: target(member),
    details: { status: restored.status, invitationSent },
  });
  return restored;
}

/** Deletes the membership (its group links and invitation go with it); the account stays. */
export async function removeMember(
  executor: Executor,
  member: Member,
  actor: Actor,
): Promise<void> {
  await assertNotLastConfirmedOwner(executor, member, "removed");

  const deleted = await executor
    .delete(members)
    .where(eq(members.id, member.id))
    .returning({ id: members.id });
  if (deleted.length === 0) return;

  await recordEvent(executor, {
    organizationId: member.organizationId,
    type: "member.removed",
    actor,
    target: target(member),
    details: { status: member.status, origin: member.origin },
  });
}

const emailPattern = /^[^\s@]+@[^\s@]+$/;

/** An administrator's invitation of an email address (the console's Invite dialog). */
export async function inviteMember(
  executor: Executor,
  input: {
    organizationId: string;
    email: string;
    role: MemberRole;
    actor: Actor;
  },
): Promise<Member> {
  const email = input.email.trim().toLowerCase();
  if (!emailPattern.test(email) || email.length > MAX_EMAIL_LENGTH) {
    throw invalid(
      `Enter a valid email address of at most ${MAX_EMAIL_LENGTH} characters`,
    );
  }

  let member: Member;
  try {
    [member] = await executor
      .insert(members)
      .values({
        organizationId: input.organizationId,
        email,
        userName: email,
        role: input.role,
        status: "invited",
        origin: "console",
      })
      .returning();
  } catch (error) {
    throw memberConflict(error) ?? error;
  }

  await issueInvitation(executor, member);
  await recordEvent(executor, {
    organizationId: input.organizationId,
    type: "member.invited",
    actor: input.actor,
    target: target(member),
    details: { role: input.role },
  });
  return member;
}
