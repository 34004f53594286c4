import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { groupMembers, groups } from "@/db/schema";
import { decryptText, encryptText, encryptToPublicKey } from "@/lib/crypto";
import { DomainError } from "@/lib/errors";
import { revokeMember, restoreMember } from "@/lib/members/lifecycle";
import {
  acceptInvitation,
  confirmMember,
  lockMember,
} from "@/lib/members/onboarding";
import { accountActor } from "@/lib/organizations";
import {
  collectionsOfGroup,
  createCollection,
  createItem,
  setCollectionGroups,
  setGroupCollections,
  vaultFor,
  type Vault,
} from "@/lib/vault";
import {
  invite,
  newAccount,
  newOrganization,
  openKey,
  type TestOrganization,
} from "./support/onboarding";

async function kind(promise: Promise<unknown>) {
  try {
    await promise;
    return "none";
  } catch (error) {
    if (error instanceof DomainError) return error.kind;
    throw error;
  }
}

/** Whatever the server returned, it holds no ciphertext of any kind. */
function expectNoCiphertext(vault: Vault) {
  expect(JSON.stringify(vault)).not.toMatch(/\b(a1|r1)\./);
  expect(Object.keys(vault)).toEqual(["access"]);
}

async function group(org: TestOrganization, displayName: string) {
  const [row] = await db()
    .insert(groups)
    .values({ organizationId: org.organization.id, displayName })
    .returning();
  return row;
}

async function joinedMember(org: TestOrganization, confirm = true) {
  const { member, token } = await invite(org);
  const person = await newAccount(member.email);
  await acceptInvitation({
    memberId: member.id,
    token,
    account: person.account,
  });
  if (confirm) {
    await confirmMember({
      organizationId: org.organization.id,
      memberId: member.id,
      encryptedOrganizationKey: await encryptToPublicKey(
        org.organizationKey,
        person.account.publicKey,
      ),
      publicKey: person.account.publicKey,
      manager: org.owner.account,
    });
  }
  return { member, person };
}

async function collection(
  org: TestOrganization,
  name: string,
  groupIds: string[],
  itemNames: string[] = [],
) {
  const actor = accountActor(org.owner.account);
  const created = await createCollection(
    org.organization.id,
    await encryptText(org.organizationKey, name),
    groupIds,
    actor,
  );
  for (const itemName of itemNames) {
    await createItem(
      org.organization.id,
      created.id,
      await encryptText(
        org.organizationKey,
        JSON.stringify({ name: itemName, password: `${itemName}-secret` }),
      ),
      actor,
    );
  }
  return created;
}

async function setUp() {
  const org = await newOrganization();
  const engineering = await group(org, "Engineering");
  const finance = await group(org, "Finance");
  const servers = await collection(org, "Servers", [engineering.id], ["ssh"]);
  const bank = await collection(org, "Bank", [finance.id], ["bank login"]);
  const engineer = await joinedMember(org);
  await db()
    .insert(groupMembers)
    .values({ groupId: engineering.id, memberId: engineer.member.id });
  return { org, engineering, finance, servers, bank, engineer };
}

describe("vaultFor", () => {
  it("gives a confirmed member only the collections their groups grant", async () => {
    const { org, servers, engineer } = await setUp();

    const vault = await vaultFor(
      engineer.person.account.id,
      org.organization.id,
    );
    if (vault.access !== "open") throw new Error(`got ${vault.access}`);
    expect(vault.canManage).toBe(false);
    expect(vault.collections.map((c) => c.id)).toEqual([servers.id]);

    // The member's browser opens everything with its own private key.
    const key = await openKey(vault.organizationKey, engineer.person);
    const [only] = vault.collections;
    expect(await decryptText(key, only.name)).toBe("Servers");
    expect(only.items).toHaveLength(1);
    expect(JSON.parse(await decryptText(key, only.items[0].data))).toEqual({
      name: "ssh",
      password: "ssh-secret",
    });
  });

  it("gives a confirmed member in no group an empty vault", async () => {
    const { org } = await setUp();
    const loner = await joinedMember(org);
    const vault = await vaultFor(loner.person.account.id, org.organization.id);
    expect(vault).toMatchObject({ access: "open", collections: [] });
  });

  it("gives owners and admins every collection, with its groups", async () => {
    const { org, engineering, finance, servers, bank } = await setUp();
    const vault = await vaultFor(org.owner.account.id, org.organization.id);
    if (vault.access !== "open") throw new Error(`got ${vault.access}`);
    expect(vault.canManage).toBe(true);
    expect(
      vault.collections.map((c) => [c.id, c.groupIds, c.items.length]),
    ).toEqual([
      [servers.id, [engineering.id], 1],
      [bank.id, [finance.id], 1],
    ]);
  });

  it("returns no ciphertext to a member awaiting confirmation", async () => {
    const { org, engineering } = await setUp();
    const waiting = await joinedMember(org, false);
    await db()
      .insert(groupMembers)
      .values({ groupId: engineering.id, memberId: waiting.member.id });

    const vault = await vaultFor(
      waiting.person.account.id,
      org.organization.id,
    );
    expect(vault.access).toBe("awaiting_confirmation");
    expectNoCiphertext(vault);
  });

  it("does not know an invited address that has not accepted", async () => {
    const { org } = await setUp();
    const { member } = await invite(org);
    const sameEmail = await newAccount(member.email);
    expect(
      await kind(vaultFor(sameEmail.account.id, org.organization.id)),
    ).toBe("not_found");
  });

  it("returns no ciphertext once revoked, and everything again once restored", async () => {
    const { org, servers, engineer } = await setUp();
    const actor = accountActor(org.owner.account);
    const revoke = () =>
      db().transaction(async (tx) =>
        revokeMember(
          tx,
          await lockMember(tx, org.organization.id, engineer.member.id),
          actor,
        ),
      );
    const restore = () =>
      db().transaction(async (tx) =>
        restoreMember(
          tx,
          await lockMember(tx, org.organization.id, engineer.member.id),
          actor,
        ),
      );

    await revoke();
    const revoked = await vaultFor(
      engineer.person.account.id,
      org.organization.id,
    );
    expect(revoked.access).toBe("revoked");
    expectNoCiphertext(revoked);

    await restore();
    const restored = await vaultFor(
      engineer.person.account.id,
      org.organization.id,
    );
    expect(restored).toMatchObject({ access: "open" });
    if (restored.access === "open") {
      expect(restored.collections.map((c) => c.id)).toEqual([servers.id]);
    }
  });

  it("hides the organization from accounts that are not members", async () => {
    const { org } = await setUp();
    const stranger = await newAccount();
    expect(await kind(vaultFor(stranger.account.id, org.organization.id))).toBe(
      "not_found",
    );
    expect(await kind(vaultFor(stranger.account.id, "not-a-uuid"))).toBe(
      "not_found",
    );
  });

  it("follows a group losing its member on the next call", async () => {
    const { org, engineering, engineer } = await setUp();
    await db()
      .delete(groupMembers)
      .where(eq(groupMembers.groupId, engineering.id));
    const vault = await vaultFor(
      engineer.person.account.id,
      org.organization.id,
    );
    expect(vault).toMatchObject({ access: "open", collections: [] });
  });
});

describe("collections and grants", () => {
  it("changes which groups open a collection", async () => {
    const { org, finance, servers, bank, engineer } = await setUp();
    await setCollectionGroups(
      org.organization.id,
      servers.id,
      [finance.id],
      accountActor(org.owner.account),
    );
    expect(
      (await collectionsOfGroup(org.organization.id, finance.id)).map(
        (c) => c.id,
      ),
    ).toEqual([servers.id, bank.id]);
    expect(
      await vaultFor(engineer.person.account.id, org.organization.id),
    ).toMatchObject({ collections: [] });
  });

  it("changes which collections a group opens", async () => {
    const { org, engineering, servers, bank, engineer } = await setUp();
    await setGroupCollections(
      org.organization.id,
      engineering.id,
      [bank.id, bank.id],
      accountActor(org.owner.account),
    );
    const names = await collectionsOfGroup(org.organization.id, engineering.id);
    expect(names.map((c) => c.id)).toEqual([bank.id]);
    expect(await decryptText(org.organizationKey, names[0].name)).toBe("Bank");
    const vault = await vaultFor(
      engineer.person.account.id,
      org.organization.id,
    );
    if (vault.access !== "open") throw new Error(`got ${vault.access}`);
    expect(vault.collections.map((c) => c.id)).toEqual([bank.id]);
    expect(vault.collections.map((c) => c.id)).not.toContain(servers.id);
  });

  it("refuses another organization's groups, collections and plaintext", async () => {
    const { org, servers, engineering } = await setUp();
    const other = await setUp();
    const actor = accountActor(org.owner.account);
    const name = await encryptText(org.organizationKey, "X");

    expect(
      await kind(
        createCollection(
          org.organization.id,
          name,
          [other.engineering.id],
          actor,
        ),
      ),
    ).toBe("invalid");
    expect(
      await kind(
        createItem(org.organization.id, other.servers.id, name, actor),
      ),
    ).toBe("not_found");
    expect(
      await kind(
        setGroupCollections(
          org.organization.id,
          engineering.id,
          [other.bank.id],
          actor,
        ),
      ),
    ).toBe("invalid");
    expect(
      await kind(
        setGroupCollections(
          other.org.organization.id,
          engineering.id,
          [],
          accountActor(other.org.owner.account),
        ),
      ),
    ).toBe("not_found");
    expect(
      await kind(createCollection(org.organization.id, "Servers", [], actor)),
    ).toBe("invalid");
    expect(
      await kind(
        createItem(
          org.organization.id,
          servers.id,
          JSON.stringify({ password: "hunter2" }),
          actor,
        ),
      ),
    ).toBe("invalid");
  });
});
