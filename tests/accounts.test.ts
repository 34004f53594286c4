import { randomBytes } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { accounts, events } from "@/db/schema";
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

// The run's database is shared by every test file: each email is unique.
const unique = (local: string) =>
  `${local}.${randomBytes(4).toString("hex")}@example.com`;

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

async function accountsWithEmail(email: string) {
  const [row] = await db()
    .select({ n: count() })
    .from(accounts)
    .where(eq(accounts.email, email));
  return row.n;
}

describe("createAccount", () => {
  it("stores the authentication hash hashed again and verifies it", async () => {
    const email = unique("ada");
    const input = await registration(email, "correct horse battery");
    const account = await createAccount(input);

    expect(account.authHash).not.toContain(input.authHash);
    expect(
      await verifyCredentials(email.toUpperCase(), input.authHash),
    ).toMatchObject({ id: account.id });
    const wrong = await registration(email, "wrong horse battery");
    expect(await verifyCredentials(email, wrong.authHash)).toBeUndefined();
    expect(
      await verifyCredentials(unique("nobody"), input.authHash),
    ).toBeUndefined();
  });

  it("refuses a taken email and writes nothing", async () => {
    const email = unique("grace");
    await createAccount(await registration(email, "correct horse battery"));

    const again = await registration(
      email.replace("grace", "Grace"),
      "another password here",
    );
    await expect(createAccount(again)).rejects.toThrow(DomainError);
    expect(await accountsWithEmail(email)).toBe(1);
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
      unique("katherine"),
      "correct horse battery",
    );
    expect(registrationSchema.safeParse({ ...input, ...change }).success).toBe(
      false,
    );
  });
});

describe("createOrganization", () => {
  it("makes the creator a confirmed owner holding the encrypted organization key", async () => {
    const input = await registration(unique("hedy"), "correct horse battery");
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
      // Named after the account, so that SCIM filters and sorting find it.
      givenName: "Ada",
      familyName: "Lovelace",
      formattedName: "Ada Lovelace",
      displayName: "Ada Lovelace",
    });
    expect(await organizationsOf(account.id)).toEqual([
      { id: organization.id, name: "Acme", role: "owner", status: "confirmed" },
    ]);
    expect((await findMembership(account.id, organization.id))?.member.id).toBe(
      owner.id,
    );
    expect(await findMembership(account.id, "not-a-uuid")).toBeUndefined();

    const [created] = await db()
      .select({ n: count() })
      .from(events)
      .where(eq(events.organizationId, organization.id));
    expect(created.n).toBe(1);
  });
});
