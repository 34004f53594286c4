import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
  type ScimUser,
} from "@/tests/support/scim";
import {
  GROUP_SCHEMA,
  groupEvents,
  memberIdsOf,
  patchBody,
  recordStatements,
  seedMembers,
  seedMemberships,
  snapshot,
} from "./groups-support";

let server: ScimTestServer;

beforeAll(async () => {
  server = await startScimServer();
});

afterAll(async () => {
  await server.close();
});

describe("bad input to /Groups", () => {
  let org: ScimTestOrganization;
  let user: ScimUser;
  let target: { id: string; displayName: string };
  let taken: { displayName: string; externalId: string };

  beforeAll(async () => {
    org = await server.organization();
    user = await org.createUser();
    const other = await org.createUser();
    const created = await org.scim("/Groups", {
      method: "POST",
      body: {
        displayName: "Target",
        externalId: "target-ext",
        members: [{ value: user.id }, { value: other.id }],
      },
    });
    target = created.body;
    taken = { displayName: "Taken", externalId: "taken-ext" };
    await org.scim("/Groups", { method: "POST", body: taken });
  });

  const long = (n: number) => "x".repeat(n);
  const manyMembers = (n: number) =>
    Array.from({ length: n }, () => ({ value: randomUUID() }));
  const patchOf = (...operations: object[]) => ({
    method: "PATCH",
    body: patchBody(...operations),
  });

  type Case = [
    name: string,
    path: () => string,
    init: () => { method: string; body?: unknown },
    status: number,
    scimType?: string,
  ];

  const groups = () => "/Groups";
  const targetPath = () => `/Groups/${target.id}`;
  const post = (body: unknown) => () => ({ method: "POST", body });
  const put = (body: unknown) => () => ({ method: "PUT", body });

  const cases: Case[] = [
    // POST
    [
      "POST without displayName",
      groups,
      post({ schemas: [GROUP_SCHEMA] }),
      400,
      "invalidValue",
    ],
    [
      "POST with a blank displayName",
      groups,
      post({ displayName: "  " }),
      400,
      "invalidValue",
    ],
    [
      "POST with a numeric displayName",
      groups,
      post({ displayName: 7 }),
      400,
      "invalidValue",
    ],
    [
      "POST with a 257-character displayName",
      groups,
      post({ displayName: long(257) }),
      400,
      "invalidValue",
    ],
    [
      "POST with a 301-character externalId",
      groups,
      post({ displayName: "New", externalId: long(301) }),
      400,
      "invalidValue",
    ],
    [
      "POST with a duplicate displayName in another case",
      groups,
      post({ displayName: "TAKEN" }),
      409,
      "uniqueness",
    ],
    [
      "POST with a duplicate externalId",
      groups,
      post({ displayName: "New", externalId: "taken-ext" }),
      409,
      "uniqueness",
    ],
    [
      "POST with members that are not a list",
      groups,
      post({ displayName: "New", members: { value: "x" } }),
      400,
      "invalidValue",
    ],
    [
      "POST with a member without value",
      groups,
      post({ displayName: "New", members: [{ display: "x" }] }),
      400,
      "invalidValue",
    ],
    [
      "POST with a member that is a string",
      groups,
      post({ displayName: "New", members: ["x"] }),
      400,
      "invalidValue",
    ],
    [
      "POST with 10 001 members",
      groups,
      post({ displayName: "New", members: manyMembers(10_001) }),
      400,
      "invalidValue",
    ],
    [
      "POST with a NUL in displayName",
      groups,
      post({ displayName: "a\u0000b" }),
      400,
      "invalidValue",
    ],
    [
      "POST with a lone surrogate in displayName",
      groups,
      post({ displayName: "a\udfffb" }),
      400,
      "invalidValue",
    ],
    [
      "PATCH with a NUL in a member id",
      targetPath,
      () =>
        patchOf({ op: "add", path: "members", value: [{ value: "\u0000" }] }),
      400,
      "invalidValue",
    ],
    [
      "POST with a JSON array",
      groups,
      post([{ displayName: "New" }]),
      400,
      "invalidSyntax",
    ],
    [
      "POST with malformed JSON",
      groups,
      post('{"displayName": '),
      400,
      "invalidSyntax",
    ],
    // PUT
    [
      "PUT without displayName",
      targetPath,
      put({ members: [] }),
      400,
      "invalidValue",
    ],
    [
      "PUT with another group's displayName",
      targetPath,
      put({ displayName: "taken" }),
      409,
      "uniqueness",
    ],
    [
      "PUT with another group's externalId",
      targetPath,
      put({ displayName: "Target", externalId: "taken-ext" }),
      409,
      "uniqueness",
    ],
    [
      "PUT with a 257-character displayName",
      targetPath,
      put({ displayName: long(257) }),
      400,
      "invalidValue",
    ],
    [
      "PUT with members that are not a list",
      targetPath,
      put({ displayName: "Target", members: "all" }),
      400,
      "invalidValue",
    ],
    [
      "PUT to a malformed id",
      () => "/Groups/010101001010101011001010101011",
      put({ displayName: "X" }),
      404,
    ],
    [
      "PUT to an unknown id",
      () => `/Groups/${randomUUID()}`,
      put({ displayName: "X" }),
      404,
    ],
    // PATCH
    [
      "PATCH an unknown path",
      targetPath,
      () => patchOf({ op: "replace", path: "title", value: "x" }),
      400,
      "invalidPath",
    ],
    [
      "PATCH members.display",
      targetPath,
      () => patchOf({ op: "replace", path: "members.display", value: "x" }),
      400,
      "invalidPath",
    ],
    [
      "PATCH members[display eq]",
      targetPath,
      () => patchOf({ op: "remove", path: 'members[display eq "x"]' }),
      400,
      "invalidPath",
    ],
    [
      "PATCH members[value ne]",
      targetPath,
      () =>
        patchOf({ op: "remove", path: `members[value ne "${randomUUID()}"]` }),
      400,
      "invalidPath",
    ],
    [
      "PATCH a malformed value filter",
      targetPath,
      () => patchOf({ op: "remove", path: 'members[value eq "x"' }),
      400,
      "invalidPath",
    ],
    [
      "PATCH replace at members[value eq]",
      targetPath,
      () =>
        patchOf({
          op: "replace",
          path: `members[value eq "${user.id}"]`,
          value: [],
        }),
      400,
      "invalidPath",
    ],
    [
      "PATCH add members with an object",
      targetPath,
      () => patchOf({ op: "add", path: "members", value: { value: user.id } }),
      400,
      "invalidPath",
    ],
    [
      "PATCH add members with a string",
      targetPath,
      () => patchOf({ op: "add", path: "members", value: user.id }),
      400,
      "invalidPath",
    ],
    [
      "PATCH remove members with an object",
      targetPath,
      () =>
        patchOf({ op: "remove", path: "members", value: { value: user.id } }),
      400,
      "invalidPath",
    ],
    [
      "PATCH replace members with a number",
      targetPath,
      () => patchOf({ op: "replace", path: "members", value: 3 }),
      400,
      "invalidPath",
    ],
    [
      "PATCH a member without value",
      targetPath,
      () => patchOf({ op: "add", path: "members", value: [{ $ref: null }] }),
      400,
      "invalidValue",
    ],
    [
      "PATCH with 10 001 members in one operation",
      targetPath,
      () => patchOf({ op: "add", path: "members", value: manyMembers(10_001) }),
      400,
      "invalidValue",
    ],
    [
      "PATCH removing 10 001 members in one operation",
      targetPath,
      () =>
        patchOf({ op: "remove", path: "members", value: manyMembers(10_001) }),
      400,
      "invalidValue",
    ],
    [
      "PATCH with 1001 operations",
      targetPath,
      () =>
        patchOf(
          ...Array.from({ length: 1001 }, () => ({
            op: "add",
            path: "members",
            value: [{ value: user.id }],
          })),
        ),
      400,
      "invalidValue",
    ],
    [
      "PATCH a 257-character displayName",
      targetPath,
      () => patchOf({ op: "replace", path: "displayName", value: long(257) }),
      400,
      "invalidValue",
    ],
    [
      "PATCH a 301-character externalId",
      targetPath,
      () => patchOf({ op: "replace", value: { externalId: long(301) } }),
      400,
      "invalidValue",
    ],
    [
      "PATCH a blank displayName",
      targetPath,
      () => patchOf({ op: "replace", value: { displayName: "" } }),
      400,
      "invalidValue",
    ],
    [
      "PATCH removing displayName",
      targetPath,
      () => patchOf({ op: "remove", path: "displayName" }),
      400,
      "mutability",
    ],
    [
      "PATCH an unknown attribute without path",
      targetPath,
      () => patchOf({ op: "replace", value: { owner: "x" } }),
      400,
      "invalidPath",
    ],
    [
      "PATCH without path and a string value",
      targetPath,
      () => patchOf({ op: "replace", value: "Renamed" }),
      400,
      "invalidValue",
    ],
    [
      "PATCH an unknown op",
      targetPath,
      () => patchOf({ op: "move", path: "displayName", value: "x" }),
      400,
      "invalidSyntax",
    ],
    [
      "PATCH without Operations",
      targetPath,
      () => ({ method: "PATCH", body: { schemas: [patchBody().schemas[0]] } }),
      400,
      "invalidSyntax",
    ],
    [
      "PATCH renaming to a taken displayName",
      targetPath,
      () => patchOf({ op: "replace", path: "displayName", value: "TAKEN" }),
      409,
      "uniqueness",
    ],
    [
      "PATCH whose last operation is bad",
      targetPath,
      () =>
        patchOf(
          { op: "remove", path: "members" },
          { op: "replace", path: "displayName", value: "Changed" },
          { op: "add", path: "nickName", value: "x" },
        ),
      400,
      "invalidPath",
    ],
    [
      "PATCH whose last operation conflicts",
      targetPath,
      () =>
        patchOf(
          { op: "remove", path: "members" },
          { op: "replace", path: "externalId", value: "taken-ext" },
        ),
      409,
      "uniqueness",
    ],
    [
      "PATCH a malformed id",
      () => "/Groups/not-a-uuid",
      () => patchOf({ op: "remove", path: "members" }),
      404,
    ],
    [
      "PATCH an unknown id",
      () => `/Groups/${randomUUID()}`,
      () => patchOf({ op: "remove", path: "members" }),
      404,
    ],
    // DELETE
    [
      "DELETE a malformed id",
      () => "/Groups/010101001010101011001010101011",
      () => ({ method: "DELETE" }),
      404,
    ],
    [
      "DELETE an unknown id",
      () => `/Groups/${randomUUID()}`,
      () => ({ method: "DELETE" }),
      404,
    ],
    [
      "DELETE with a stale If-Match",
      targetPath,
      () => ({ method: "DELETE", headers: { "if-match": 'W/"999"' } }),
      412,
    ],
  ];

  it.each(cases)("%s → %i", async (_, path, init, status, scimType) => {
    const before = await snapshot(org.organizationId);

    const result = await org.scim(path(), init());

    expect(result.status, result.text).toBe(status);
    expect(result.body.schemas).toEqual([
      "urn:ietf:params:scim:api:messages:2.0:Error",
    ]);
    expect(result.body.status).toBe(String(status));
    expect(typeof result.body.detail).toBe("string");
    if (scimType) expect(result.body.scimType).toBe(scimType);
    expect(result.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await snapshot(org.organizationId)).toEqual(before);
  });

  it("names long malformed member ids shortened in the event", async () => {
    const result = await org.scim("/Groups", {
      method: "POST",
      body: {
        displayName: "Long ids",
        members: [{ value: "x".repeat(5000) }, { value: user.id }],
      },
    });
    expect(result.status).toBe(201);
    const [event] = await groupEvents(result.body.id);
    expect(event.details).toEqual({
      displayName: "Long ids",
      externalId: null,
      added: { count: 1, ids: [user.id] },
      skipped: { count: 1, ids: ["x".repeat(64)] },
    });
  });

  it("refuses filters a database could not take, and takes the rest", async () => {
    for (const [filter, status] of [
      ['displayName eq "a\u0000"', 400],
      ['displayName eq "a\\u0000"', 400],
      ['displayName eq "\u00e9\\ud83d\\ude00"', 200],
    ] as const) {
      const result = await org.scim(
        `/Groups?filter=${encodeURIComponent(filter)}`,
      );
      expect(result.status, filter).toBe(status);
      if (status === 400) expect(result.body.scimType).toBe("invalidFilter");
    }
  });

  it("names the operation and the limit in the detail", async () => {
    const result = await org.scim(`/Groups/${target.id}`, {
      method: "PATCH",
      body: patchBody(
        { op: "add", path: "members", value: [] },
        { op: "add", path: "members", value: manyMembers(10_001) },
      ),
    });
    expect(result.body.detail).toMatch(/^Operation 2: At most 10000 members/);
  });
});

/**
 * Embedded PGlite runs on this thread: a long seeding statement holds up the
 * test's HTTP server and client alike, so keep-alive timers expire together
 * and the next request could go out on a socket the server is closing. A
 * short pause lets the client see the close first.
 */
async function afterLongStatement() {
  await new Promise((resolve) => setTimeout(resolve, 100));
}

describe("membership changes at scale", () => {
  let org: ScimTestOrganization;
  let newcomer: ScimUser;
  let large: string;
  let small: string;

  beforeAll(async () => {
    org = await server.organization({ name: "Large" });
    newcomer = await org.createUser();
    await seedMembers(org.organizationId, 20_000, "large");
    await seedMembers(org.organizationId, 10, "small");
    await afterLongStatement();

    const create = async (displayName: string) =>
      (await org.scim("/Groups", { method: "POST", body: { displayName } }))
        .body.id as string;
    large = await create("Twenty thousand");
    small = await create("Ten");
    await seedMemberships(org.organizationId, large, "large");
    await seedMemberships(org.organizationId, small, "small");
    await afterLongStatement();
  }, 120_000);

  /** The statements one request issues, leaving out auth bookkeeping that runs at most every few seconds. */
  async function statementsOf(
    path: string,
    init: { method: string; body: unknown },
  ) {
    const recorder = recordStatements();
    const result = await org.scim(path, init);
    recorder.stop();
    expect(result.status, result.text).toBe(204);
    return recorder.statements.filter(
      (statement) => !/^\s*update scim_configs/i.test(statement),
    );
  }

  const forms: [string, (id: string) => object, (id: string) => object][] = [
    [
      "add members / remove members[value eq] (Okta)",
      (id) => ({ op: "add", path: "members", value: [{ value: id }] }),
      (id) => ({ op: "remove", path: `members[value eq "${id}"]` }),
    ],
    [
      "Add members / Remove members with a value list (Entra)",
      (id) => ({
        op: "Add",
        path: "members",
        value: [{ $ref: null, value: id }],
      }),
      (id) => ({
        op: "Remove",
        path: "members",
        value: [{ $ref: null, value: id }],
      }),
    ],
    [
      "add members[value eq] / remove members[value eq]",
      (id) => ({ op: "add", path: `members[value eq "${id}"]` }),
      (id) => ({ op: "remove", path: `members[value eq "${id}"]` }),
    ],
  ];

  it.each(forms)(
    "adding and removing one member costs the same in a group of 20 000 as of 10: %s",
    async (_, addOperation, removeOperation) => {
      const counts: Record<string, { add: string[]; remove: string[] }> = {};
      for (const [name, groupId, size] of [
        ["large", large, 20_000],
        ["small", small, 10],
      ] as const) {
        const add = await statementsOf(`/Groups/${groupId}`, {
          method: "PATCH",
          body: patchBody(addOperation(newcomer.id)),
        });
        expect(await memberIdsOf(groupId)).toHaveLength(size + 1);

        const remove = await statementsOf(`/Groups/${groupId}`, {
          method: "PATCH",
          body: patchBody(removeOperation(newcomer.id)),
        });
        expect(await memberIdsOf(groupId)).toHaveLength(size);
        expect(await memberIdsOf(groupId)).not.toContain(newcomer.id);
        counts[name] = { add, remove };
      }

      expect(counts.large.add.length).toBeGreaterThan(0);
      expect(counts.large.add.length).toBe(counts.small.add.length);
      expect(counts.large.remove.length).toBe(counts.small.remove.length);
      // The same statements, in the same order, whatever the group's size.
      expect(counts.large.add).toEqual(counts.small.add);
      expect(counts.large.remove).toEqual(counts.small.remove);
    },
  );

  it("reads a group of 20 000 without its members when they are excluded", async () => {
    const result = await org.scim(
      `/Groups/${large}?excludedAttributes=members`,
    );
    expect(result.status).toBe(200);
    expect(result.body).not.toHaveProperty("members");

    const full = await org.scim(`/Groups/${large}`);
    expect(full.body.members).toHaveLength(20_000);
    expect(full.body.members[0]).toMatchObject({
      type: "User",
      display: expect.stringMatching(/@seed\.example$/),
    });
  });

  it("replaces 20 000 members with a list of 10 000 in SQL, keeping the overlap", async () => {
    const group = (
      await org.scim("/Groups", {
        method: "POST",
        body: { displayName: "Replaced" },
      })
    ).body.id as string;
    await seedMemberships(org.organizationId, group, "large");
    await afterLongStatement();
    const current = await memberIdsOf(group);
    const kept = current.slice(0, 9_999);

    const recorder = recordStatements();
    const result = await org.scim(`/Groups/${group}`, {
      method: "PATCH",
      body: patchBody({
        op: "replace",
        path: "members",
        value: [...kept, newcomer.id].map((value) => ({ value })),
      }),
    });
    recorder.stop();

    expect(result.status).toBe(204);
    expect(await memberIdsOf(group)).toEqual([...kept, newcomer.id].sort());
    // One statement computes the difference; none reads the member list.
    expect(
      recorder.statements.filter((s) => /group_members/.test(s)),
    ).toHaveLength(1);

    // Large changes are recorded as counts and the first 20 ids.
    const [event] = (await groupEvents(group)).slice(-1);
    expect(event.details).toEqual({
      added: { count: 1, ids: [newcomer.id] },
      removed: { count: 10_001, ids: expect.any(Array) },
    });
    const removed = (event.details as { removed: { ids: string[] } }).removed;
    expect(removed.ids).toHaveLength(20);
    expect(kept).not.toContain(removed.ids[0]);
  });
});
