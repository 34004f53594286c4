import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
} from "@/tests/support/scim";
import {
  ERROR,
  GROUP,
  LIST,
  USER,
  expectListResponse,
  expectScimError,
  expectScimJson,
  filterQuery,
  memberRow,
  unique,
} from "./vendor-client";

/**
 * The requests of Bitwarden's SCIM service and its integration tests, as its
 * .NET models serialize them: camelCase keys, `null` for every unset
 * property, `schemas` that may be null, empty or name the resource schema
 * instead of PatchOp, and unquoted filter values. Where Bitwarden and the
 * SPEC differ (PATCH /Users answers 200 with the resource here, not 204; POST
 * with active false creates a revoked member; PUT replaces externalId and
 * names), the SPEC's answer is asserted.
 */

let server: ScimTestServer;

beforeAll(async () => {
  server = await startScimServer();
});
afterAll(async () => {
  await server.close();
});

/** A ScimUserRequestModel as System.Text.Json writes it. */
function userRequestModel(fields: Record<string, unknown>) {
  const emails = fields.emails as { value: string }[] | undefined;
  return {
    schemas: null,
    userName: null,
    name: null,
    emails: null,
    primaryEmail: emails?.[0]?.value ?? null,
    workEmail: emails?.[0]?.value ?? null,
    displayName: null,
    active: false,
    groups: null,
    externalId: null,
    ...fields,
  };
}

/** `new EmailModel(email)`: primary, work. */
const emailModel = (value: string | null) => ({
  primary: true,
  value,
  type: "work",
});

/** `new NameModel(name)`: only formatted is set. */
const nameModel = (formatted: string) => ({
  formatted,
  givenName: null,
  middleName: null,
  familyName: null,
});

/** A ScimPatchModel: lower-case keys, a path that is null when absent. */
function patchModel(
  operations: { op: string; path?: string; value?: unknown }[],
  schemas: string[] | null = [],
) {
  return {
    method: "PATCH",
    body: {
      schemas,
      operations: operations.map((operation) => ({
        op: operation.op,
        path: operation.path ?? null,
        value: operation.value,
      })),
    },
  };
}

describe("Bitwarden Users", () => {
  let org: ScimTestOrganization;
  const users: { id: string; email: string; externalId: string }[] = [];

  beforeAll(async () => {
    org = await server.organization();
    // Test users 1 to 4 of Bitwarden's fixture; user 3 is revoked.
    for (const [n, active] of [
      [1, true],
      [2, true],
      [3, false],
      [4, true],
    ] as const) {
      const email = `user${n}.${unique("")}@example.com`;
      const externalId = `U${n}${unique("")}`;
      const response = await org.scim("/Users", {
        method: "POST",
        body: userRequestModel({
          userName: email,
          name: nameModel(`Test User ${n}`),
          displayName: `Test User ${n}`,
          emails: [emailModel(email)],
          externalId,
          active,
        }),
      });
      expectScimJson(response, 201);
      users.push({ id: response.body.id, email, externalId });
    }
  });

  it("Get_Success: the user response model", async () => {
    const [first] = users;
    const response = await org.scim(`/Users/${first.id}`);
    expectScimJson(response, 200);
    expect(response.body).toMatchObject({
      schemas: [USER],
      id: first.id,
      displayName: "Test User 1",
      externalId: first.externalId,
      active: true,
      emails: [{ primary: true, type: "work", value: first.email }],
      groups: [],
      name: { formatted: "Test User 1" },
      userName: first.email,
    });
    expect(response.headers.get("content-type")).toContain(
      "application/scim+json",
    );
  });

  it("Get_NotFound: an unknown guid", async () => {
    const response = await org.scim(`/Users/${crypto.randomUUID()}`);
    expectScimError(response, 404);
    expect(response.body.schemas).toEqual([ERROR]);
  });

  it("GetList_Success: count=2&startIndex=1", async () => {
    const response = await org.scim("/Users?count=2&startIndex=1");
    expectListResponse(response, { totalResults: 4, returned: 2 });
    expect(
      response.body.Resources.map((user: { id: string }) => user.id),
    ).toEqual(users.slice(0, 2).map((user) => user.id));
  });

  it("GetList_SearchUserName and SearchExternalId: unquoted values", async () => {
    const second = users[1];
    const byUserName = await org.scim(
      `/Users?${filterQuery(`userName eq ${second.email}`)}&count=10&startIndex=1`,
    );
    expectListResponse(byUserName, { totalResults: 1, returned: 1 });
    expect(byUserName.body.Resources[0].id).toBe(second.id);

    const third = users[2];
    const byExternalId = await org.scim(
      `/Users?${filterQuery(`externalId eq ${third.externalId}`)}&count=10&startIndex=1`,
    );
    expectListResponse(byExternalId, { totalResults: 1, returned: 1 });
    expect(byExternalId.body.Resources[0]).toMatchObject({
      id: third.id,
      active: false,
    });
  });

  it("GetList_EmptyResult and without optional parameters", async () => {
    const empty = await org.scim(
      `/Users?${filterQuery("externalId eq UZ")}&count=10&startIndex=1`,
    );
    expectListResponse(empty, { totalResults: 0 });
    expect(empty.body.Resources).toEqual([]);

    const defaults = await org.scim(
      `/Users?${filterQuery(`userName eq ${users[1].email}`)}`,
    );
    expectListResponse(defaults, { totalResults: 1, startIndex: 1 });
  });

  it("Post_Success: no userName, one primary work email", async () => {
    const email = `user5.${unique("")}@example.com`;
    const response = await org.scim("/Users", {
      method: "POST",
      body: userRequestModel({
        name: nameModel("Test User 5"),
        displayName: "Test User 5",
        emails: [emailModel(email)],
        externalId: unique("UE"),
        active: true,
        schemas: [USER],
      }),
    });
    expectScimJson(response, 201);
    expect(response.headers.get("location")).toBe(response.body.meta.location);
    expect(response.body).toMatchObject({
      active: true,
      emails: [{ primary: true, type: "work", value: email }],
      groups: [],
      userName: email,
      schemas: [USER],
    });
    expect((await memberRow(response.body.id)).status).toBe("invited");
  });

  it.each([null, "", " "])(
    "Post_InvalidEmail_BadRequest: email %j",
    async (email) => {
      const before = await org.counts();
      const response = await org.scim("/Users", {
        method: "POST",
        body: userRequestModel({
          name: nameModel("Test User 5"),
          displayName: "Test User 5",
          emails: [emailModel(email)],
          externalId: unique("UE"),
          active: true,
          schemas: [USER],
        }),
      });
      expectScimError(response, 400, "invalidValue");
      expect(await org.counts()).toEqual(before);
    },
  );

  it("Post_Inactive: the SPEC creates a revoked member and sends no invitation", async () => {
    const email = `inactive.${unique("")}@example.com`;
    const before = await org.counts();
    const response = await org.scim("/Users", {
      method: "POST",
      body: userRequestModel({
        userName: email,
        emails: [emailModel(email)],
        active: false,
        schemas: [USER],
      }),
    });
    expectScimJson(response, 201);
    expect(response.body.active).toBe(false);
    expect((await memberRow(response.body.id)).status).toBe("revoked");
    const after = await org.counts();
    expect(after.invitations).toBe(before.invitations);
    expect(after.emails).toBe(before.emails);
  });

  it.each([
    ["an existing email, a new externalId", 0, "email"],
    ["a new email, an existing externalId", 0, "externalId"],
  ] as const)(
    "Post_ExistingData_Conflict: %s",
    async (_label, index, reused) => {
      const existing = users[index];
      const before = await org.counts();
      const response = await org.scim("/Users", {
        method: "POST",
        body: userRequestModel({
          displayName: "New User",
          emails: [
            emailModel(
              reused === "email"
                ? existing.email.toUpperCase()
                : `userZ.${unique("")}@example.com`,
            ),
          ],
          externalId:
            reused === "externalId" ? existing.externalId : unique("UZ"),
          active: true,
        }),
      });
      expectScimError(response, 409, "uniqueness");
      expect((await org.counts()).members).toBe(before.members);
    },
  );

  it("Put_RevokeUser and Put_RestoreUser: a body with only active", async () => {
    const second = users[1];
    const revoked = await org.scim(`/Users/${second.id}`, {
      method: "PUT",
      body: userRequestModel({ active: false }),
    });
    expectScimJson(revoked, 200);
    expect(revoked.body).toMatchObject({
      id: second.id,
      active: false,
      userName: second.email,
      emails: [{ primary: true, type: "work", value: second.email }],
    });
    expect((await memberRow(second.id)).status).toBe("revoked");
    // SPEC 3.4: PUT replaces; an absent externalId is cleared (Bitwarden
    // would keep it).
    expect(revoked.body).not.toHaveProperty("externalId");

    const restored = await org.scim(`/Users/${second.id}`, {
      method: "PUT",
      body: userRequestModel({ active: true }),
    });
    expectScimJson(restored, 200);
    expect(restored.body.active).toBe(true);
    expect((await memberRow(second.id)).status).toBe("invited");
  });

  it("Put_NotFound", async () => {
    const response = await org.scim(`/Users/${crypto.randomUUID()}`, {
      method: "PUT",
      body: userRequestModel({
        displayName: "Test Group 1",
        externalId: "AA",
        schemas: [],
      }),
    });
    expectScimError(response, 404);
  });

  it.each([[[]], [null], [[USER]]])(
    "Patch_ReplaceRevoke / Patch_ReplaceRestore with schemas %j",
    async (schemas) => {
      const user = await org.createUser();
      const revoked = await org.scim(
        `/Users/${user.id}`,
        patchModel([{ op: "replace", value: { active: false } }], schemas),
      );
      expectScimJson(revoked, 200);
      expect(revoked.body.active).toBe(false);
      expect((await memberRow(user.id)).status).toBe("revoked");

      // Revoking a revoked member changes nothing and is no error.
      const again = await org.scim(
        `/Users/${user.id}`,
        patchModel([{ op: "replace", value: { active: false } }], schemas),
      );
      expectScimJson(again, 200);
      expect(again.body.meta.version).toBe(revoked.body.meta.version);

      const restored = await org.scim(
        `/Users/${user.id}`,
        patchModel([{ op: "replace", path: "active", value: true }], schemas),
      );
      expectScimJson(restored, 200);
      expect(restored.body.active).toBe(true);
      expect((await memberRow(user.id)).status).toBe("invited");
    },
  );

  it("Patch_NotFound: an unknown id answers 404 whatever the operations", async () => {
    const response = await org.scim(
      `/Users/${crypto.randomUUID()}`,
      patchModel([]),
    );
    expectScimError(response, 404);
    const put = await org.scim(`/Users/${crypto.randomUUID()}`, {
      method: "PUT",
      body: { userName: 42 },
    });
    expectScimError(put, 404);

    // On a member that exists, the same bodies are refused.
    expectScimError(
      await org.scim(`/Users/${users[0].id}`, patchModel([])),
      400,
      "invalidSyntax",
    );
    expectScimError(
      await org.scim(`/Users/${users[0].id}`, {
        method: "PUT",
        body: { userName: 42 },
      }),
      400,
      "invalidValue",
    );
  });

  it("Patch_ExternalIdFromPath and FromValue", async () => {
    const user = await org.createUser();
    const fromPath = await org.scim(
      `/Users/${user.id}`,
      patchModel([
        { op: "replace", path: "externalId", value: "new-external-id-path" },
      ]),
    );
    expectScimJson(fromPath, 200);
    expect(fromPath.body.externalId).toBe("new-external-id-path");

    const fromValue = await org.scim(
      `/Users/${user.id}`,
      patchModel([
        { op: "replace", value: { externalId: "new-external-id-value" } },
      ]),
    );
    expect(fromValue.body.externalId).toBe("new-external-id-value");
    expect((await memberRow(user.id)).externalId).toBe("new-external-id-value");
  });

  it("Patch_ExternalIdDuplicate_ThrowsConflict", async () => {
    const user = await org.createUser();
    const response = await org.scim(
      `/Users/${user.id}`,
      patchModel([
        { op: "replace", path: "externalId", value: users[3].externalId },
      ]),
    );
    expectScimError(response, 409, "uniqueness");
    expect((await memberRow(user.id)).externalId).toBe(user.externalId);
  });

  it("PUT with another member's externalId is a conflict too", async () => {
    const user = await org.createUser();
    const response = await org.scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...user, externalId: users[3].externalId },
    });
    expectScimError(response, 409, "uniqueness");
    expect((await memberRow(user.id)).externalId).toBe(user.externalId);
  });

  it("Patch_UnsupportedOperation: add displayName succeeds", async () => {
    const user = await org.createUser();
    const response = await org.scim(
      `/Users/${user.id}`,
      patchModel([{ op: "add", path: "displayName", value: "John Doe" }]),
    );
    expectScimJson(response, 200);
    expect(response.body.displayName).toBe("John Doe");
  });

  it("Delete_Success with a request model body, then Delete_NotFound", async () => {
    const user = await org.createUser();
    const before = await org.counts();
    const deleted = await org.scim(`/Users/${user.id}`, {
      method: "DELETE",
      body: userRequestModel({}),
    });
    expect(deleted.status).toBe(204);
    expect((await org.counts()).members).toBe(before.members - 1);
    expect(await memberRow(user.id)).toBeUndefined();

    const again = await org.scim(`/Users/${user.id}`, {
      method: "DELETE",
      body: userRequestModel({}),
    });
    expectScimError(again, 404);
    expect((await org.counts()).members).toBe(before.members - 1);
  });
});

describe("Bitwarden Groups", () => {
  let org: ScimTestOrganization;
  let userIds: string[];
  const groups: { id: string; displayName: string; externalId: string }[] = [];

  /** A ScimGroupRequestModel as System.Text.Json writes it. */
  const groupRequestModel = (fields: Record<string, unknown>) => ({
    schemas: null,
    displayName: null,
    externalId: null,
    members: null,
    ...fields,
  });

  const memberIds = async (groupId: string) =>
    ((await org.scim(`/Groups/${groupId}`)).body.members ?? [])
      .map((member: { value: string }) => member.value)
      .sort();

  beforeAll(async () => {
    org = await server.organization();
    userIds = [];
    for (let i = 0; i < 4; i++) userIds.push((await org.createUser()).id);
    for (const n of [1, 2, 3]) {
      const displayName = `Test Group ${n} ${unique("")}`;
      const externalId = `${"ABC"[n - 1]}${unique("")}`;
      const response = await org.scim("/Groups", {
        method: "POST",
        body: groupRequestModel({
          displayName,
          externalId,
          members:
            n === 1 ? [{ value: userIds[0] }, { value: userIds[3] }] : null,
        }),
      });
      expectScimJson(response, 201);
      groups.push({ id: response.body.id, displayName, externalId });
    }
  });

  it("Get_Success and Get_NotFound", async () => {
    const response = await org.scim(`/Groups/${groups[0].id}`);
    expectScimJson(response, 200);
    expect(response.body).toMatchObject({
      schemas: [GROUP],
      id: groups[0].id,
      displayName: groups[0].displayName,
      externalId: groups[0].externalId,
    });
    expectScimError(await org.scim(`/Groups/${crypto.randomUUID()}`), 404);
  });

  it("GetList_Success: count=2&startIndex=1", async () => {
    const response = await org.scim("/Groups?count=2&startIndex=1");
    expectListResponse(response, { totalResults: 3, returned: 2 });
    expect(response.body.schemas).toEqual([LIST]);
  });

  it("GetList_SearchDisplayName and SearchExternalId", async () => {
    const byName = await org.scim(
      `/Groups?${filterQuery(`displayName eq "${groups[1].displayName}"`)}&count=10&startIndex=1`,
    );
    expectListResponse(byName, { totalResults: 1, returned: 1 });
    expect(byName.body.Resources[0].id).toBe(groups[1].id);

    const byExternalId = await org.scim(
      `/Groups?${filterQuery(`externalId eq ${groups[2].externalId}`)}&count=10&startIndex=1`,
    );
    expectListResponse(byExternalId, { totalResults: 1, returned: 1 });
    expect(byExternalId.body.Resources[0].id).toBe(groups[2].id);
  });

  it("GetList_SearchDisplayName: an unquoted value with spaces", async () => {
    const response = await org.scim(
      `/Groups?${filterQuery(`displayName eq ${groups[1].displayName}`)}&count=10&startIndex=1`,
    );
    expectListResponse(response, { totalResults: 1, returned: 1 });
    expect(response.body.Resources[0].id).toBe(groups[1].id);

    const users = await org.scim(
      `/Users?${filterQuery("displayName eq No Such Person")}`,
    );
    expectListResponse(users, { totalResults: 0 });

    // Only a lone comparison reads that way; anything else stays an error.
    for (const filter of [
      `displayName eq ${groups[1].displayName} and`,
      'displayName eq Test "Group"',
      "displayName eq Test Group or externalId",
      "displayName pr Test Group",
    ]) {
      expectScimError(
        await org.scim(`/Groups?${filterQuery(filter)}`),
        400,
        "invalidFilter",
      );
    }
  });

  it("Post_Success with null externalId, members and schemas", async () => {
    const response = await org.scim("/Groups", {
      method: "POST",
      body: groupRequestModel({ displayName: unique("New Group ") }),
    });
    expectScimJson(response, 201);
    expect(response.body.members).toEqual([]);
    expect(response.body).not.toHaveProperty("externalId");
  });

  it.each([null, "", " "])(
    "Post_InvalidDisplayName_BadRequest: %j",
    async (displayName) => {
      const response = await org.scim("/Groups", {
        method: "POST",
        body: groupRequestModel({ displayName }),
      });
      expectScimError(response, 400, "invalidValue");
    },
  );

  it("Post_ExistingExternalId_Conflict", async () => {
    const response = await org.scim("/Groups", {
      method: "POST",
      body: groupRequestModel({
        displayName: unique("New Group "),
        externalId: groups[0].externalId,
      }),
    });
    expectScimError(response, 409, "uniqueness");
  });

  it("Put_ChangeName_Success and Put_NotFound", async () => {
    const group = groups[2];
    const renamed = `${group.displayName} New Name`;
    const response = await org.scim(`/Groups/${group.id}`, {
      method: "PUT",
      body: groupRequestModel({
        displayName: renamed,
        externalId: group.externalId,
        members: [],
        schemas: [],
      }),
    });
    expectScimJson(response, 200);
    expect(response.body.displayName).toBe(renamed);
    group.displayName = renamed;

    const missing = await org.scim(`/Groups/${crypto.randomUUID()}`, {
      method: "PUT",
      body: groupRequestModel({
        displayName: unique("Nowhere "),
        externalId: "AA",
        members: [],
        schemas: [],
      }),
    });
    expectScimError(missing, 404);
  });

  it("Patch_ReplaceDisplayName with the Group schema in schemas", async () => {
    const group = groups[0];
    const renamed = unique("Patch Display Name ");
    const response = await org.scim(
      `/Groups/${group.id}`,
      patchModel([{ op: "replace", value: { displayName: renamed } }], [GROUP]),
    );
    expect(response.status).toBe(204);
    expect((await org.scim(`/Groups/${group.id}`)).body.displayName).toBe(
      renamed,
    );
    // Renaming leaves the members alone.
    expect(await memberIds(group.id)).toEqual([userIds[0], userIds[3]].sort());
  });

  it("Patch add, remove and replace members as Bitwarden's tests send them", async () => {
    const group = groups[1];

    // add at a value filter, with an empty object as the value
    const addOne = await org.scim(
      `/Groups/${group.id}`,
      patchModel(
        [{ op: "add", path: `members[value eq "${userIds[1]}"]`, value: {} }],
        [GROUP],
      ),
    );
    expect(addOne.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([userIds[1]]);

    const addList = await org.scim(
      `/Groups/${group.id}`,
      patchModel(
        [
          {
            op: "add",
            path: "members",
            value: [{ value: userIds[2] }, { value: userIds[3] }],
          },
        ],
        [GROUP],
      ),
    );
    expect(addList.status).toBe(204);
    expect(await memberIds(group.id)).toEqual(
      [userIds[1], userIds[2], userIds[3]].sort(),
    );

    // remove one at a value filter and rename, in one request
    const renamed = unique("Patch Display Name ");
    const removeAndRename = await org.scim(
      `/Groups/${group.id}`,
      patchModel(
        [
          {
            op: "remove",
            path: `members[value eq "${userIds[1]}"]`,
            value: {},
          },
          { op: "replace", value: { displayName: renamed } },
        ],
        [GROUP],
      ),
    );
    expect(removeAndRename.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([userIds[2], userIds[3]].sort());

    const removeList = await org.scim(
      `/Groups/${group.id}`,
      patchModel(
        [
          {
            op: "remove",
            path: "members",
            value: [{ value: userIds[2] }, { value: userIds[3] }],
          },
        ],
        [GROUP],
      ),
    );
    expect(removeList.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([]);

    const replace = await org.scim(
      `/Groups/${group.id}`,
      patchModel(
        [{ op: "replace", path: "members", value: [{ value: userIds[0] }] }],
        [],
      ),
    );
    expect(replace.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([userIds[0]]);
  });

  it("Patch_NotFound: an unknown group id answers 404 whatever the operations", async () => {
    for (const operations of [
      [{ op: "replace", value: { displayName: "x" } }],
      [],
    ]) {
      const response = await org.scim(
        `/Groups/${crypto.randomUUID()}`,
        patchModel(operations, [GROUP]),
      );
      expectScimError(response, 404);
    }
    const put = await org.scim(`/Groups/${crypto.randomUUID()}`, {
      method: "PUT",
      body: groupRequestModel({}),
    });
    expectScimError(put, 404);

    // On a group that exists, the same bodies are refused.
    const empty = await org.scim(
      `/Groups/${groups[0].id}`,
      patchModel([], [GROUP]),
    );
    expectScimError(empty, 400, "invalidSyntax");
    const nameless = await org.scim(`/Groups/${groups[0].id}`, {
      method: "PUT",
      body: groupRequestModel({}),
    });
    expectScimError(nameless, 400, "invalidValue");
  });

  it("Delete_Success and Delete_NotFound", async () => {
    const response = await org.scim("/Groups", {
      method: "POST",
      body: groupRequestModel({
        displayName: unique("Doomed "),
        members: [{ value: userIds[0] }],
      }),
    });
    const id = response.body.id;
    expect((await org.scim(`/Groups/${id}`, { method: "DELETE" })).status).toBe(
      204,
    );
    expectScimError(await org.scim(`/Groups/${id}`, { method: "DELETE" }), 404);
    // The member stays; only the group and its links go.
    expectScimJson(await org.scim(`/Users/${userIds[0]}`), 200);
  });
});
