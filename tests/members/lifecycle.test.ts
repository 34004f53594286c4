import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  events,
  invitations,
  members,
  organizations,
  type Member,
} from "@/db/schema";
import type { Actor } from "@/lib/events";
import {
  inviteMember,
  removeMember,
  restoreMember,
  revokeMember,
} from "@/lib/members/lifecycle";
import { insertConsoleMember } from "@/tests/support/scim";

const admin: Actor = {
  type: "account",
  accountId: crypto.randomUUID(),
  label: "Admin",
};

async function organization() {
  const [row] = await db()
    .insert(organizations)
    .values({ name: "Lifecycle" })
    .returning();
  return row.id;
}

async function reload(member: Member) {
  const [row] = await db()
    .select()
    .from(members)
    .where(eq(members.id, member.id));
  return row;
}

async function eventTypes(member: Member) {
  const rows = await db()
    .select()
    .from(events)
    .where(eq(events.targetId, member.id))
    .orderBy(events.id);
  return rows.map((row) => row.type);
}

describe("inviteMember", () => {
  it("creates an invited console member with userName = email and an invitation", async () => {
    const organizationId = await organization();
    const member = await db().transaction((tx) =>
      inviteMember(tx, {
        organizationId,
        email: " New.Person@Example.com ",
        role: "admin",
        actor: admin,
      }),
    );
    expect(member).toMatchObject({
      email: "new.person@example.com",
      userName: "new.person@example.com",
      status: "invited",
      origin: "console",
      role: "admin",
    });
    expect(
      await db()
        .select()
        .from(invitations)
        .where(eq(invitations.memberId, member.id)),
    ).toHaveLength(1);
    expect(await eventTypes(member)).toEqual(["member.invited"]);
  });

  it("refuses a duplicate email with a conflict", async () => {
    const organizationId = await organization();
    const invite = () =>
      db().transaction((tx) =>
        inviteMember(tx, {
          organizationId,
          email: "twice@example.com",
          role: "user",
          actor: admin,
        }),
      );
    await invite();
    await expect(invite()).rejects.toMatchObject({ kind: "conflict" });
  });

  it("refuses something that is not an email address", async () => {
    const organizationId = await organization();
    await expect(
      db().transaction((tx) =>
        inviteMember(tx, {
          organizationId,
          email: "nope",
          role: "user",
          actor: admin,
        }),
      ),
    ).rejects.toMatchObject({ kind: "invalid" });
  });
});

describe("revokeMember and restoreMember", () => {
  it("remember the status before revocation, and repeat without effect", async () => {
    const organizationId = await organization();
    const { member } = await insertConsoleMember(organizationId, {
      status: "accepted",
    });
    const revoked = await revokeMember(db(), member, admin);
    expect(revoked).toMatchObject({
      status: "revoked",
      statusBeforeRevocation: "accepted",
      version: 2,
    });
    expect(await revokeMember(db(), revoked, admin)).toMatchObject({
      version: 2,
    });

    const restored = await restoreMember(db(), revoked, admin);
    expect(restored).toMatchObject({
      status: "accepted",
      statusBeforeRevocation: null,
      version: 3,
    });
    expect(await restoreMember(db(), restored, admin)).toMatchObject({
      version: 3,
    });
    expect(await eventTypes(member)).toEqual([
      "member.revoked",
      "member.restored",
    ]);
  });

  it("refuse to revoke the last confirmed owner, but allow it with a second owner", async () => {
    const organizationId = await organization();
    const { member: owner } = await insertConsoleMember(organizationId, {
      role: "owner",
      status: "confirmed",
    });
    await expect(revokeMember(db(), owner, admin)).rejects.toMatchObject({
      kind: "invalid",
    });
    expect((await reload(owner)).status).toBe("confirmed");

    await insertConsoleMember(organizationId, {
      role: "owner",
      status: "accepted",
    });
    await expect(revokeMember(db(), owner, admin)).rejects.toMatchObject({
      kind: "invalid",
    });

    await insertConsoleMember(organizationId, {
      role: "owner",
      status: "confirmed",
    });
    expect((await revokeMember(db(), owner, admin)).status).toBe("revoked");
  });

  // PGlite has one connection: there is no concurrency to test.
  it.skipIf(!process.env.DATABASE_URL)(
    "let only one of two concurrent revocations of the last two owners through",
    async () => {
      const organizationId = await organization();
      const { member: first } = await insertConsoleMember(organizationId, {
        role: "owner",
        status: "confirmed",
      });
      const { member: second } = await insertConsoleMember(organizationId, {
        role: "owner",
        status: "confirmed",
      });
      const revoke = (member: Member) =>
        db().transaction(async (tx) => {
          const [locked] = await tx
            .select()
            .from(members)
            .where(eq(members.id, member.id))
            .for("update");
          return revokeMember(tx, locked, admin);
        });
      const results = await Promise.allSettled([revoke(first), revoke(second)]);
      expect(results.map((result) => result.status).sort()).toEqual([
        "fulfilled",
        "rejected",
      ]);
    },
  );
});

describe("removeMember", () => {
  it("deletes the membership and writes the event", async () => {
    const organizationId = await organization();
    const { member } = await insertConsoleMember(organizationId);
    await db().transaction((tx) => removeMember(tx, member, admin));
    expect(await reload(member)).toBeUndefined();
    expect(await eventTypes(member)).toEqual(["member.removed"]);
  });

  it("refuses to remove the last confirmed owner", async () => {
    const organizationId = await organization();
    const { member } = await insertConsoleMember(organizationId, {
      role: "owner",
      status: "confirmed",
    });
    await expect(removeMember(db(), member, admin)).rejects.toThrow(
      /last confirmed owner/,
    );
    expect(await reload(member)).toBeDefined();
  });
});
