import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  events,
  groupMembers,
  groups,
  invitations,
  members,
} from "@/db/schema";
import {
  insertConsoleMember,
  oktaUser,
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
} from "@/tests/support/scim";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let server: ScimTestServer;
let org: ScimTestOrganization;

beforeAll(async () => {
  server = await startScimServer();
  org = await server.organization();
});
afterAll(async () => {
  await server.close();
});

async function stored(id: string) {
  const [member] = await db().select().from(members).where(eq(members.id, id));
  return member;
}

async function eventsOf(id: string) {
  return db()
    .select()
    .from(events)
    .where(eq(events.targetId, id))
    .orderBy(desc(events.id));
}

function patch(id: string, operations: unknown[], headers = {}) {
  return org.scim(`/Users/${id}`, {
    method: "PATCH",
    body: { schemas: [PATCH_OP], Operations: operations },
    headers,
  });
}

describe("PUT /Users/{id}", () => {
  it("replaces names, displayName, externalId and the extension", async () => {
    const user = await org.createUser({
      [ENTERPRISE]: { department: "Old", costCenter: "C1" },
    });
    const response = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: {
        ...user,
        name: { givenName: "New", familyName: "Name" },
        displayName: "New Name",
        externalId: "replaced-external",
        [ENTERPRISE]: { department: "New" },
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: { givenName: "New", familyName: "Name", formatted: "New Name" },
      displayName: "New Name",
      externalId: "replaced-external",
      [ENTERPRISE]: { department: "New" },
    });
    expect(response.body[ENTERPRISE].costCenter).toBeUndefined();
    expect(response.body.meta.version).toBe('W/"2"');
    const [event] = await eventsOf(user.id);
    expect(event.type).toBe("member.updated");
  });

  it("revokes on active false and restores on active true", async () => {
    const user = await org.createUser();
    const revoked = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...user, active: false },
    });
    expect(revoked.body.active).toBe(false);
    expect(await stored(user.id)).toMatchObject({
      status: "revoked",
      statusBeforeRevocation: "invited",
    });

    const unchanged = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...user, active: undefined },
    });
    expect(unchanged.body.active).toBe(false);

    const restored = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...user, active: "True" },
    });
    expect(restored.body.active).toBe(true);
    expect((await stored(user.id)).status).toBe("invited");
  });

  it("keeps email and userName and records the ignored change", async () => {
    const user = await org.createUser();
    const response = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: {
        ...user,
        userName: "renamed@example.com",
        emails: [{ value: "renamed@example.com", primary: true }],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.userName).toBe(user.userName);
    expect(response.body.emails).toEqual(user.emails);
    const [event] = await eventsOf(user.id);
    expect(event).toMatchObject({
      type: "member.change_ignored",
      details: {
        attempted: {
          email: "renamed@example.com",
          userName: "renamed@example.com",
        },
      },
    });
  });

  it("ignores read-only attributes", async () => {
    const user = await org.createUser({
      name: { givenName: "Read", familyName: "Only", formatted: "Read Only" },
    });
    const response = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: {
        ...user,
        id: "11111111-1111-4111-8111-111111111111",
        meta: { version: 'W/"99"' },
        groups: [{ value: "x" }],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(user.id);
    expect(response.body.meta.version).toBe('W/"1"');
  });

  it("answers 412 to a stale If-Match, changing nothing", async () => {
    const user = await org.createUser();
    const before = await org.counts();
    const response = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...user, displayName: "Stale" },
      headers: { "if-match": 'W/"7"' },
    });
    expect(response.status).toBe(412);
    expect(response.body.status).toBe("412");
    expect(await org.counts()).toEqual(before);
    expect((await stored(user.id)).displayName).toBe(user.displayName);

    const fresh = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...user, displayName: "Fresh" },
      headers: { "if-match": user.meta.version },
    });
    expect(fresh.status).toBe(200);
  });

  it("answers 409 for another member's externalId", async () => {
    const first = await org.createUser();
    const second = await org.createUser();
    const before = await org.counts();
    const response = await org.scim(`/Users/${second.id}`, {
      method: "PUT",
      body: { ...second, externalId: first.externalId },
    });
    expect(response.status).toBe(409);
    expect(response.body.scimType).toBe("uniqueness");
    expect(await org.counts()).toEqual(before);
  });

  it.each([
    ["malformed JSON", "{"],
    ["an overlong displayName", { displayName: "d".repeat(257) }],
    ["active as a number", { active: 0 }],
  ])("refuses %s with 400, changing nothing", async (_, body) => {
    const user = await org.createUser();
    const before = await org.counts();
    const response = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: typeof body === "string" ? body : { ...user, ...body },
    });
    expect(response.status).toBe(400);
    expect(await org.counts()).toEqual(before);
    expect(await stored(user.id)).toMatchObject({ version: 1 });
  });

  it("answers 404 for an unknown or malformed id", async () => {
    for (const id of [
      "00000000-0000-4000-8000-000000000000",
      "010101001010101011001010101011",
    ]) {
      const response = await org.scim(`/Users/${id}`, {
        method: "PUT",
        body: oktaUser(),
      });
      expect(response.status).toBe(404);
    }
  });
});

describe("PATCH /Users/{id}", () => {
  it.each([
    ["active", false, { active: false }],
    ["externalId", "patched-ext", { externalId: "patched-ext" }],
    ["displayName", "Patched", { displayName: "Patched" }],
    ["name.givenName", "Pat", { name: { givenName: "Pat" } }],
    ["name.familyName", "Ched", { name: { familyName: "Ched" } }],
    ["name.formatted", "Pat Ched", { name: { formatted: "Pat Ched" } }],
    [
      `${ENTERPRISE}:department`,
      "Research",
      { [ENTERPRISE]: { department: "Research" } },
    ],
    [
      `${ENTERPRISE}:manager`,
      "manager-id",
      { [ENTERPRISE]: { manager: { value: "manager-id" } } },
    ],
    [
      "urn:ietf:params:scim:schemas:core:2.0:User:displayName",
      "Urn",
      { displayName: "Urn" },
    ],
  ])("replaces the path %s", async (path, value, expected) => {
    const user = await org.createUser();
    const response = await patch(user.id, [{ op: "replace", path, value }]);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject(expected);
    expect(response.body.meta.version).not.toBe(user.meta.version);
  });

  it.each([
    ["plain", { displayName: "Plain", externalId: "plain-ext" }],
    ["dotted", { "name.givenName": "Dotted", displayName: "Plain" }],
    [
      "full URN",
      {
        [`${ENTERPRISE}:employeeNumber`]: "42",
        "urn:ietf:params:scim:schemas:core:2.0:User:displayName": "Plain",
      },
    ],
    [
      "nested",
      { name: { familyName: "Nested" }, [ENTERPRISE]: { division: "D" } },
    ],
  ])("applies a path-less value object with %s keys", async (_, value) => {
    const user = await org.createUser();
    const response = await patch(user.id, [{ op: "replace", value }]);
    expect(response.status).toBe(200);
    const body = response.body;
    if ("displayName" in value) expect(body.displayName).toBe("Plain");
    if ("externalId" in value) expect(body.externalId).toBe("plain-ext");
    if ("name.givenName" in value) {
      expect(body.name.givenName).toBe("Dotted");
      expect(body.name.familyName).toBe(user.name.familyName);
    }
    if (`${ENTERPRISE}:employeeNumber` in value) {
      expect(body[ENTERPRISE]).toEqual({ employeeNumber: "42" });
      expect(body.schemas).toContain(ENTERPRISE);
    }
    if ("name" in value) {
      expect(body.name).toMatchObject({
        givenName: user.name.givenName,
        familyName: "Nested",
      });
      expect(body[ENTERPRISE]).toEqual({ division: "D" });
    }
  });

  it("ignores read-only keys in a value object", async () => {
    const user = await org.createUser();
    const response = await patch(user.id, [
      {
        op: "replace",
        value: { id: "x", meta: {}, groups: [], displayName: "Kept" },
      },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(user.id);
    expect(response.body.displayName).toBe("Kept");
  });

  it("removes an attribute", async () => {
    const user = await org.createUser({ [ENTERPRISE]: { department: "X" } });
    const response = await patch(user.id, [
      { op: "remove", path: "externalId" },
      { op: "remove", path: `${ENTERPRISE}:department` },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.externalId).toBeUndefined();
    expect(response.body[ENTERPRISE]).toBeUndefined();
    expect(response.body.schemas).toEqual([
      "urn:ietf:params:scim:schemas:core:2.0:User",
    ]);
  });

  it("deactivates and reactivates as Okta does", async () => {
    const user = await org.createUser();
    const off = await patch(user.id, [
      { op: "replace", value: { active: false } },
    ]);
    expect(off.body.active).toBe(false);
    expect((await stored(user.id)).status).toBe("revoked");
    const again = await patch(user.id, [
      { op: "replace", value: { active: false } },
    ]);
    expect(again.status).toBe(200);
    const on = await patch(user.id, [
      { op: "replace", value: { active: true } },
    ]);
    expect(on.body.active).toBe(true);
    expect((await stored(user.id)).status).toBe("invited");
    const types = (await eventsOf(user.id)).map((event) => event.type);
    expect(types.filter((type) => type === "member.revoked")).toHaveLength(1);
    expect(types.filter((type) => type === "member.restored")).toHaveLength(1);
  });

  it("sends the invitation when a member provisioned inactive is restored", async () => {
    const user = await org.createUser({ active: false });
    expect(
      await db()
        .select()
        .from(invitations)
        .where(eq(invitations.memberId, user.id)),
    ).toHaveLength(0);
    const on = await patch(user.id, [
      { op: "Replace", path: "active", value: "True" },
    ]);
    expect(on.body.active).toBe(true);
    expect(
      await db()
        .select()
        .from(invitations)
        .where(eq(invitations.memberId, user.id)),
    ).toHaveLength(1);
  });

  it("keeps the email when a path changes it and records that", async () => {
    const user = await org.createUser();
    const response = await patch(user.id, [
      {
        op: "Replace",
        path: 'emails[type eq "work"].value',
        value: "moved@x.example",
      },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.emails).toEqual(user.emails);
    const [event] = await eventsOf(user.id);
    expect(event).toMatchObject({
      type: "member.change_ignored",
      details: { attempted: { email: "moved@x.example" } },
    });
  });

  it("writes no event when the email path repeats the stored email", async () => {
    const user = await org.createUser();
    const before = await org.counts();
    const response = await patch(user.id, [
      {
        op: "replace",
        path: 'emails[type eq "work"].value',
        value: user.emails[0].value,
      },
    ]);
    expect(response.status).toBe(200);
    expect(await org.counts()).toEqual(before);
  });

  it("applies all operations or none", async () => {
    const user = await org.createUser();
    const before = await org.counts();
    const response = await patch(user.id, [
      { op: "replace", path: "displayName", value: "Half" },
      { op: "replace", path: "active", value: false },
      { op: "replace", path: "nickName2", value: "x" },
    ]);
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidPath");
    expect(await org.counts()).toEqual(before);
    expect(await stored(user.id)).toMatchObject({
      displayName: user.displayName,
      status: "invited",
      version: 1,
    });
  });

  it("refuses to revoke the last confirmed owner", async () => {
    const fresh = await server.organization();
    const { member } = await insertConsoleMember(fresh.organizationId, {
      role: "owner",
      status: "confirmed",
    });
    const before = await fresh.counts();
    const response = await fresh.scim(`/Users/${member.id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { active: false } }],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/last confirmed owner/);
    expect(await fresh.counts()).toEqual(before);

    await insertConsoleMember(fresh.organizationId, {
      role: "owner",
      status: "confirmed",
    });
    const allowed = await fresh.scim(`/Users/${member.id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { active: false } }],
      },
    });
    expect(allowed.status).toBe(200);
    expect((await stored(member.id)).statusBeforeRevocation).toBe("confirmed");
  });

  it("answers 412 to a stale If-Match", async () => {
    const user = await org.createUser();
    const response = await patch(
      user.id,
      [{ op: "replace", path: "displayName", value: "x" }],
      { "if-match": 'W/"5"' },
    );
    expect(response.status).toBe(412);
    expect((await stored(user.id)).version).toBe(1);
  });

  describe("bad input", () => {
    const many = Array.from({ length: 1001 }, () => ({
      op: "replace",
      path: "displayName",
      value: "x",
    }));
    const cases: [string, unknown, number, string | undefined][] = [
      ["malformed JSON", "{", 400, "invalidSyntax"],
      ["no Operations", { schemas: [PATCH_OP] }, 400, "invalidSyntax"],
      [
        "empty Operations",
        { schemas: [PATCH_OP], Operations: [] },
        400,
        "invalidSyntax",
      ],
      [
        "a wrong schema",
        {
          schemas: ["urn:x"],
          Operations: [{ op: "add", path: "displayName", value: "x" }],
        },
        400,
        "invalidSyntax",
      ],
      [
        "an unknown op",
        { Operations: [{ op: "merge", path: "displayName", value: "x" }] },
        400,
        "invalidSyntax",
      ],
      [
        "an operation that is not an object",
        { Operations: ["replace"] },
        400,
        "invalidSyntax",
      ],
      [
        "an unknown path",
        { Operations: [{ op: "replace", path: "shoeSize", value: 9 }] },
        400,
        "invalidPath",
      ],
      [
        "an unknown name part",
        { Operations: [{ op: "replace", path: "name.nickname", value: "x" }] },
        400,
        "invalidPath",
      ],
      [
        "an unknown enterprise attribute",
        {
          Operations: [
            { op: "replace", path: `${ENTERPRISE}:shoeSize`, value: "9" },
          ],
        },
        400,
        "invalidPath",
      ],
      [
        "an unknown key in a value object",
        { Operations: [{ op: "replace", value: { shoeSize: 9 } }] },
        400,
        "invalidPath",
      ],
      [
        "a path naming a read-only attribute",
        { Operations: [{ op: "replace", path: "id", value: "x" }] },
        400,
        "mutability",
      ],
      [
        "remove without a path",
        { Operations: [{ op: "remove" }] },
        400,
        "noTarget",
      ],
      [
        "remove active",
        { Operations: [{ op: "remove", path: "active" }] },
        400,
        "mutability",
      ],
      [
        "replace without a value",
        { Operations: [{ op: "replace", path: "displayName" }] },
        400,
        "invalidValue",
      ],
      [
        "a path-less value that is not an object",
        { Operations: [{ op: "replace", value: "x" }] },
        400,
        "invalidValue",
      ],
      [
        "active as maybe",
        { Operations: [{ op: "replace", path: "active", value: "maybe" }] },
        400,
        "invalidValue",
      ],
      [
        "an overlong displayName",
        {
          Operations: [
            { op: "replace", path: "displayName", value: "d".repeat(257) },
          ],
        },
        400,
        "invalidValue",
      ],
      [
        "an overlong externalId",
        {
          Operations: [
            { op: "add", path: "externalId", value: "e".repeat(301) },
          ],
        },
        400,
        "invalidValue",
      ],
      [
        "a numeric displayName",
        { Operations: [{ op: "replace", path: "displayName", value: 5 }] },
        400,
        "invalidValue",
      ],
      [
        "an invalid email",
        {
          Operations: [
            {
              op: "replace",
              path: 'emails[type eq "work"].value',
              value: "nope",
            },
          ],
        },
        400,
        "invalidValue",
      ],
      [
        "1001 operations",
        { schemas: [PATCH_OP], Operations: many },
        400,
        "invalidValue",
      ],
    ];

    it.each(cases)(
      "refuses %s, changing nothing",
      async (_, body, status, scimType) => {
        const user = await org.createUser();
        const before = await org.counts();
        const response = await org.scim(`/Users/${user.id}`, {
          method: "PATCH",
          body,
        });
        expect(response.status).toBe(status);
        expect(response.body.status).toBe(String(status));
        if (scimType) expect(response.body.scimType).toBe(scimType);
        expect(await org.counts()).toEqual(before);
        expect((await stored(user.id)).version).toBe(1);
      },
    );

    it("answers 404 for a malformed id before reading the body", async () => {
      const response = await org.scim("/Users/not-a-uuid", {
        method: "PATCH",
        body: "{",
      });
      expect(response.status).toBe(404);
    });
  });
});

describe("DELETE /Users/{id}", () => {
  it("removes the membership and its group links", async () => {
    const user = await org.createUser();
    const [group] = await db()
      .insert(groups)
      .values({
        organizationId: org.organizationId,
        displayName: `G ${user.id}`,
      })
      .returning();
    await db()
      .insert(groupMembers)
      .values({ groupId: group.id, memberId: user.id });

    const response = await org.scim(`/Users/${user.id}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect((await org.scim(`/Users/${user.id}`)).status).toBe(404);
    expect(await stored(user.id)).toBeUndefined();
    expect(
      await db()
        .select()
        .from(groupMembers)
        .where(eq(groupMembers.memberId, user.id)),
    ).toEqual([]);
    expect(
      await db()
        .select()
        .from(invitations)
        .where(eq(invitations.memberId, user.id)),
    ).toEqual([]);
    const [event] = await eventsOf(user.id);
    expect(event.type).toBe("member.removed");
  });

  it("answers 404 the second time", async () => {
    const user = await org.createUser();
    await org.scim(`/Users/${user.id}`, { method: "DELETE" });
    const again = await org.scim(`/Users/${user.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
  });

  it("keeps the account of a removed console member", async () => {
    const { member, account } = await insertConsoleMember(org.organizationId);
    const response = await org.scim(`/Users/${member.id}`, {
      method: "DELETE",
    });
    expect(response.status).toBe(204);
    const { accounts } = await import("@/db/schema");
    const rows = await db()
      .select()
      .from(accounts)
      .where(eq(accounts.id, account.id));
    expect(rows).toHaveLength(1);
  });

  it("refuses to remove the last confirmed owner", async () => {
    const fresh = await server.organization();
    const { member } = await insertConsoleMember(fresh.organizationId, {
      role: "owner",
      status: "confirmed",
    });
    const response = await fresh.scim(`/Users/${member.id}`, {
      method: "DELETE",
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/last confirmed owner/);
    expect(await stored(member.id)).toBeDefined();
  });

  it("answers 412 to a stale If-Match and 404 to a malformed id", async () => {
    const user = await org.createUser();
    const stale = await org.scim(`/Users/${user.id}`, {
      method: "DELETE",
      headers: { "if-match": 'W/"9"' },
    });
    expect(stale.status).toBe(412);
    expect(await stored(user.id)).toBeDefined();
    const malformed = await org.scim("/Users/123", { method: "DELETE" });
    expect(malformed.status).toBe(404);
    const current = await org.scim(`/Users/${user.id}`, {
      method: "DELETE",
      headers: { "if-match": 'W/"1"' },
    });
    expect(current.status).toBe(204);
  });

  it("leaves other organizations' members alone", async () => {
    const user = await org.createUser();
    const other = await server.organization();
    const response = await other.scim(`/Users/${user.id}`, {
      method: "DELETE",
    });
    expect(response.status).toBe(404);
    const [member] = await db()
      .select()
      .from(members)
      .where(and(eq(members.id, user.id)));
    expect(member).toBeDefined();
  });
});
