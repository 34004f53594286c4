import { randomBytes } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { accounts, emailOutbox, members, type Member } from "@/db/schema";
import {
  decryptWithPrivateKey,
  encryptToPublicKey,
  generateAccountKeys,
  generateOrganizationKey,
  MIN_KDF_ITERATIONS,
  unwrapPrivateKey,
} from "@/lib/crypto";
import { accountActor, createOrganization } from "@/lib/organizations";
import { inviteMember } from "@/lib/members/lifecycle";

/**
 * Accounts and organizations with real keys, as the browser would make them
 * (the master key is random here instead of derived, to keep tests fast).
 */
export async function newAccount(email?: string, name = "Test Person") {
  const masterKey = randomBytes(32) as Uint8Array<ArrayBuffer>;
  const keys = await generateAccountKeys(masterKey);
  const [account] = await db()
    .insert(accounts)
    .values({
      email: email ?? `person.${randomBytes(4).toString("hex")}@example.com`,
      name,
      kdfIterations: MIN_KDF_ITERATIONS,
      authHash: "not-used-in-these-tests",
      ...keys,
    })
    .returning();
  const privateKey = await unwrapPrivateKey(keys.wrappedPrivateKey, masterKey);
  return { account, privateKey };
}

export type TestAccount = Awaited<ReturnType<typeof newAccount>>;

export async function newOrganization(name = "Acme") {
  const owner = await newAccount(undefined, "Olivia Owner");
  const organizationKey = generateOrganizationKey();
  const { organization, owner: ownerMember } = await createOrganization(
    owner.account,
    {
      name,
      ownerOrganizationKey: await encryptToPublicKey(
        organizationKey,
        owner.account.publicKey,
      ),
    },
  );
  return { organization, owner, ownerMember, organizationKey };
}

export type TestOrganization = Awaited<ReturnType<typeof newOrganization>>;

/** The token of the newest invitation email to an address, read from the outbox. */
export async function invitationToken(recipient: string) {
  const [email] = await db()
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.recipient, recipient))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const match = email?.textBody.match(
    /\/invite\/([0-9a-f-]{36})\?token=([\w-]+)/,
  );
  if (!match) throw new Error(`no invitation email to ${recipient}`);
  return { memberId: match[1], token: match[2] };
}

export async function invite(
  org: TestOrganization,
  email = `invitee.${randomBytes(4).toString("hex")}@example.com`,
): Promise<{ member: Member; token: string }> {
  const member = await db().transaction((tx) =>
    inviteMember(tx, {
      organizationId: org.organization.id,
      email,
      role: "user",
      actor: accountActor(org.owner.account),
    }),
  );
  const { token } = await invitationToken(member.email);
  return { member, token };
}

export async function memberRow(id: string) {
  const [row] = await db().select().from(members).where(eq(members.id, id));
  return row;
}

/** What the member's browser does with the organization key it was given. */
export async function openKey(ciphertext: string, who: TestAccount) {
  return decryptWithPrivateKey(ciphertext, who.privateKey);
}
