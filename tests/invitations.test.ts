import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailOutbox, events, members } from "@/db/schema";
import { encryptToPublicKey } from "@/lib/crypto";
import { DomainError } from "@/lib/errors";
import { INVITATION_LIFETIME_MS } from "@/lib/invitations";
import {
  removeMember,
  revokeMember,
  restoreMember,
} from "@/lib/members/lifecycle";
import {
  acceptInvitation,
  confirmMember,
  InvitationError,
  inspectInvitation,
  lockMember,
  memberPublicKey,
  resendInvitation,
  sendInvitation,
  type InvitationProblem,
} from "@/lib/members/onboarding";
import { accountActor } from "@/lib/organizations";
import {
  invitationToken,
  invite,
  memberRow,
  newAccount,
  newOrganization,
  openKey,
  type TestOrganization,
} from "./support/onboarding";

async function problemOf(
  promise: Promise<unknown>,
): Promise<InvitationProblem | "none"> {
  try {
    await promise;
    return "none";
  } catch (error) {
    if (error instanceof InvitationError) return error.problem;
    throw error;
  }
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError)
      return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error("expected a rejection");
}

async function acceptedMember(org: TestOrganization) {
  const { member, token } = await invite(org);
  const invitee = await newAccount(member.email, "Ivy Invitee");
  await acceptInvitation({
    memberId: member.id,
    token,
    account: invitee.account,
  });
  return { member, invitee };
}

function actorOf(org: TestOrganization) {
  return accountActor(org.owner.account);
}

describe("acceptInvitation", () => {
  it("links the account, marks the member accepted and tells the managers", async () => {
    const org = await newOrganization("Initech");
    const admin = await newAccount(undefined, "Adam Admin");
    await db()
      .insert(members)
      .values({
        organizationId: org.organization.id,
        accountId: admin.account.id,
        email: admin.account.email,
        userName: admin.account.email,
        role: "admin",
        status: "confirmed",
        organizationKey: await encryptToPublicKey(
          org.organizationKey,
          admin.account.publicKey,
        ),
      });
    const pendingAdmin = await invite(org);
    await db()
      .update(members)
      .set({ role: "admin" })
      .where(eq(members.id, pendingAdmin.member.id));

    const { member, token } = await invite(org);
    const view = await inspectInvitation(member.id, token);
    expect(view).toMatchObject({
      email: member.email,
      organization: { name: "Initech" },
    });

    const invitee = await newAccount(
      member.email.toUpperCase(),
      "Ivy Q Invitee",
    );
    const accepted = await acceptInvitation({
      memberId: member.id,
      token,
      account: invitee.account,
    });
    expect(accepted).toMatchObject({
      status: "accepted",
      accountId: invitee.account.id,
      version: member.version + 1,
      // Invited by email, so without a name until now: the account's.
      givenName: "Ivy",
      familyName: "Q Invitee",
      formattedName: "Ivy Q Invitee",
      displayName: "Ivy Q Invitee",
    });

    const notices = await db()
      .select()
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.organizationId, org.organization.id),
          eq(emailOutbox.kind, "member_accepted"),
        ),
      );
    expect(notices.map((n) => n.recipient).sort()).toEqual(
      [org.owner.account.email, admin.account.email].sort(),
    );
    expect(notices[0].subject).toContain(member.email);
    expect(notices[0].textBody).toContain(
      `/organizations/${org.organization.id}/members`,
    );

    const [event] = await db()
      .select()
      .from(events)
      .where(
        and(eq(events.type, "member.accepted"), eq(events.targetId, member.id)),
      );
    expect(event).toMatchObject({
      actorType: "account",
      actorAccountId: invitee.account.id,
    });
  });

  it("refuses an expired invitation", async () => {
    const org = await newOrganization();
    const { member, token } = await invite(org);
    const invitee = await newAccount(member.email);
    const later = new Date(Date.now() + INVITATION_LIFETIME_MS + 60_000);

    expect(
      await problemOf(
        acceptInvitation({
          memberId: member.id,
          token,
          account: invitee.account,
          now: later,
        }),
      ),
    ).toBe("expired");
    expect(
      await problemOf(
        inspectInvitation(
          member.id,
          token,
          new Date(Date.now() + INVITATION_LIFETIME_MS - 60_000),
        ),
      ),
    ).toBe("none");
    expect((await memberRow(member.id)).status).toBe("invited");
  });

  it("refuses a link that was already used", async () => {
    const org = await newOrganization();
    const { member, token } = await invite(org);
    const invitee = await newAccount(member.email);
    await acceptInvitation({
      memberId: member.id,
      token,
      account: invitee.account,
    });

    expect(
      await problemOf(
        acceptInvitation({
          memberId: member.id,
          token,
          account: invitee.account,
        }),
      ),
    ).toBe("used");
  });

  it("accepts only once when two tabs accept together", async () => {
    const org = await newOrganization();
    const { member, token } = await invite(org);
    const invitee = await newAccount(member.email);
    const results = await Promise.all(
      [1, 2].map(() =>
        problemOf(
          acceptInvitation({
            memberId: member.id,
            token,
            account: invitee.account,
          }),
        ),
      ),
    );
    expect(results.sort()).toEqual(["none", "used"]);
  });

  it.each([
    [
      "a changed token",
      (id: string, token: string) => [id, token.slice(0, -2) + "xy"],
    ],
    [
      "a token of another length",
      (id: string, token: string) => [id, token + "a"],
    ],
    ["no token", (id: string) => [id, undefined]],
    [
      "another member's id",
      (_id: string, token: string) => [
        "00000000-0000-4000-8000-000000000000",
        token,
      ],
    ],
    [
      "an id that is not a uuid",
      (_id: string, token: string) => ["010101001010101011001010101011", token],
    ],
  ] as const)("refuses a tampered link: %s", async (_, tamper) => {
    const org = await newOrganization();
    const { member, token } = await invite(org);
    const invitee = await newAccount(member.email);
    const [memberId, badToken] = tamper(member.id, token) as [
      string,
      string | undefined,
    ];

    expect(
      await problemOf(
        acceptInvitation({
          memberId,
          token: badToken,
          account: invitee.account,
        }),
      ),
    ).toBe("invalid");
    expect((await memberRow(member.id)).status).toBe("invited");
  });

  it("refuses another account with a clear message", async () => {
    const org = await newOrganization();
    const { member, token } = await invite(org);
    const stranger = await newAccount();

    const error = await rejection(
      acceptInvitation({
        memberId: member.id,
        token,
        account: stranger.account,
      }),
    );
    expect(error.kind).toBe("forbidden");
    expect(error.message).toMatch(/different email address/);
    expect((await memberRow(member.id)).accountId).toBeNull();
  });

  it("refuses a revoked member, and works again once restored", async () => {
    const org = await newOrganization();
    const { member, token } = await invite(org);
    const invitee = await newAccount(member.email);
    await db().transaction((tx) => revokeMember(tx, member, actorOf(org)));

    expect(
      await problemOf(
        acceptInvitation({
          memberId: member.id,
          token,
          account: invitee.account,
        }),
      ),
    ).toBe("revoked");

    await db().transaction(async (tx) =>
      restoreMember(
        tx,
        await lockMember(tx, org.organization.id, member.id),
        actorOf(org),
      ),
    );
    expect(
      await problemOf(
        acceptInvitation({
          memberId: member.id,
          token,
          account: invitee.account,
        }),
      ),
    ).toBe("none");
  });

  it("refuses a removed member", async () => {
    const org = await newOrganization();
    const { member, token } = await invite(org);
    const invitee = await newAccount(member.email);
    await db().transaction((tx) => removeMember(tx, member, actorOf(org)));

    expect(
      await problemOf(
        acceptInvitation({
          memberId: member.id,
          token,
          account: invitee.account,
        }),
      ),
    ).toBe("removed");
  });
});

describe("resendInvitation", () => {
  it("replaces the token: the old link dies, the new one works", async () => {
    const org = await newOrganization();
    const { member, token: oldToken } = await invite(org);
    await db().transaction(async (tx) =>
      resendInvitation(
        tx,
        await lockMember(tx, org.organization.id, member.id),
        actorOf(org),
      ),
    );
    const { token: newToken } = await invitationToken(member.email);
    expect(newToken).not.toBe(oldToken);

    const invitee = await newAccount(member.email);
    expect(
      await problemOf(
        acceptInvitation({
          memberId: member.id,
          token: oldToken,
          account: invitee.account,
        }),
      ),
    ).toBe("invalid");
    expect(
      await problemOf(
        acceptInvitation({
          memberId: member.id,
          token: newToken,
          account: invitee.account,
        }),
      ),
    ).toBe("none");
  });

  it("is only for invited members", async () => {
    const org = await newOrganization();
    const { member } = await acceptedMember(org);
    const error = await rejection(
      db().transaction(async (tx) =>
        resendInvitation(
          tx,
          await lockMember(tx, org.organization.id, member.id),
          actorOf(org),
        ),
      ),
    );
    expect(error.kind).toBe("invalid");
  });
});

describe("acceptInvitation and provisioned names", () => {
  it("keeps the names the identity provider gave, and fills only what it left out", async () => {
    const org = await newOrganization();
    const email = `named.${Date.now()}@example.com`;
    const [provisioned] = await db()
      .insert(members)
      .values({
        organizationId: org.organization.id,
        email,
        userName: email,
        status: "staged",
        origin: "scim",
        givenName: "Barbara",
        familyName: "Liskov",
      })
      .returning();
    await db().transaction((tx) =>
      sendInvitation(tx, provisioned, actorOf(org)),
    );
    const { token } = await invitationToken(email);
    const invitee = await newAccount(email, "Babs Account-Name");

    const accepted = await acceptInvitation({
      memberId: provisioned.id,
      token,
      account: invitee.account,
    });
    expect(accepted).toMatchObject({
      givenName: "Barbara",
      familyName: "Liskov",
      formattedName: null,
      displayName: "Babs Account-Name",
    });
  });
});

describe("sendInvitation", () => {
  it("invites a staged member", async () => {
    const org = await newOrganization();
    const [staged] = await db()
      .insert(members)
      .values({
        organizationId: org.organization.id,
        email: "staged@example.com",
        userName: "staged@example.com",
        status: "staged",
        origin: "scim",
      })
      .returning();
    const invited = await db().transaction((tx) =>
      sendInvitation(tx, staged, actorOf(org)),
    );
    expect(invited.status).toBe("invited");
    const { memberId, token } = await invitationToken("staged@example.com");
    expect(memberId).toBe(staged.id);
    expect(await problemOf(inspectInvitation(staged.id, token))).toBe("none");

    const again = await rejection(
      db().transaction(async (tx) =>
        sendInvitation(
          tx,
          await lockMember(tx, org.organization.id, staged.id),
          actorOf(org),
        ),
      ),
    );
    expect(again.kind).toBe("invalid");
  });
});

describe("confirmMember", () => {
  it("stores the key the manager encrypted and emails the member", async () => {
    const org = await newOrganization("Hooli");
    const { member, invitee } = await acceptedMember(org);
    const publicKey = await memberPublicKey(org.organization.id, member.id);
    expect(publicKey).toBe(invitee.account.publicKey);

    const encryptedOrganizationKey = await encryptToPublicKey(
      org.organizationKey,
      publicKey,
    );
    const confirmed = await confirmMember({
      organizationId: org.organization.id,
      memberId: member.id,
      encryptedOrganizationKey,
      publicKey,
      manager: org.owner.account,
    });
    expect(confirmed.status).toBe("confirmed");
    expect(await openKey(confirmed.organizationKey!, invitee)).toEqual(
      org.organizationKey,
    );

    const [notice] = await db()
      .select()
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.recipient, member.email),
          eq(emailOutbox.kind, "member_confirmed"),
        ),
      );
    expect(notice.subject).toBe("You now have access to Hooli");
    expect(notice.textBody).toContain(
      `/organizations/${org.organization.id}/vault`,
    );
    const [event] = await db()
      .select()
      .from(events)
      .where(
        and(
          eq(events.type, "member.confirmed"),
          eq(events.targetId, member.id),
        ),
      );
    expect(event.actorAccountId).toBe(org.owner.account.id);
  });

  it("requires an accepted member", async () => {
    const org = await newOrganization();
    const { member } = await invite(org);
    const error = await rejection(
      memberPublicKey(org.organization.id, member.id),
    );
    expect(error).toMatchObject({ kind: "invalid" });
    expect(error.message).toMatch(/has not accepted/);

    const confirmError = await rejection(
      confirmMember({
        organizationId: org.organization.id,
        memberId: member.id,
        encryptedOrganizationKey: await encryptToPublicKey(
          org.organizationKey,
          org.owner.account.publicKey,
        ),
        publicKey: org.owner.account.publicKey,
        manager: org.owner.account,
      }),
    );
    expect(confirmError.kind).toBe("invalid");
    expect((await memberRow(member.id)).status).toBe("invited");
  });

  it("requires a confirmed owner or admin of that organization", async () => {
    const org = await newOrganization();
    const { member, invitee } = await acceptedMember(org);
    const colleague = await acceptedMember(org);
    const other = await newOrganization("Other");
    const input = {
      organizationId: org.organization.id,
      memberId: member.id,
      encryptedOrganizationKey: await encryptToPublicKey(
        org.organizationKey,
        invitee.account.publicKey,
      ),
      publicKey: invitee.account.publicKey,
    };

    // An accepted (unconfirmed) member cannot confirm a colleague.
    await db()
      .update(members)
      .set({ role: "admin" })
      .where(eq(members.id, colleague.member.id));
    expect(
      (
        await rejection(
          confirmMember({ ...input, manager: colleague.invitee.account }),
        )
      ).kind,
    ).toBe("forbidden");
    // Another organization's owner does not even see the organization.
    expect(
      (
        await rejection(
          confirmMember({ ...input, manager: other.owner.account }),
        )
      ).kind,
    ).toBe("not_found");
    // A member id from another organization is not found.
    expect(
      (
        await rejection(
          confirmMember({
            ...input,
            organizationId: other.organization.id,
            manager: other.owner.account,
          }),
        )
      ).kind,
    ).toBe("not_found");
    expect((await memberRow(member.id)).status).toBe("accepted");
  });

  it.each([
    ["plain text", "the organization key"],
    ["an AES ciphertext", "a1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a short RSA ciphertext", "r1.AAAA"],
  ])("refuses %s as the encrypted key", async (_, encryptedOrganizationKey) => {
    const org = await newOrganization();
    const { member, invitee } = await acceptedMember(org);
    const error = await rejection(
      confirmMember({
        organizationId: org.organization.id,
        memberId: member.id,
        encryptedOrganizationKey,
        publicKey: invitee.account.publicKey,
        manager: org.owner.account,
      }),
    );
    expect(error.kind).toBe("invalid");
    expect((await memberRow(member.id)).organizationKey).toBeNull();
  });

  it("refuses a key encrypted to another public key than the member's", async () => {
    const org = await newOrganization();
    const { member } = await acceptedMember(org);
    const error = await rejection(
      confirmMember({
        organizationId: org.organization.id,
        memberId: member.id,
        encryptedOrganizationKey: await encryptToPublicKey(
          org.organizationKey,
          org.owner.account.publicKey,
        ),
        publicKey: org.owner.account.publicKey,
        manager: org.owner.account,
      }),
    );
    expect(error.kind).toBe("invalid");
    expect(error.message).toMatch(/key changed/);
  });
});
