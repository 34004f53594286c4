import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { groups } from "@/db/schema";
import type { ConsoleAccount } from "@/lib/console/access";
import { eventsCsv, eventsPage } from "@/lib/console/events";
import {
  addGroupMembersByEmail,
  createGroupByAdmin,
  deleteGroupByAdmin,
  groupDetail,
  groupsPage,
  removeGroupMembersByAdmin,
  renameGroupByAdmin,
  setGroupCollectionsByAdmin,
} from "@/lib/console/groups";
import {
  applyMemberAction,
  changeMemberRole,
  inviteMemberByAdmin,
} from "@/lib/console/member-actions";
import { membersPage } from "@/lib/console/members";
import {
  revealScimKeyWithPassword,
  rotateScimKeyWithPassword,
  saveScimSettings,
  scimSettings,
} from "@/lib/console/scim-settings";
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
  await saveScimSettings(people.owner, orgId, {
    enabled: true,
    sendInvitations: true,
  });
});

async function group(name: string) {
  const [row] = await db()
    .insert(groups)
    .values({ organizationId: orgId, displayName: `${name} ${Math.random()}` })
    .returning();
  return row.id;
}

let counter = 0;
const fresh = () => `person${++counter}.${Date.now()}@example.com`;

/** Each case: what a person does, given a fresh target where one is needed. */
const cases: [string, (who: ConsoleAccount) => Promise<unknown>][] = [
  ["membersPage", (who) => membersPage(who, orgId, {})],
  [
    "applyMemberAction",
    async (who) => {
      const member = await invitedMember(orgId, fresh());
      return applyMemberAction(who, orgId, {
        action: "revoke",
        memberIds: [member.id],
      });
    },
  ],
  [
    "changeMemberRole",
    async (who) => {
      const member = await invitedMember(orgId, fresh());
      return changeMemberRole(who, orgId, {
        memberId: member.id,
        role: "admin",
      });
    },
  ],
  [
    "inviteMemberByAdmin",
    (who) => inviteMemberByAdmin(who, orgId, { email: fresh(), role: "user" }),
  ],
  ["scimSettings", (who) => scimSettings(who, orgId)],
  [
    "saveScimSettings",
    (who) =>
      saveScimSettings(who, orgId, { enabled: true, sendInvitations: true }),
  ],
  [
    "revealScimKeyWithPassword",
    (who) => revealScimKeyWithPassword(who, orgId, authHashFor(who.email)),
  ],
  [
    "rotateScimKeyWithPassword",
    (who) => rotateScimKeyWithPassword(who, orgId, authHashFor(who.email)),
  ],
  ["eventsPage", (who) => eventsPage(who, orgId, {})],
  ["eventsCsv", (who) => eventsCsv(who, orgId, {})],
  ["groupsPage", (who) => groupsPage(who, orgId, {})],
  ["groupDetail", async (who) => groupDetail(who, orgId, await group("d"), {})],
  [
    "createGroupByAdmin",
    (who) => createGroupByAdmin(who, orgId, { displayName: fresh() }),
  ],
  [
    "renameGroupByAdmin",
    async (who) =>
      renameGroupByAdmin(who, orgId, await group("r"), {
        displayName: fresh(),
      }),
  ],
  [
    "deleteGroupByAdmin",
    async (who) => deleteGroupByAdmin(who, orgId, await group("x")),
  ],
  [
    "addGroupMembersByEmail",
    async (who) =>
      addGroupMembersByEmail(who, orgId, await group("a"), {
        emails: people.user.email,
      }),
  ],
  [
    "removeGroupMembersByAdmin",
    async (who) =>
      removeGroupMembersByAdmin(who, orgId, await group("m"), {
        memberIds: [people.userMember.id],
      }),
  ],
  [
    "setGroupCollectionsByAdmin",
    async (who) =>
      setGroupCollectionsByAdmin(who, orgId, await group("c"), {
        collectionIds: [],
      }),
  ],
];

describe.each(cases)("%s", (_, act) => {
  it("works for an owner", async () => {
    expect(await outcome(act(people.owner))).toBe("resolved");
  });
  it("works for an admin", async () => {
    expect(await outcome(act(people.admin))).toBe("resolved");
  });
  it("is forbidden to a user member", async () => {
    expect(await outcome(act(people.user))).toBe("forbidden");
  });
  it("is not found for an outsider", async () => {
    expect(await outcome(act(people.outsider))).toBe("not_found");
  });
});

describe("ids of another organization", () => {
  it("are not found for member actions", async () => {
    const foreign = await invitedMember(people.otherOrganization.id, fresh());
    expect(
      await outcome(
        applyMemberAction(people.owner, orgId, {
          action: "remove",
          memberIds: [foreign.id],
        }),
      ),
    ).toBe("not_found");
    expect(
      await outcome(
        changeMemberRole(people.owner, orgId, {
          memberId: foreign.id,
          role: "admin",
        }),
      ),
    ).toBe("not_found");
  });

  it("are not found for group actions", async () => {
    const [foreign] = await db()
      .insert(groups)
      .values({
        organizationId: people.otherOrganization.id,
        displayName: "Theirs",
      })
      .returning();
    // Each action starts only when its turn comes, so none rejects unawaited.
    for (const act of [
      () => groupDetail(people.owner, orgId, foreign.id, {}),
      () =>
        renameGroupByAdmin(people.owner, orgId, foreign.id, {
          displayName: "Mine now",
        }),
      () => deleteGroupByAdmin(people.owner, orgId, foreign.id),
      () =>
        setGroupCollectionsByAdmin(people.owner, orgId, foreign.id, {
          collectionIds: [],
        }),
    ]) {
      expect(await outcome(act())).toBe("not_found");
    }
  });

  it("another organization's manager cannot act here with its own org id mixed in", async () => {
    expect(
      await outcome(
        applyMemberAction(people.outsider, orgId, {
          action: "revoke",
          memberIds: [people.userMember.id],
        }),
      ),
    ).toBe("not_found");
  });
});
