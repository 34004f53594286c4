import { and, asc, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import {
  members,
  organizations,
  scimConfigs,
  type Account,
  type Member,
  type MemberRole,
} from "@/db/schema";
import { forbidden, notFound } from "@/lib/errors";
import { recordEvent, type Actor } from "@/lib/events";
import { namesFromAccount } from "@/lib/members/names";

export const organizationNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name for the organization")
  .max(256, "A name has at most 256 characters");

export const newOrganizationSchema = z.object({
  name: organizationNameSchema,
  /** The new organization key, encrypted in the browser to the creator's public key. */
  ownerOrganizationKey: z
    .string()
    .regex(/^r1\.[A-Za-z0-9_-]{300,400}$/, "is not an encrypted key"),
});

export function accountActor(
  account: Pick<Account, "id" | "name" | "email">,
): Actor {
  return {
    type: "account",
    accountId: account.id,
    label: account.name || account.email,
  };
}

/** Creates an organization whose first member is its creator, a confirmed owner. */
export async function createOrganization(
  account: Pick<Account, "id" | "name" | "email">,
  input: z.infer<typeof newOrganizationSchema>,
) {
  return db().transaction(async (tx) => {
    const [organization] = await tx
      .insert(organizations)
      .values({ name: input.name })
      .returning();
    const [owner] = await tx
      .insert(members)
      .values({
        organizationId: organization.id,
        accountId: account.id,
        email: account.email,
        userName: account.email,
        role: "owner",
        status: "confirmed",
        organizationKey: input.ownerOrganizationKey,
        ...namesFromAccount({}, account.name),
      })
      .returning();
    await tx.insert(scimConfigs).values({ organizationId: organization.id });
    await recordEvent(tx, {
      organizationId: organization.id,
      type: "organization.created",
      actor: accountActor(account),
      target: {
        type: "organization",
        id: organization.id,
        label: organization.name,
      },
    });
    return { organization, owner };
  });
}

/** Every organization the account belongs to, with its membership. */
export async function organizationsOf(accountId: string) {
  return db()
    .select({
      id: organizations.id,
      name: organizations.name,
      role: members.role,
      status: members.status,
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(eq(members.accountId, accountId))
    .orderBy(asc(organizations.name), asc(organizations.id));
}

const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export interface Membership {
  organization: { id: string; name: string };
  member: Member;
}

/** The account's membership of an organization, or undefined when it has none. */
export async function findMembership(
  accountId: string,
  organizationId: string,
): Promise<Membership | undefined> {
  if (!isUuid(organizationId)) return undefined;
  return membershipWhere(
    and(
      eq(members.organizationId, organizationId),
      eq(members.accountId, accountId),
    )!,
  );
}

/** The one membership that `where` picks, with its organization. */
export async function membershipWhere(
  where: SQL,
): Promise<Membership | undefined> {
  const [row] = await db()
    .select({
      member: members,
      organization: { id: organizations.id, name: organizations.name },
    })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.organizationId))
    .where(where);
  return row;
}

const managers: MemberRole[] = ["owner", "admin"];

export function canManage(member: Pick<Member, "role" | "status">): boolean {
  return member.status === "confirmed" && managers.includes(member.role);
}

/**
 * The membership of an owner or admin who may manage the organization. Not a
 * member: not found (the organization's existence is not revealed).
 */
export async function requireManager(
  accountId: string,
  organizationId: string,
) {
  const membership = await findMembership(accountId, organizationId);
  if (!membership) throw notFound("Organization not found");
  if (!canManage(membership.member)) {
    throw forbidden("Only owners and admins can do this.");
  }
  return membership;
}
