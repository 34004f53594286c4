import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { events, members, scimConfigs } from "@/db/schema";
import { csvCell, csvLine } from "@/lib/console/csv";
import { eventsCsv, eventsPage } from "@/lib/console/events";
import {
  addGroupMembersByEmail,
  createGroupByAdmin,
  groupDetail,
  groupsPage,
} from "@/lib/console/groups";
import {
  applyMemberAction,
  changeMemberRole,
  inviteMemberByAdmin,
} from "@/lib/console/member-actions";
import { likePrefix, membersPage } from "@/lib/console/members";
import {
  revealScimKeyWithPassword,
  rotateScimKeyWithPassword,
  saveScimSettings,
  scimSettings,
} from "@/lib/console/scim-settings";
import { seedMembers } from "@/lib/console/seed-members";
import { hashToken } from "@/lib/tokens";
import {
  authHashFor,
  invitedMember,
  organizationWithPeople,
  outcome,
} from "./fixtures";

let people: Awaited<ReturnType<typeof organizationWithPeople>>;
let orgId: string;

beforeAll(async () => {
  people = await organizationWithPeople();
  orgId = people.organization.id;
});

describe("bulk member actions", () => {
  it("revokes the selection and skips the last owner with the reason", async () => {
    const invited = await Promise.all(
      ["a", "b", "c"].map((tag) =>
        invitedMember(orgId, `${tag}.bulk@example.com`),
      ),
    );
    const summary = await applyMemberAction(people.admin, orgId, {
      action: "revoke",
      memberIds: [...invited.map((m) => m.id), people.ownerMember.id],
    });
    expect(summary.done).toBe(3);
    expect(summary.skipped).toHaveLength(1);
    expect(summary.message).toMatch(/^3 revoked, 1 skipped: only owners can/);

    const byOwner = await applyMemberAction(people.owner, orgId, {
      action: "revoke",
      memberIds: [people.ownerMember.id],
    });
    expect(byOwner.message).toContain("you cannot revoke yourself");
  });

  it("restores revoked members to their earlier status", async () => {
    const member = await invitedMember(
      orgId,
      "restore.me@example.com",
      "revoked",
    );
    const summary = await applyMemberAction(people.owner, orgId, {
      action: "restore",
      memberIds: [member.id],
    });
    expect(summary.message).toBe("restore.me@example.com: restored.");
    const [row] = await db()
      .select()
      .from(members)
      .where(eq(members.id, member.id));
    expect(row.status).toBe("invited");
  });

  it("sends a staged member's first invitation", async () => {
    const member = await invitedMember(
      orgId,
      "staged.one@example.com",
      "staged",
    );
    const summary = await applyMemberAction(people.owner, orgId, {
      action: "send-invitation",
      memberIds: [member.id],
    });
    expect(summary.done).toBe(1);
    const [row] = await db()
      .select()
      .from(members)
      .where(eq(members.id, member.id));
    expect(row.status).toBe("invited");
  });

  it("rejects a malformed request with a message", async () => {
    expect(
      await outcome(
        applyMemberAction(people.owner, orgId, {
          action: "explode",
          memberIds: [],
        }),
      ),
    ).toBe("invalid");
  });
});

describe("roles", () => {
  it("lets only owners make owners", async () => {
    const member = await invitedMember(orgId, "promote.me@example.com");
    expect(
      await outcome(
        changeMemberRole(people.admin, orgId, {
          memberId: member.id,
          role: "owner",
        }),
      ),
    ).toBe("forbidden");
    const changed = await changeMemberRole(people.owner, orgId, {
      memberId: member.id,
      role: "owner",
    });
    expect(changed.role).toBe("owner");
    expect(
      await outcome(
        inviteMemberByAdmin(people.admin, orgId, {
          email: "o@example.com",
          role: "owner",
        }),
      ),
    ).toBe("forbidden");
  });

  it("keeps the last confirmed owner an owner", async () => {
    const solo = await organizationWithPeople();
    expect(
      await outcome(
        changeMemberRole(solo.owner, solo.organization.id, {
          memberId: solo.ownerMember.id,
          role: "user",
        }),
      ),
    ).toBe("invalid");
  });

  it("invites by email and refuses a duplicate with a conflict", async () => {
    await inviteMemberByAdmin(people.owner, orgId, {
      email: "New.Person@Example.com",
      role: "admin",
    });
    expect(
      await outcome(
        inviteMemberByAdmin(people.owner, orgId, {
          email: "new.person@example.com",
          role: "user",
        }),
      ),
    ).toBe("conflict");
    expect(
      await outcome(
        inviteMemberByAdmin(people.owner, orgId, {
          email: "not-an-email",
          role: "user",
        }),
      ),
    ).toBe("invalid");
  });
});

describe("the Members page", () => {
  it("pages forwards and backwards with stable keyset cursors", async () => {
    const big = await organizationWithPeople();
    await seedMembers(db(), big.organization.id, 120, { prefix: "pager" });
    const first = await membersPage(big.owner, big.organization.id, {});
    expect(first.rows).toHaveLength(50);
    expect(first.counts.all).toBe(123);
    expect(first.previousCursor).toBeUndefined();
    const second = await membersPage(big.owner, big.organization.id, {
      after: first.nextCursor,
    });
    const third = await membersPage(big.owner, big.organization.id, {
      after: second.nextCursor,
    });
    expect(third.rows).toHaveLength(23);
    expect(third.nextCursor).toBeUndefined();
    const seen = new Set(
      [...first.rows, ...second.rows, ...third.rows].map((r) => r.id),
    );
    expect(seen.size).toBe(123);
    const back = await membersPage(big.owner, big.organization.id, {
      before: third.previousCursor,
    });
    expect(back.rows.map((r) => r.id)).toEqual(second.rows.map((r) => r.id));
    const last = await membersPage(big.owner, big.organization.id, {
      last: "1",
    });
    const all = [...first.rows, ...second.rows, ...third.rows];
    expect(last.rows.map((r) => r.id)).toEqual(all.slice(-50).map((r) => r.id));
    expect(last.nextCursor).toBeUndefined();
    expect(last.previousCursor).toBeDefined();

    const byEmail = await membersPage(big.owner, big.organization.id, {
      sort: "email",
    });
    const emails = byEmail.rows.map((r) => r.email.toLowerCase());
    expect(emails).toEqual([...emails].sort());
  });

  it("filters by tab, searches prefixes, and ignores junk parameters", async () => {
    const big = await organizationWithPeople();
    await seedMembers(db(), big.organization.id, 100, { prefix: "tabs" });
    const revoked = await membersPage(big.owner, big.organization.id, {
      tab: "revoked",
    });
    expect(revoked.rows.every((r) => r.status === "revoked")).toBe(true);
    expect(revoked.matching).toBe(revoked.counts.revoked);

    const search = await membersPage(big.owner, big.organization.id, {
      q: "TABS4",
    });
    expect(search.rows.map((r) => r.email).sort()).toEqual(
      [
        "tabs4@seed.example.com",
        ...Array.from(
          { length: 10 },
          (_, i) => `tabs${40 + i}@seed.example.com`,
        ),
      ].sort(),
    );
    const byName = await membersPage(big.owner, big.organization.id, {
      q: "uma",
    });
    expect(byName.rows.map((r) => r.name)).toEqual(["Uma User"]);

    const junk = await membersPage(big.owner, big.organization.id, {
      tab: "nope",
      sort: ["x"],
      after: "%%%",
      q: "a%_\\",
    });
    expect(junk.rows).toEqual([]);
    expect(likePrefix("a%_\\")).toBe("a\\%\\_\\\\%");
  });

  it("shows each member's groups", async () => {
    const group = await createGroupByAdmin(people.owner, orgId, {
      displayName: "Readers",
    });
    await addGroupMembersByEmail(people.owner, orgId, group.id, {
      emails: people.user.email,
    });
    const page = await membersPage(people.owner, orgId, {
      q: people.user.email,
    });
    expect(page.rows[0].groups).toEqual([
      { id: group.id, displayName: "Readers" },
    ]);
  });
});

describe("SCIM settings", () => {
  it("saves the switches and writes events", async () => {
    const org = await organizationWithPeople();
    const id = org.organization.id;
    const saved = await saveScimSettings(org.owner, id, {
      enabled: true,
      sendInvitations: false,
    });
    expect(saved).toMatchObject({
      enabled: true,
      hasKey: true,
      sendInvitations: false,
    });
    expect(saved.scimUrl).toBe(`http://console.test/scim/v2/${id}`);
    await saveScimSettings(org.owner, id, {
      enabled: false,
      sendInvitations: false,
    });
    const types = (
      await db().select().from(events).where(eq(events.organizationId, id))
    ).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "scim.enabled",
        "scim.settings_changed",
        "scim.disabled",
      ]),
    );
    expect((await scimSettings(org.owner, id)).enabled).toBe(false);
  });

  it("reveals and rotates the key only with the right master password, throttling wrong ones", async () => {
    const org = await organizationWithPeople();
    const id = org.organization.id;
    await saveScimSettings(org.owner, id, {
      enabled: true,
      sendInvitations: true,
    });

    const key = await revealScimKeyWithPassword(
      org.owner,
      id,
      authHashFor(org.owner.email),
    );
    expect(key).toMatch(/^scim_/);

    const started = Date.now();
    expect(
      await outcome(
        revealScimKeyWithPassword(org.owner, id, authHashFor("wrong")),
      ),
    ).toBe("invalid");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const rotated = await rotateScimKeyWithPassword(
      org.owner,
      id,
      authHashFor(org.owner.email),
    );
    expect(rotated).not.toBe(key);
    const [config] = await db()
      .select()
      .from(scimConfigs)
      .where(eq(scimConfigs.organizationId, id));
    expect(config.apiKeyHash).toBe(hashToken(rotated));

    // A correct password cleared the counter; five wrong ones block.
    for (let i = 0; i < 5; i++) {
      await outcome(revealScimKeyWithPassword(org.owner, id, "garbage"));
    }
    expect(
      await outcome(
        revealScimKeyWithPassword(org.owner, id, authHashFor(org.owner.email)),
      ),
    ).toBe("rate_limited");
  }, 30_000);
});

describe("the Event log", () => {
  it("filters by type and date, pages, and exports escaped CSV", async () => {
    const org = await organizationWithPeople();
    const id = org.organization.id;
    await db()
      .insert(events)
      .values([
        ...Array.from({ length: 60 }, (_, i) => ({
          organizationId: id,
          type: "member.invited",
          actorType: "account" as const,
          actorLabel: "Olivia",
          targetType: "member",
          targetLabel: `m${i}@example.com`,
          createdAt: new Date(Date.UTC(2024, 0, 10, 12, 0, i)),
        })),
        {
          organizationId: id,
          type: "group.created",
          actorType: "scim" as const,
          actorLabel: "SCIM (Okta)",
          targetType: "group",
          targetLabel: '=HYPERLINK("http://evil")',
          createdAt: new Date(Date.UTC(2024, 1, 1)),
        },
      ]);

    const invited = await eventsPage(org.owner, id, { type: "member.invited" });
    expect(invited.rows).toHaveLength(50);
    expect(invited.rows[0].event).toBe("Invited a member");
    const rest = await eventsPage(org.owner, id, {
      type: "member.invited",
      after: invited.nextCursor,
    });
    expect(rest.rows).toHaveLength(10);
    expect(rest.nextCursor).toBeUndefined();

    const february = await eventsPage(org.owner, id, {
      from: "2024-02-01",
      to: "2024-02-01",
    });
    expect(february.rows.map((r) => r.actorLabel)).toEqual(["SCIM (Okta)"]);
    expect(
      (
        await eventsPage(org.owner, id, {
          from: "2024-03-01",
          to: "2024-01-01",
        })
      ).problem,
    ).toMatch(/From date is after/);

    let csv = "";
    for await (const line of await eventsCsv(org.owner, id, {
      from: "2024-01-01",
      to: "2024-12-31",
    })) {
      csv += line;
    }
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toHaveLength(62);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it("escapes CSV cells", () => {
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("+1")).toBe(`"'+1"`);
    expect(csvCell("-1")).toBe(`"'-1"`);
    expect(csvCell("@x")).toBe(`"'@x"`);
    expect(csvCell(null)).toBe('""');
    expect(csvLine(["a", "b\nc"])).toBe('"a","b\nc"\r\n');
  });
});

describe("groups", () => {
  it("lists groups with member counts and a group's members", async () => {
    const org = await organizationWithPeople();
    const id = org.organization.id;
    const group = await createGroupByAdmin(org.owner, id, {
      displayName: "Everyone",
    });
    const result = await addGroupMembersByEmail(org.owner, id, group.id, {
      emails: `${org.user.email}, ${org.admin.email}\nstranger@example.com ${org.user.email}`,
    });
    expect(result).toEqual({
      added: 2,
      alreadyIn: 0,
      notMembers: ["stranger@example.com"],
    });
    const list = await groupsPage(org.owner, id, {});
    expect(list.rows).toEqual([
      expect.objectContaining({ displayName: "Everyone", memberCount: 2 }),
    ]);
    const detail = await groupDetail(org.owner, id, group.id, {});
    expect(detail.members.map((m) => m.email).sort()).toEqual(
      [org.admin.email, org.user.email].sort(),
    );
    expect(
      await outcome(
        createGroupByAdmin(org.owner, id, { displayName: "everyone" }),
      ),
    ).toBe("conflict");
    expect(
      await outcome(createGroupByAdmin(org.owner, id, { displayName: " " })),
    ).toBe("invalid");
  });
});
