import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { accounts, members, events } from "@/db/schema";
import {
  createAccount,
  registrationSchema,
  verifyCredentials,
  type Registration,
} from "@/lib/accounts";
import {
  deriveAuthHash,
  deriveMasterKey,
  encryptToPublicKey,
  generateAccountKeys,
  generateOrganizationKey,
} from "@/lib/crypto";
import { DomainError } from "@/lib/errors";
import {
  createOrganization,
  findMembership,
  organizationsOf,
} from "@/lib/organizations";

const iterations = 100_000;

async function registration(
  email: string,
  password: string,
): Promise<Registration> {
  const masterKey = await deriveMasterKey(password, email, iterations);
  return registrationSchema.parse({
    email,
    name: "Ada Lovelace",
    kdfIterations: iterations,
    authHash: await deriveAuthHash(masterKey, password),
    ...(await generateAccountKeys(masterKey)),
  });
}

async function accountCount() {
  const [row] = await db().select({ n: count() }).from(accounts);
  return row.n;
}

describe("createAccount", () => {
  it("stores the authentication hash hashed again and verifies it", async () => {
    const input = await registration(
      "ada@example.com",
      "correct horse battery",
    );
    const account = await createAccount(input);

    expect(account.authHash).not.toContain(input.authHash);
    expect(
      await verifyCredentials("ADA@example.com", input.authHash),
    ).toMatchObject({
      id: account.id,
    });
    const wrong = await registration("ada@example.com", "wrong horse battery");
    expect(
      await verifyCredentials("ada@example.com", wrong.authHash),
    ).toBeUndefined();
    expect(
      await verifyCredentials("nobody@example.com", input.authHash),
    ).toBeUndefined();
  });

  it("refuses a taken email and writes nothing", async () => {
    const input = await registration(
      "grace@example.com",
      "correct horse battery",
    );
    await createAccount(input);
    const before = await accountCount();

    const again = await registration(
      "Grace@Example.com",
      "another password here",
    );
    await expect(createAccount(again)).rejects.toThrow(DomainError);
    expect(await accountCount()).toBe(before);
  });

  it.each([
    ["an empty name", { name: "  " }],
    ["an overlong name", { name: "x".repeat(257) }],
    ["an invalid email", { email: "not-an-email" }],
    ["an overlong email", { email: `${"x".repeat(250)}@example.com` }],
    ["too few iterations", { kdfIterations: 1_000 }],
    ["a malformed public key", { publicKey: "<script>" }],
    [
      "a plaintext private key",
      { wrappedPrivateKey: "-----BEGIN PRIVATE KEY-----" },
    ],
  ])("rejects %s", async (_, change) => {
    const input = await registration(
      "katherine@example.com",
      "correct horse battery",
    );
    expect(registrationSchema.safeParse({ ...input, ...change }).success).toBe(
      false,
    );
  });
});

describe("createOrganization", () => {
  it("makes the creator a confirmed owner holding the encrypted organization key", async () => {
    const input = await registration(
      "hedy@example.com",
      "correct horse battery",
    );
    const account = await createAccount(input);
    const ownerOrganizationKey = await encryptToPublicKey(
      generateOrganizationKey(),
      account.publicKey,
    );

    const { organization, owner } = await createOrganization(account, {
      name: "Acme",
      ownerOrganizationKey,
    });

    expect(owner).toMatchObject({
      role: "owner",
      status: "confirmed",
      organizationKey: ownerOrganizationKey,
    });
    expect(await organizationsOf(account.id)).toEqual([
      { id: organization.id, name: "Acme", role: "owner", status: "confirmed" },
    ]);
    expect((await findMembership(account.id, organization.id))?.member.id).toBe(
      owner.id,
    );
    expect(await findMembership(account.id, "not-a-uuid")).toBeUndefined();

    const [memberCount] = await db().select({ n: count() }).from(members);
    const [eventCount] = await db().select({ n: count() }).from(events);
    expect(memberCount.n).toBeGreaterThanOrEqual(1);
    expect(eventCount.n).toBeGreaterThanOrEqual(1);
  });
});
