import { randomBytes } from "node:crypto";
import { db } from "@/db/client";
import { accounts, members, type Account, type MemberRole } from "@/db/schema";
import { hashAuthHash } from "@/lib/auth/password";
import { createOrganization } from "@/lib/organizations";

/** A real authentication hash shape (32 bytes base64url), per account. */
export function authHashFor(label: string): string {
  return Buffer.from(`${label}-auth-hash-material-000000000000`)
    .subarray(0, 32)
    .toString("base64url");
}

export async function account(name: string): Promise<Account> {
  const tag = randomBytes(4).toString("hex");
  const email = `${name.toLowerCase().replace(/\s+/g, ".")}.${tag}@example.com`;
  const [row] = await db()
    .insert(accounts)
    .values({
      email,
      name,
      kdfIterations: 100_000,
      authHash: await hashAuthHash(authHashFor(email)),
      publicKey: "A".repeat(300),
      wrappedPrivateKey: "a1.xxxx",
    })
    .returning();
  return row;
}

const organizationKey = `r1.${"A".repeat(342)}`;

/**
 * An organization with a confirmed owner, a confirmed admin, a confirmed
 * `user` member, and an outsider who belongs to another organization.
 */
export async function organizationWithPeople() {
  const owner = await account("Olivia Owner");
  const admin = await account("Adam Admin");
  const user = await account("Uma User");
  const outsider = await account("Oscar Outsider");
  const { organization, owner: ownerMember } = await createOrganization(owner, {
    name: "Acme",
    ownerOrganizationKey: organizationKey,
  });
  const adminMember = await join(organization.id, admin, "admin");
  const userMember = await join(organization.id, user, "user");
  const other = await createOrganization(outsider, {
    name: "Other",
    ownerOrganizationKey: organizationKey,
  });
  return {
    organization,
    owner,
    admin,
    user,
    outsider,
    ownerMember,
    adminMember,
    userMember,
    otherOrganization: other.organization,
    otherOwnerMember: other.owner,
  };
}

export async function join(
  organizationId: string,
  person: Account,
  role: MemberRole,
) {
  const [member] = await db()
    .insert(members)
    .values({
      organizationId,
      accountId: person.id,
      email: person.email,
      userName: person.email,
      role,
      status: "confirmed",
      organizationKey,
    })
    .returning();
  return member;
}

export async function invitedMember(
  organizationId: string,
  email: string,
  status: "invited" | "staged" | "accepted" | "revoked" = "invited",
) {
  const [member] = await db()
    .insert(members)
    .values({
      organizationId,
      email,
      userName: email,
      status,
      statusBeforeRevocation: status === "revoked" ? "invited" : null,
    })
    .returning();
  return member;
}

/** The DomainError kind a promise rejects with, or "resolved". */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    const kind = (error as { kind?: string }).kind;
    if (!kind) throw error;
    return kind;
  }
}
