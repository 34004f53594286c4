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
} from "./groups-support";

let server: ScimTestServer;
let org: ScimTestOrganization;
let users: ScimUser[];
let groupCounter = 0;

beforeAll(async () => {
  server = await startScimServer();
  org = await server.organization();
  users = [];
  for (let i = 0; i < 6; i++) users.push(await org.createUser());
});

afterAll(async () => {
  await server.close();
});

const okta = { "user-agent": "Okta SCIM Client 1.0.0" };
const entra = {
  "user-agent": "Azure Active Directory SCIM Client",
  adscimversion: "2.0",
};

function uniqueName(base = "Group") {
  return `${base} ${++groupCounter} ${randomUUID().slice(0, 6)}`;
}

async function createGroup(body: Record<string, unknown> = {}) {
  const result = await org.scim("/Groups", {
    method: "POST",
    body: { schemas: [GROUP_SCHEMA], displayName: uniqueName(), ...body },
  });
  expect(result.status, result.text).toBe(201);
  return result.body as { id: string; [key: string]: unknown };
}

async function patch(id: string, operations: object[], query = "") {
  return org.scim(`/Groups/${id}${query}`, {
    method: "PATCH",
    body: patchBody(...operations),
  });
}

const ref = (user: ScimUser) => ({ value: user.id });

describe("POST /Groups", () => {
  it("creates a group with members and answers 201 with Location and ETag", async () => {
    const displayName = uniqueName("Engineering");
    const result = await org.scim("/Groups", {
      method: "POST",
      body: {
        schemas: [GROUP_SCHEMA],
        displayName,
        externalId: "okta-group-1",
        members: [ref(users[0]), { value: users[1].id, display: "ignored" }],
      },
    });

    expect(result.status).toBe(201);
    expect(result.headers.get("content-type")).toBe(
      "application/scim+json; charset=utf-8",
    );
    const group = result.body;
    expect(result.headers.get("location")).toBe(group.meta.location);
    expect(result.headers.get("etag")).toBe(group.meta.version);
    expect(group).toMatchObject({
      schemas: [GROUP_SCHEMA],
      displayName,
      externalId: "okta-group-1",
      meta: { resourceType: "Group" },
    });
    expect(group.meta.location).toMatch(
      new RegExp(`/scim/v2/${org.organizationId}/Groups/${group.id}$`),
    );
    expect(group.members).toHaveLength(2);
    expect(group.members).toContainEqual({
      value: users[0].id,
      display: users[0].displayName,
      $ref: expect.stringMatching(new RegExp(`/Users/${users[0].id}$`)),
      type: "User",
    });
    expect(await memberIdsOf(group.id)).toEqual(
      [users[0].id, users[1].id].sort(),
    );
  });

  it("skips ids that are not members of the organization and names them in the event", async () => {
    const other = await server.organization({ name: "Other" });
    const stranger = await other.createUser();
    const unknown = randomUUID();
    const group = await createGroup({
      members: [
        ref(users[0]),
        ref(stranger),
        { value: unknown },
        { value: "010101" },
      ],
    });

    expect(await memberIdsOf(group.id)).toEqual([users[0].id]);
    const [event] = await groupEvents(group.id);
    expect(event.type).toBe("group.created");
    expect(event.details).toMatchObject({
      added: { count: 1, ids: [users[0].id] },
      skipped: {
        count: 3,
        ids: expect.arrayContaining([stranger.id, unknown, "010101"]),
      },
    });
  });

  it("gives exactly one 201 to concurrent creations of one name", async () => {
    const displayName = uniqueName("Concurrent");
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        org.scim("/Groups", {
          method: "POST",
          body: {
            displayName: i % 2 ? displayName.toUpperCase() : displayName,
          },
        }),
      ),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const result of results.filter((r) => r.status === 409)) {
      expect(result.body.scimType).toBe("uniqueness");
    }
  });

  it("creates without members and answers on the lower-case path too", async () => {
    const result = await org.scim("/groups", {
      method: "POST",
      body: { displayName: uniqueName() },
    });
    expect(result.status).toBe(201);
    expect(result.body.members).toEqual([]);
    expect(result.body).not.toHaveProperty("externalId");
  });
});

describe("GET /Groups", () => {
  let named: { id: string };
  let displayName: string;

  beforeAll(async () => {
    displayName = uniqueName("Finance");
    named = await createGroup({
      displayName,
      externalId: "fin-1",
      members: [ref(users[2]), ref(users[3])],
    });
  });

  it("finds a group by displayName, case-insensitively", async () => {
    const filter = encodeURIComponent(
      `displayName eq "${displayName.toUpperCase()}"`,
    );
    const result = await org.scim(`/Groups?filter=${filter}`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
    });
    expect(result.body.Resources[0].id).toBe(named.id);
    expect(result.body.Resources[0].members).toHaveLength(2);
  });

  it("answers an empty list with Resources present", async () => {
    const result = await org.scim(
      `/Groups?filter=${encodeURIComponent('displayName eq "nobody here"')}`,
    );
    expect(result.body).toMatchObject({
      totalResults: 0,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("takes + as the space of the query string", async () => {
    const result = await org.scim(`/Groups?filter=externalId+eq+%22fin-1%22`);
    expect(result.body.Resources.map((g: { id: string }) => g.id)).toEqual([
      named.id,
    ]);
  });

  it("finds a member's groups by members.value", async () => {
    const filter = encodeURIComponent(`members.value eq "${users[3].id}"`);
    const result = await org.scim(
      `/Groups?filter=${filter}&excludedAttributes=members`,
    );
    expect(result.body.Resources.map((g: { id: string }) => g.id)).toEqual([
      named.id,
    ]);
  });

  it("leaves members out without reading them for excludedAttributes=members and attributes=displayName", async () => {
    for (const query of [
      "excludedAttributes=members",
      "attributes=displayName",
    ]) {
      const recorder = recordStatements();
      const list = await org.scim(`/Groups?${query}`);
      const single = await org.scim(`/Groups/${named.id}?${query}`);
      recorder.stop();

      expect(list.status).toBe(200);
      for (const resource of [...list.body.Resources, single.body]) {
        expect(resource).not.toHaveProperty("members");
        expect(resource.id).toBeDefined();
      }
      expect(recorder.statements.length).toBeGreaterThan(0);
      expect(
        recorder.statements.filter((s) => s.includes("group_members")),
      ).toEqual([]);
    }
    // The same requests without the projection do read them.
    const recorder = recordStatements();
    await org.scim(`/Groups/${named.id}`);
    recorder.stop();
    expect(
      recorder.statements.filter((s) => s.includes("group_members")),
    ).toHaveLength(1);
    const single = await org.scim(`/Groups/${named.id}?attributes=displayName`);
    expect(Object.keys(single.body).sort()).toEqual([
      "displayName",
      "id",
      "schemas",
    ]);
  });

  it("pages in a stable order, with count=0 giving only the total", async () => {
    const all = await org.scim("/Groups?count=1000&attributes=id");
    const total = all.body.totalResults;
    expect(total).toBeGreaterThanOrEqual(3);

    const ids: string[] = [];
    for (let start = 1; start <= total; start += 2) {
      const page = await org.scim(
        `/Groups?startIndex=${start}&count=2&attributes=id`,
      );
      expect(page.body.totalResults).toBe(total);
      expect(page.body.startIndex).toBe(start);
      ids.push(...page.body.Resources.map((g: { id: string }) => g.id));
    }
    expect(ids).toEqual(all.body.Resources.map((g: { id: string }) => g.id));

    const counted = await org.scim("/Groups?count=0");
    expect(counted.body).toMatchObject({
      totalResults: total,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("sorts by displayName", async () => {
    const result = await org.scim(
      "/Groups?sortBy=displayName&sortOrder=descending&attributes=displayName",
    );
    const names = result.body.Resources.map(
      (g: { displayName: string }) => g.displayName,
    );
    expect(names).toEqual(
      [...names].sort((a, b) => (b.toLowerCase() < a.toLowerCase() ? -1 : 1)),
    );
    const bad = await org.scim("/Groups?sortBy=members");
    expect(bad.status).toBe(400);
  });

  it("answers POST /Groups/.search like GET", async () => {
    const result = await org.scim("/Groups/.search", {
      method: "POST",
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        filter: `externalId eq "fin-1"`,
        excludedAttributes: ["members"],
      },
    });
    expect(result.status).toBe(200);
    expect(result.body.totalResults).toBe(1);
    expect(result.body.Resources[0]).not.toHaveProperty("members");
  });

  it("rejects a bad filter with 400 invalidFilter", async () => {
    for (const filter of [
      'userName eq "x"',
      'displayName eq "x',
      "x".repeat(5000),
    ]) {
      const result = await org.scim(
        `/Groups?filter=${encodeURIComponent(filter)}`,
      );
      expect(result.status).toBe(400);
      expect(result.body.scimType).toBe("invalidFilter");
    }
  });

  it("gets a group by id, with 304 for a fresh If-None-Match", async () => {
    const result = await org.scim(`/Groups/${named.id}`);
    expect(result.status).toBe(200);
    expect(result.body.displayName).toBe(displayName);

    const fresh = await org.scim(`/Groups/${named.id}`, {
      headers: { "if-none-match": result.headers.get("etag")! },
    });
    expect(fresh.status).toBe(304);
    const stale = await org.scim(`/Groups/${named.id}`, {
      headers: { "if-none-match": 'W/"0"' },
    });
    expect(stale.status).toBe(200);
  });

  it("answers 404 for unknown, malformed and other organizations' ids", async () => {
    const other = await server.organization({ name: "Elsewhere" });
    const foreign = await other.scim("/Groups", {
      method: "POST",
      body: { displayName: "Foreign" },
    });
    for (const id of [
      randomUUID(),
      "010101001010101011001010101011",
      foreign.body.id,
    ]) {
      const result = await org.scim(`/Groups/${id}`);
      expect(result.status).toBe(404);
      expect(result.body.schemas).toEqual([
        "urn:ietf:params:scim:api:messages:2.0:Error",
      ]);
    }
  });
});

describe("PUT /Groups/{id}", () => {
  it("replaces displayName and externalId and keeps members when absent", async () => {
    const group = await createGroup({
      externalId: "put-1",
      members: [ref(users[0])],
    });
    const displayName = uniqueName("Renamed");
    const result = await org.scim(`/Groups/${group.id}`, {
      method: "PUT",
      body: { schemas: [GROUP_SCHEMA], id: group.id, displayName },
    });

    expect(result.status).toBe(200);
    expect(result.body.displayName).toBe(displayName);
    expect(result.body).not.toHaveProperty("externalId");
    expect(result.body.members.map((m: { value: string }) => m.value)).toEqual([
      users[0].id,
    ]);
    expect(result.body.meta.version).not.toBe(
      (group.meta as { version: string }).version,
    );
  });

  it("replaces the members when given", async () => {
    const group = await createGroup({
      members: [ref(users[0]), ref(users[1])],
    });
    const result = await org.scim(`/Groups/${group.id}`, {
      method: "PUT",
      body: {
        displayName: group.displayName,
        members: [ref(users[1]), ref(users[2])],
      },
    });
    expect(result.status).toBe(200);
    expect(await memberIdsOf(group.id)).toEqual(
      [users[1].id, users[2].id].sort(),
    );

    const emptied = await org.scim(`/Groups/${group.id}`, {
      method: "PUT",
      body: { displayName: group.displayName, members: [] },
    });
    expect(emptied.body.members).toEqual([]);
    expect(await memberIdsOf(group.id)).toEqual([]);
  });

  it("answers 412 for a stale If-Match and changes nothing", async () => {
    const group = await createGroup();
    const result = await org.scim(`/Groups/${group.id}`, {
      method: "PUT",
      body: { displayName: uniqueName() },
      headers: { "if-match": 'W/"999"' },
    });
    expect(result.status).toBe(412);
    const current = await org.scim(`/Groups/${group.id}`);
    expect(current.body.displayName).toBe(group.displayName);

    const matching = await org.scim(`/Groups/${group.id}`, {
      method: "PUT",
      body: { displayName: uniqueName() },
      headers: { "if-match": current.headers.get("etag")! },
    });
    expect(matching.status).toBe(200);
  });
});

describe("PATCH /Groups/{id}", () => {
  it("renames with replace and no path, ignoring the read-only id (Okta)", async () => {
    const group = await createGroup({ members: [ref(users[0])] });
    const displayName = uniqueName("Okta rename");
    const result = await patch(group.id, [
      { op: "replace", value: { id: group.id, displayName } },
    ]);
    expect(result.status).toBe(204);
    expect(result.text).toBe("");

    const after = await org.scim(`/Groups/${group.id}`);
    expect(after.body.displayName).toBe(displayName);
    expect(after.body.members).toHaveLength(1);
    expect(result.headers.get("etag")).toBe(after.headers.get("etag"));
    const events = await groupEvents(group.id);
    expect(events.at(-1)).toMatchObject({
      type: "group.renamed",
      details: { displayName: { from: group.displayName, to: displayName } },
    });
  });

  it("replaces displayName and externalId by path", async () => {
    const group = await createGroup();
    const displayName = uniqueName();
    await patch(group.id, [
      { op: "replace", path: "displayName", value: displayName },
      { op: "replace", path: "externalId", value: "ext-patched" },
    ]);
    const after = await org.scim(`/Groups/${group.id}`);
    expect(after.body).toMatchObject({
      displayName,
      externalId: "ext-patched",
    });

    await patch(group.id, [{ op: "remove", path: "externalId" }]);
    const removed = await org.scim(`/Groups/${group.id}`);
    expect(removed.body).not.toHaveProperty("externalId");
  });

  it("adds a list of members, skipping those already in", async () => {
    const group = await createGroup({ members: [ref(users[0])] });
    const result = await patch(group.id, [
      {
        op: "add",
        path: "members",
        value: [ref(users[0]), ref(users[1]), ref(users[2])],
      },
    ]);
    expect(result.status).toBe(204);
    expect(await memberIdsOf(group.id)).toEqual(
      [users[0].id, users[1].id, users[2].id].sort(),
    );
    expect((await groupEvents(group.id)).at(-1)).toMatchObject({
      type: "group.members_changed",
      details: {
        added: {
          count: 2,
          ids: expect.arrayContaining([users[1].id, users[2].id]),
        },
      },
    });
  });

  it("adds the member named by members[value eq]", async () => {
    const group = await createGroup();
    const result = await patch(group.id, [
      { op: "add", path: `members[value eq "${users[4].id}"]` },
    ]);
    expect(result.status).toBe(204);
    expect(await memberIdsOf(group.id)).toEqual([users[4].id]);
  });

  it("replaces the members with a list", async () => {
    const group = await createGroup({
      members: [ref(users[0]), ref(users[1])],
    });
    await patch(group.id, [
      { op: "replace", path: "members", value: [ref(users[1]), ref(users[3])] },
    ]);
    expect(await memberIdsOf(group.id)).toEqual(
      [users[1].id, users[3].id].sort(),
    );
    expect((await groupEvents(group.id)).at(-1)!.details).toMatchObject({
      added: { count: 1, ids: [users[3].id] },
      removed: { count: 1, ids: [users[0].id] },
    });
  });

  it("removes the member named by members[value eq]", async () => {
    const group = await createGroup({
      members: [ref(users[0]), ref(users[1])],
    });
    await patch(group.id, [
      { op: "remove", path: `members[value eq "${users[0].id}"]` },
    ]);
    expect(await memberIdsOf(group.id)).toEqual([users[1].id]);
  });

  it("removes only the listed members with a value list", async () => {
    const group = await createGroup({
      members: [ref(users[0]), ref(users[1]), ref(users[2])],
    });
    await patch(group.id, [
      { op: "remove", path: "members", value: [ref(users[0]), ref(users[2])] },
    ]);
    expect(await memberIdsOf(group.id)).toEqual([users[1].id]);

    await patch(group.id, [{ op: "remove", path: "members", value: [] }]);
    expect(await memberIdsOf(group.id)).toEqual([users[1].id]);
  });

  it("removes every member without a value", async () => {
    const group = await createGroup({
      members: [ref(users[0]), ref(users[1])],
    });
    await patch(group.id, [{ op: "remove", path: "members" }]);
    expect(await memberIdsOf(group.id)).toEqual([]);
    expect((await groupEvents(group.id)).at(-1)!.details).toMatchObject({
      removed: { count: 2 },
    });
  });

  it("answers 200 with the resource when attributes are asked for", async () => {
    const group = await createGroup();
    const result = await patch(
      group.id,
      [{ op: "add", path: "members", value: [ref(users[5])] }],
      "?attributes=members,displayName",
    );
    expect(result.status).toBe(200);
    expect(result.body.members.map((m: { value: string }) => m.value)).toEqual([
      users[5].id,
    ]);
    expect(result.body).not.toHaveProperty("meta");
    expect(result.body.id).toBe(group.id);
  });

  it("accepts ops in any letter case and the core schema URN in paths", async () => {
    const group = await createGroup();
    const displayName = uniqueName();
    const result = await patch(group.id, [
      { op: "ADD", path: "MEMBERS", value: [ref(users[0])] },
      {
        op: "Replace",
        path: `${GROUP_SCHEMA}:displayName`,
        value: displayName,
      },
    ]);
    expect(result.status).toBe(204);
    const after = await org.scim(`/Groups/${group.id}`);
    expect(after.body.displayName).toBe(displayName);
    expect(after.body.members).toHaveLength(1);
  });

  it("applies all operations or none", async () => {
    const group = await createGroup({ members: [ref(users[0])] });
    const result = await patch(group.id, [
      { op: "replace", path: "displayName", value: uniqueName() },
      { op: "add", path: "members", value: [ref(users[1])] },
      { op: "replace", path: "title", value: "x" },
    ]);
    expect(result.status).toBe(400);
    expect(result.body.scimType).toBe("invalidPath");
    const after = await org.scim(`/Groups/${group.id}`);
    expect(after.body.displayName).toBe(group.displayName);
    expect(await memberIdsOf(group.id)).toEqual([users[0].id]);
  });

  it("rolls back earlier operations when a later one conflicts", async () => {
    const taken = await createGroup();
    const group = await createGroup();
    const result = await patch(group.id, [
      { op: "add", path: "members", value: [ref(users[1])] },
      { op: "replace", path: "displayName", value: taken.displayName },
    ]);
    expect(result.status).toBe(409);
    expect(result.body.scimType).toBe("uniqueness");
    expect(await memberIdsOf(group.id)).toEqual([]);
  });

  it("answers 412 for a stale If-Match", async () => {
    const group = await createGroup();
    const result = await org.scim(`/Groups/${group.id}`, {
      method: "PATCH",
      body: patchBody({ op: "add", path: "members", value: [ref(users[0])] }),
      headers: { "if-match": 'W/"12345"' },
    });
    expect(result.status).toBe(412);
    expect(await memberIdsOf(group.id)).toEqual([]);
  });
});

describe("DELETE /Groups/{id}", () => {
  it("deletes the group and its memberships", async () => {
    const group = await createGroup({
      members: [ref(users[0]), ref(users[1])],
    });
    const result = await org.scim(`/Groups/${group.id}`, { method: "DELETE" });
    expect(result.status).toBe(204);
    expect((await org.scim(`/Groups/${group.id}`)).status).toBe(404);
    expect(await memberIdsOf(group.id)).toEqual([]);
    expect((await groupEvents(group.id)).at(-1)).toMatchObject({
      type: "group.deleted",
      details: { memberCount: 2 },
    });
    const again = await org.scim(`/Groups/${group.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
  });
});

describe("Users' groups", () => {
  it("shows the groups a User belongs to", async () => {
    const user = await org.createUser();
    const first = await createGroup({ members: [ref(user)] });
    const second = await createGroup();
    await patch(second.id, [
      { op: "add", path: "members", value: [ref(user)] },
    ]);

    const result = await org.scim(`/Users/${user.id}`);
    expect(
      result.body.groups.map((g: { value: string }) => g.value).sort(),
    ).toEqual([first.id, second.id].sort());
    expect(result.body.groups).toContainEqual({
      value: first.id,
      display: first.displayName,
      $ref: expect.stringMatching(new RegExp(`/Groups/${first.id}$`)),
    });

    await org.scim(`/Groups/${first.id}`, { method: "DELETE" });
    const after = await org.scim(`/Users/${user.id}`);
    expect(after.body.groups.map((g: { value: string }) => g.value)).toEqual([
      second.id,
    ]);
  });
});

describe("Okta Push Groups", () => {
  it("runs the sequence Okta sends", async () => {
    const name = uniqueName("Okta Push");
    const scim = (path: string, init: Parameters<typeof org.scim>[1] = {}) =>
      org.scim(path, { ...init, headers: { ...okta, ...init.headers } });

    // Okta first looks the group up by name.
    const lookup = await scim(
      `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&startIndex=1&count=100`,
    );
    expect(lookup.body.totalResults).toBe(0);

    const created = await scim("/Groups", {
      method: "POST",
      headers: { "content-type": "application/scim+json; charset=utf-8" },
      body: { schemas: [GROUP_SCHEMA], displayName: name, members: [] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const renamed = uniqueName("Okta Pushed");
    const rename = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: patchBody({ op: "replace", value: { id, displayName: renamed } }),
    });
    expect(rename.status).toBe(204);

    const add = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: patchBody({
        op: "add",
        path: "members",
        value: [
          { value: users[0].id, display: users[0].userName },
          { value: users[1].id, display: users[1].userName },
        ],
      }),
    });
    expect(add.status).toBe(204);

    const remove = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: patchBody({
        op: "remove",
        path: `members[value eq "${users[0].id}"]`,
      }),
    });
    expect(remove.status).toBe(204);
    expect(await memberIdsOf(id)).toEqual([users[1].id]);

    const put = await scim(`/Groups/${id}`, {
      method: "PUT",
      body: {
        schemas: [GROUP_SCHEMA],
        id,
        displayName: renamed,
        members: [
          { value: users[2].id, display: users[2].userName },
          { value: users[3].id, display: users[3].userName },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.displayName).toBe(renamed);
    expect(await memberIdsOf(id)).toEqual([users[2].id, users[3].id].sort());

    const deleted = await scim(`/Groups/${id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect((await scim(`/Groups/${id}`)).status).toBe(404);

    const events = await groupEvents(id);
    expect(events.map((event) => event.type)).toEqual([
      "group.created",
      "group.renamed",
      "group.members_changed",
      "group.members_changed",
      "group.members_changed",
      "group.deleted",
    ]);
    expect(new Set(events.map((event) => event.actorLabel))).toEqual(
      new Set(["SCIM (Okta)"]),
    );
  });
});

describe("Entra provisioning", () => {
  it("runs the requests Entra sends", async () => {
    const scim = (path: string, init: Parameters<typeof org.scim>[1] = {}) =>
      org.scim(path, { ...init, headers: { ...entra, ...init.headers } });
    const name = uniqueName("Entra");

    const lookup = await scim(
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${name}"`)}`,
    );
    expect(lookup.body.Resources).toEqual([]);

    const created = await scim("/Groups", {
      method: "POST",
      body: {
        schemas: [GROUP_SCHEMA],
        externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        displayName: name,
        members: [],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const byId = await scim(`/Groups/${id}?excludedAttributes=members`);
    expect(byId.status).toBe(200);
    expect(byId.body).not.toHaveProperty("members");

    const add = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: patchBody({
        op: "Add",
        path: "members",
        value: [
          { $ref: null, value: users[0].id },
          { $ref: null, value: users[1].id },
          { $ref: null, value: users[2].id },
        ],
      }),
    });
    expect(add.status).toBe(204);

    // Entra checks membership with a filter on members.value.
    const check = await scim(
      `/Groups?filter=${encodeURIComponent(`id eq "${id}" and members.value eq "${users[1].id}"`)}&excludedAttributes=members`,
    );
    expect(check.body.totalResults).toBe(1);

    const remove = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: patchBody({
        op: "Remove",
        path: "members",
        value: [
          { $ref: null, value: users[0].id },
          { $ref: null, value: users[2].id },
        ],
      }),
    });
    expect(remove.status).toBe(204);
    expect(await memberIdsOf(id)).toEqual([users[1].id]);

    const rename = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: patchBody({
        op: "Replace",
        path: "displayName",
        value: `${name} (renamed)`,
      }),
    });
    expect(rename.status).toBe(204);

    const gone = await scim(
      `/Groups?filter=${encodeURIComponent(`id eq "${id}" and members.value eq "${users[0].id}"`)}&excludedAttributes=members`,
    );
    expect(gone.body.totalResults).toBe(0);

    const deleted = await scim(`/Groups/${id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    const events = await groupEvents(id);
    expect(events.every((event) => event.actorLabel === "SCIM (Entra)")).toBe(
      true,
    );
  });
});
