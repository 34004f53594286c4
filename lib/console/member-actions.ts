import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { db, type Transaction } from "@/db/client";
import {
  members,
  memberRole,
  type Member,
  type MemberRole,
  type MemberStatus,
} from "@/db/schema";
import {
  DomainError,
  forbidden,
  invalid,
  isDomainError,
  notFound,
} from "@/lib/errors";
import { recordEvent, type Actor } from "@/lib/events";
import {
  assertNotLastConfirmedOwner,
  inviteMember,
  removeMember,
  restoreMember,
  revokeMember,
} from "@/lib/members/lifecycle";
import {
  lockMember,
  resendInvitation,
  sendInvitation,
} from "@/lib/members/onboarding";
import {
  managerAccess,
  type ConsoleAccount,
  type ManagerAccess,
} from "./access";

/** The actions of the Members table, each for the statuses it applies to. */
export const memberActions = {
  "resend-invitation": {
    statuses: ["invited"],
    done: "invitation resent",
    doneMany: "invitations resent",
  },
  "send-invitation": {
    statuses: ["staged"],
    done: "invitation sent",
    doneMany: "invitations sent",
  },
  revoke: {
    statuses: ["invited", "staged", "accepted", "confirmed"],
    done: "revoked",
    doneMany: "revoked",
  },
  restore: { statuses: ["revoked"], done: "restored", doneMany: "restored" },
  remove: {
    statuses: ["invited", "staged", "accepted", "confirmed", "revoked"],
    done: "removed",
    doneMany: "removed",
  },
} as const satisfies Record<
  string,
  { statuses: readonly MemberStatus[]; done: string; doneMany: string }
>;

export type MemberAction = keyof typeof memberActions;

/** A bulk selection is one page of the table at most. */
export const MAX_BULK_MEMBERS = 100;

export const memberActionSchema = z.object({
  action: z.enum(
    Object.keys(memberActions) as [MemberAction, ...MemberAction[]],
  ),
  memberIds: z
    .array(z.uuid("is not a member id"))
    .min(1, "Select at least one member")
    .max(MAX_BULK_MEMBERS, `Select at most ${MAX_BULK_MEMBERS} members`),
});

export interface ActionSummary {
  done: number;
  skipped: { memberId: string; email: string; reason: string }[];
  /** What to tell the administrator, e.g. "3 revoked, 1 skipped: …". */
  message: string;
}

const statusWords: Record<MemberStatus, string> = {
  invited: "is invited",
  accepted: "needs confirmation",
  confirmed: "is confirmed",
  revoked: "is already revoked",
  staged: "is staged",
};

/** Why this action does not apply to this member, or undefined when it does. */
function refusal(
  action: MemberAction,
  member: Member,
  access: ManagerAccess,
): string | undefined {
  const allowed: readonly MemberStatus[] = memberActions[action].statuses;
  if (!allowed.includes(member.status)) {
    return `${member.email} ${statusWords[member.status]}`;
  }
  if (
    (action === "revoke" || action === "remove") &&
    member.id === access.member.id
  ) {
    return `you cannot ${action} yourself; ask another owner or admin`;
  }
  if (member.role === "owner" && access.member.role !== "owner") {
    return `only owners can ${action.replace("-", " ")} an owner (${member.email})`;
  }
  return undefined;
}

async function perform(
  tx: Transaction,
  action: MemberAction,
  member: Member,
  actor: Actor,
) {
  switch (action) {
    case "revoke":
      return revokeMember(tx, member, actor);
    case "restore":
      return restoreMember(tx, member, actor);
    case "remove":
      return removeMember(tx, member, actor);
    case "resend-invitation":
      return resendInvitation(tx, member, actor);
    case "send-invitation":
      return sendInvitation(tx, member, actor);
  }
}

function summaryMessage(
  action: MemberAction,
  emails: string[],
  done: number,
  skipped: ActionSummary["skipped"],
): string {
  const words = memberActions[action];
  if (emails.length === 1) {
    return done
      ? `${emails[0]}: ${words.done}.`
      : `Nothing changed: ${skipped[0]?.reason}.`;
  }
  const parts = [`${done} ${done === 1 ? words.done : words.doneMany}`];
  if (skipped.length) {
    const reasons = [...new Set(skipped.map((s) => s.reason))];
    const shown = reasons.slice(0, 3).join("; ");
    const more = reasons.length > 3 ? `; and ${reasons.length - 3} more` : "";
    parts.push(`${skipped.length} skipped: ${shown}${more}`);
  }
  return `${parts.join(", ")}.`;
}

/**
 * Applies one action of the Members table to one member or a selection.
 * Every id must be a member of this organization (else not found, and
 * nothing happens); each member then changes in a transaction of its own, so
 * that one refusal (the last owner, say) does not undo the others.
 */
export async function applyMemberAction(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<ActionSummary> {
  const access = await managerAccess(account, organizationId);
  const parsed = memberActionSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(parsed.error.issues[0]?.message ?? "Invalid request");
  }
  const { action } = parsed.data;
  const memberIds = [...new Set(parsed.data.memberIds)];

  const known = await db()
    .select({ id: members.id, email: members.email })
    .from(members)
    .where(
      and(
        eq(members.organizationId, organizationId),
        inArray(members.id, memberIds),
      ),
    );
  if (known.length !== memberIds.length) {
    throw notFound(
      memberIds.length === 1
        ? "This member is no longer in the organization. Reload the page."
        : "Some selected members are no longer in the organization. Reload the page and select again.",
    );
  }

  let done = 0;
  const skipped: ActionSummary["skipped"] = [];
  for (const memberId of memberIds) {
    try {
      await db().transaction(async (tx) => {
        const member = await lockMember(tx, organizationId, memberId);
        const reason = refusal(action, member, access);
        if (reason) throw new DomainError("invalid", reason);
        await perform(tx, action, member, access.actor);
      });
      done += 1;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      skipped.push({
        memberId,
        email: known.find((row) => row.id === memberId)?.email ?? memberId,
        reason: error.message.replace(/\.$/, ""),
      });
    }
  }
  const emails = memberIds.map(
    (id) => known.find((row) => row.id === id)?.email ?? id,
  );
  return {
    done,
    skipped,
    message: summaryMessage(action, emails, done, skipped),
  };
}

export const roleChangeSchema = z.object({
  memberId: z.uuid("is not a member id"),
  role: z.enum(memberRole.enumValues, "Choose owner, admin or user"),
});

/**
 * Changes a member's role. Only owners make owners or change an owner's
 * role; the last confirmed owner stays an owner.
 */
export async function changeMemberRole(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<Member> {
  const access = await managerAccess(account, organizationId);
  const parsed = roleChangeSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(parsed.error.issues[0]?.message ?? "Invalid request");
  }
  const { memberId, role } = parsed.data;

  return db().transaction(async (tx) => {
    const member = await lockMember(tx, organizationId, memberId);
    if (member.role === role) return member;
    if (
      (role === "owner" || member.role === "owner") &&
      access.member.role !== "owner"
    ) {
      throw forbidden(
        "Only owners can make someone an owner or change an owner's role. Ask an owner.",
      );
    }
    await assertNotLastConfirmedOwner(tx, member, "given another role");

    const [changed] = await tx
      .update(members)
      .set({
        role,
        version: sql`${members.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(members.id, member.id))
      .returning();
    await recordEvent(tx, {
      organizationId,
      type: "member.role_changed",
      actor: access.actor,
      target: { type: "member", id: member.id, label: member.email },
      details: { from: member.role, to: role },
    });
    return changed;
  });
}

export const invitationSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter the email address to invite")
    .max(254, "An email address has at most 254 characters")
    .pipe(z.email("Enter a valid email address, such as ada@example.com")),
  role: z.enum(memberRole.enumValues, "Choose owner, admin or user"),
});

/** The Invite member dialog: owners may invite owners, admins up to admin. */
export async function inviteMemberByAdmin(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<Member> {
  const access = await managerAccess(account, organizationId);
  const parsed = invitationSchema.safeParse(input);
  if (!parsed.success) {
    throw invalid(parsed.error.issues[0]?.message ?? "Invalid request");
  }
  const role: MemberRole = parsed.data.role;
  if (role === "owner" && access.member.role !== "owner") {
    throw forbidden("Only owners can invite owners. Choose admin or user.");
  }
  return db().transaction((tx) =>
    inviteMember(tx, {
      organizationId,
      email: parsed.data.email,
      role,
      actor: access.actor,
    }),
  );
}
