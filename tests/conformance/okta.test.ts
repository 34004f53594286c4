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
  PATCH_OP,
  USER,
  expectListResponse,
  expectScimError,
  expectScimJson,
  filterQuery,
  lastRequestClient,
  latestEvent,
  memberRow,
  unique,
  vendorClient,
} from "./vendor-client";

/**
 * Okta's SCIM 2.0 behaviour, request by request: the Runscope "SPEC test"
 * Okta publishes for integrations, the CRUD flow of its SCIM 2.0 protocol
 * reference, and Push Groups.
 */

const OKTA_HEADERS = {
  "user-agent": "Okta SCIM Client 1.0.0",
  "content-type": "application/scim+json; charset=utf-8",
  accept: "application/scim+json",
  "accept-charset": "utf-8",
};

let server: ScimTestServer;

beforeAll(async () => {
  server = await startScimServer();
});
afterAll(async () => {
  await server.close();
});

/** The body Okta's reference shows for "Create the User". */
function oktaCreateBody(userName: string, overrides = {}) {
  return {
    schemas: [USER],
    userName,
    name: { givenName: "Test", familyName: "User" },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: "Test User",
    locale: "en-US",
    externalId: unique("00ujl29u0le5T6Aj10h7"),
    groups: [],
    password: "1mz050nq",
    active: true,
    ...overrides,
  };
}

describe("Okta SCIM 2.0 SPEC test (Runscope)", () => {
  let org: ScimTestOrganization;
  let scim: ReturnType<typeof vendorClient>;
  const randomGivenName = "Runscope300";
  const randomFamilyName = unique("Hfluaklab");
  const randomUsername = `${randomGivenName}${randomFamilyName}@example.com`;
  const randomEmail = randomUsername;
  let seededId: string;
  let idUserOne: string;

  beforeAll(async () => {
    org = await server.organization();
    scim = vendorClient(org, OKTA_HEADERS);
    // Okta asks for at least one user on the server before the suite runs.
    const seeded = await scim("/Users", {
      method: "POST",
      body: oktaCreateBody(`${unique("seed")}@example.com`),
    });
    expect(seeded.status).toBe(201);
    seededId = seeded.body.id;
  });

  it("Test Users endpoint: GET /Users?count=1&startIndex=1", async () => {
    const response = await scim("/Users?count=1&startIndex=1");
    expectListResponse(response, { totalResults: 1, returned: 1 });
    expect(typeof response.body.itemsPerPage).toBe("number");
    const [user] = response.body.Resources;
    expect(user.id).toBe(seededId);
    expect(user.name.familyName).toBeTruthy();
    expect(user.name.givenName).toBeTruthy();
    expect(user.userName).toBeTruthy();
    expect(user.active).toBe(true);
    expect(user.emails[0].value).toBeTruthy();
  });

  it("Get Users/{{ISVUserid}}", async () => {
    const response = await scim(`/Users/${seededId}`);
    expectScimJson(response, 200);
    expect(response.body.id).toBe(seededId);
    expect(response.body.schemas).toContain(USER);
    expect(response.body.active).toBe(true);
    expect(response.body.emails[0].value).toBeTruthy();
  });

  it('Test invalid User by username: filter=userName eq "{{InvalidUserEmail}}"', async () => {
    const response = await scim(
      `/Users?${filterQuery(`userName eq "abcdefgh${unique("")}@example.com"`)}`,
    );
    expectListResponse(response, { totalResults: 0, returned: 0 });
    expect(response.body.Resources).toEqual([]);
  });

  it("Test invalid User by ID: /Users/{{UserIdThatDoesNotExist}}", async () => {
    for (const id of [
      "010101001010101011001010101011",
      "00000000000000000000",
      "00919288221112222",
      "00000000-0000-4000-8000-000000000000",
    ]) {
      expectScimError(await scim(`/Users/${id}`), 404);
    }
  });

  it("Make sure random user doesn't exist", async () => {
    const response = await scim(
      `/Users?${filterQuery(`userName eq "${randomUsername}"`)}`,
    );
    expectListResponse(response, { totalResults: 0 });
  });

  it("Create Okta user with realistic values", async () => {
    const response = await scim("/Users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: {
        schemas: [USER],
        userName: randomUsername,
        name: { givenName: randomGivenName, familyName: randomFamilyName },
        emails: [{ primary: true, value: randomEmail, type: "work" }],
        displayName: `${randomGivenName} ${randomFamilyName}`,
        active: true,
      },
    });
    expectScimJson(response, 201);
    const body = response.body;
    expect(body.active).toBe(true);
    expect(body.id).toBeTruthy();
    expect(body.schemas).toContain(USER);
    expect(body.userName).toBe(randomUsername);
    expect(body.name.familyName).toBe(randomFamilyName);
    expect(body.name.givenName).toBe(randomGivenName);
    expect(body.emails).toEqual([
      { value: randomEmail.toLowerCase(), type: "work", primary: true },
    ]);
    expect(response.headers.get("location")).toBe(body.meta.location);
    expect(body.meta.location).toBe(
      `http://console.test/scim/v2/${org.organizationId}/Users/${body.id}`,
    );
    expect(response.headers.get("etag")).toBe(body.meta.version);
    expect(body).not.toHaveProperty("password");
    idUserOne = body.id;
  });

  it("Verify that user was created", async () => {
    const response = await scim(`/Users/${idUserOne}`);
    expectScimJson(response, 200);
    expect(response.body.userName).toBe(randomUsername);
    expect(response.body.name.familyName).toBe(randomFamilyName);
    expect(response.body.name.givenName).toBe(randomGivenName);
  });

  it("Expect failure when recreating user with same values", async () => {
    const response = await scim("/Users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: {
        schemas: [USER],
        userName: randomUsername,
        name: { givenName: randomGivenName, familyName: randomFamilyName },
        emails: [{ primary: true, value: randomUsername, type: "work" }],
        displayName: `${randomGivenName} ${randomFamilyName}`,
        active: true,
      },
    });
    expectScimError(response, 409, "uniqueness");
  });

  it("Username Case Sensitivity Check", async () => {
    const response = await scim(
      `/Users?${filterQuery(`userName eq "${randomUsername.toUpperCase()}"`)}`,
    );
    expectListResponse(response, { totalResults: 1, returned: 1 });
    expect(response.body.Resources[0].id).toBe(idUserOne);
    // Found case-insensitively, shown exactly as provisioned.
    expect(response.body.Resources[0].userName).toBe(randomUsername);
  });

  it("Optional Test: Verify Groups endpoint", async () => {
    const response = await scim("/Groups");
    expectListResponse(response, { totalResults: 0 });
    expect(response.body.Resources).toEqual([]);
  });

  it("Check status 401", async () => {
    const response = await scim(
      `/Users?${filterQuery(`userName eq "${randomUsername}"`)}`,
      { apiKey: "non-token" },
    );
    expectScimError(response, 401);
  });

  it("records every request as coming from Okta", async () => {
    expect(await lastRequestClient(org.organizationId)).toBe("Okta");
    const event = await latestEvent(org.organizationId, "member.provisioned");
    expect(event.actorLabel).toBe("SCIM (Okta)");
  });
});

describe("Okta SCIM 2.0 protocol reference: users", () => {
  let org: ScimTestOrganization;
  let scim: ReturnType<typeof vendorClient>;

  beforeAll(async () => {
    org = await server.organization();
    scim = vendorClient(org, OKTA_HEADERS);
  });

  it("answers the connection test on an empty organization", async () => {
    const response = await scim("/Users?count=2&startIndex=1");
    expectListResponse(response, { totalResults: 0, returned: 0 });
  });

  it("runs the import / create / update / deactivate / reactivate flow", async () => {
    const userName = `${unique("Test.User")}@Okta.local`;
    const lookup = `/Users?${filterQuery(`userName eq "${userName}"`)}&startIndex=1&count=100`;

    expectListResponse(await scim(lookup), { totalResults: 0 });

    const created = await scim("/Users", {
      method: "POST",
      body: oktaCreateBody(userName),
    });
    expectScimJson(created, 201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      schemas: [USER],
      userName,
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: userName.toLowerCase(), type: "work" }],
      displayName: "Test User",
      active: true,
      groups: [],
      meta: { resourceType: "User" },
    });
    expect((await memberRow(id)).status).toBe("invited");

    const found = await scim(lookup);
    expectListResponse(found, { totalResults: 1, returned: 1 });
    expect(found.body.Resources[0].id).toBe(id);

    // Profile update: Okta GETs the user, then PUTs it back changed,
    // read-only attributes, meta and all.
    const current = await scim(`/Users/${id}`);
    expectScimJson(current, 200);
    const put = await scim(`/Users/${id}`, {
      method: "PUT",
      body: {
        ...current.body,
        name: { givenName: "Another", familyName: "User" },
        displayName: "Another User",
        password: "t1meMa$heen",
      },
    });
    expectScimJson(put, 200);
    expect(put.body).toMatchObject({
      id,
      userName,
      name: { givenName: "Another", familyName: "User" },
      displayName: "Another User",
      active: true,
    });
    expect(put.headers.get("etag")).toBe(put.body.meta.version);
    expect(put.body.meta.version).not.toBe(current.body.meta.version);

    const deactivated = await scim(`/Users/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { active: false } }],
      },
    });
    expectScimJson(deactivated, 200);
    expect(deactivated.body.active).toBe(false);
    expect(deactivated.body.id).toBe(id);
    expect((await memberRow(id)).status).toBe("revoked");
    expect(
      (await latestEvent(org.organizationId, "member.revoked")).actorLabel,
    ).toBe("SCIM (Okta)");

    // Filtering a deactivated user still finds it, showing active false.
    const inactive = await scim(lookup);
    expect(inactive.body.Resources[0].active).toBe(false);

    const reactivated = await scim(`/Users/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { active: true } }],
      },
    });
    expectScimJson(reactivated, 200);
    expect(reactivated.body.active).toBe(true);
    expect((await memberRow(id)).status).toBe("invited");
  });

  it("deactivates and reactivates with PUT active false/true, as older Okta apps do", async () => {
    const user = await org.createUser();
    const revoked = await scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...user, active: false },
    });
    expectScimJson(revoked, 200);
    expect(revoked.body.active).toBe(false);
    expect((await memberRow(user.id)).status).toBe("revoked");

    // A PUT without active leaves the status alone.
    const withoutActive = { ...revoked.body };
    delete withoutActive.active;
    const kept = await scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...withoutActive, displayName: "Still Revoked" },
    });
    expect(kept.body).toMatchObject({
      active: false,
      displayName: "Still Revoked",
    });
    expect((await memberRow(user.id)).status).toBe("revoked");

    const restored = await scim(`/Users/${user.id}`, {
      method: "PUT",
      body: { ...kept.body, active: true },
    });
    expect(restored.body.active).toBe(true);
    expect((await memberRow(user.id)).status).toBe("invited");
  });

  it("keeps userName exactly as sent and ignores a changed userName in PUT", async () => {
    const userName = `${unique("Mixed.Case")}@Example.COM`;
    const created = await scim("/Users", {
      method: "POST",
      body: oktaCreateBody(userName),
    });
    expect(created.body.userName).toBe(userName);
    expect(created.body.emails[0].value).toBe(userName.toLowerCase());

    const put = await scim(`/Users/${created.body.id}`, {
      method: "PUT",
      body: {
        ...created.body,
        userName: `renamed.${userName}`,
        emails: [{ primary: true, value: `renamed.${userName}`, type: "work" }],
      },
    });
    expectScimJson(put, 200);
    expect(put.body.userName).toBe(userName);
    expect(put.body.emails[0].value).toBe(userName.toLowerCase());
    expect(
      (await latestEvent(org.organizationId, "member.change_ignored"))
        ?.targetId,
    ).toBe(created.body.id);
  });

  it("refuses a second user with the same userName in another case", async () => {
    const userName = `${unique("dup")}@example.com`;
    await scim("/Users", { method: "POST", body: oktaCreateBody(userName) });
    const duplicate = await scim("/Users", {
      method: "POST",
      body: oktaCreateBody(userName.toUpperCase(), {
        emails: [{ primary: true, value: `other.${userName}`, type: "work" }],
      }),
    });
    expectScimError(duplicate, 409, "uniqueness");
  });

  it("answers 404 with a SCIM error for PUT, PATCH and DELETE of an unknown id", async () => {
    const id = "010101001010101011001010101011";
    expectScimError(
      await scim(`/Users/${id}`, {
        method: "PUT",
        body: oktaCreateBody("nobody@example.com"),
      }),
      404,
    );
    expectScimError(
      await scim(`/Users/${id}`, {
        method: "PATCH",
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: "replace", value: { active: false } }],
        },
      }),
      404,
    );
    expectScimError(await scim(`/Users/${id}`, { method: "DELETE" }), 404);
  });

  it("pages through every user with startIndex and count", async () => {
    const paging = await server.organization();
    const client = vendorClient(paging, OKTA_HEADERS);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await paging.createUser()).id);

    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= 5; startIndex += 2) {
      const page = await client(`/Users?startIndex=${startIndex}&count=2`);
      expectListResponse(page, { totalResults: 5, startIndex });
      seen.push(...page.body.Resources.map((user: { id: string }) => user.id));
    }
    expect(seen).toEqual(ids);

    const past = await client("/Users?startIndex=6&count=2");
    expectListResponse(past, { totalResults: 5, startIndex: 6, returned: 0 });
  });
});

describe("Okta Push Groups", () => {
  let org: ScimTestOrganization;
  let scim: ReturnType<typeof vendorClient>;

  beforeAll(async () => {
    org = await server.organization();
    scim = vendorClient(org, OKTA_HEADERS);
  });

  it("creates, finds, renames, fills, empties and deletes a group", async () => {
    const alice = await org.createUser();
    const bob = await org.createUser();
    const displayName = unique("Test SCIMv2 ");

    const created = await scim("/Groups", {
      method: "POST",
      body: { schemas: [GROUP], displayName, members: [] },
    });
    expectScimJson(created, 201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      schemas: [GROUP],
      id,
      displayName,
      members: [],
      meta: { resourceType: "Group" },
    });
    expect(created.headers.get("location")).toBe(
      `http://console.test/scim/v2/${org.organizationId}/Groups/${id}`,
    );
    expect(created.headers.get("etag")).toBe(created.body.meta.version);

    const found = await scim(
      `/Groups?${filterQuery(`displayName eq "${displayName}"`)}&startIndex=1&count=100`,
    );
    expectListResponse(found, { totalResults: 1, returned: 1 });
    expect(found.body.Resources[0].id).toBe(id);

    const fetched = await scim(`/Groups/${id}`);
    expectScimJson(fetched, 200);
    expect(fetched.body.displayName).toBe(displayName);

    // Rename: replace without a path, the value naming the read-only id.
    const renamed = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "replace", value: { id, displayName: `${displayName} 2` } },
        ],
      },
    });
    expect(renamed.status).toBe(204);
    expect(renamed.text).toBe("");

    const added = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: "add",
            path: "members",
            value: [
              { value: alice.id, display: alice.userName },
              { value: bob.id, display: bob.userName },
            ],
          },
        ],
      },
    });
    expect(added.status).toBe(204);
    const filled = await scim(`/Groups/${id}`);
    expect(filled.body.displayName).toBe(`${displayName} 2`);
    expect(
      filled.body.members.map((member: { value: string }) => member.value),
    ).toEqual(expect.arrayContaining([alice.id, bob.id]));
    expect(filled.body.members[0]).toMatchObject({ type: "User" });
    expect(filled.body.members[0].$ref).toMatch(
      new RegExp(`/Users/${filled.body.members[0].value}$`),
    );

    // The member's User shows the group.
    const aliceNow = await scim(`/Users/${alice.id}`);
    expect(aliceNow.body.groups).toEqual([
      {
        value: id,
        display: `${displayName} 2`,
        $ref: `http://console.test/scim/v2/${org.organizationId}/Groups/${id}`,
      },
    ]);

    const removed = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "remove", path: `members[value eq "${alice.id}"]` }],
      },
    });
    expect(removed.status).toBe(204);
    const afterRemove = await scim(`/Groups/${id}`);
    expect(
      afterRemove.body.members.map((member: { value: string }) => member.value),
    ).toEqual([bob.id]);

    const replaced = await scim(`/Groups/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: "replace",
            path: "members",
            value: [{ value: alice.id, display: alice.userName }],
          },
        ],
      },
    });
    expect(replaced.status).toBe(204);
    const afterReplace = await scim(`/Groups/${id}`);
    expect(
      afterReplace.body.members.map(
        (member: { value: string }) => member.value,
      ),
    ).toEqual([alice.id]);

    // Okta's "push now" sends the whole group with PUT.
    const put = await scim(`/Groups/${id}`, {
      method: "PUT",
      body: {
        schemas: [GROUP],
        id,
        displayName: `${displayName} 3`,
        members: [{ value: bob.id, display: bob.userName }],
      },
    });
    expectScimJson(put, 200);
    expect(put.body.displayName).toBe(`${displayName} 3`);
    expect(
      put.body.members.map((member: { value: string }) => member.value),
    ).toEqual([bob.id]);

    const deleted = await scim(`/Groups/${id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expectScimError(await scim(`/Groups/${id}`), 404);
    expect((await scim(`/Users/${bob.id}`)).body.groups).toEqual([]);
  });

  it("refuses a second group with the same name in another case", async () => {
    const displayName = unique("Engineering ");
    await scim("/Groups", {
      method: "POST",
      body: { schemas: [GROUP], displayName, members: [] },
    });
    const duplicate = await scim("/Groups", {
      method: "POST",
      body: { schemas: [GROUP], displayName: displayName.toUpperCase() },
    });
    expectScimError(duplicate, 409, "uniqueness");
    expect(duplicate.body.schemas).toEqual([ERROR]);
  });

  it("answers 404 for an unknown group id", async () => {
    expectScimError(await scim("/Groups/010101001010101011001010101011"), 404);
  });

  it("lists groups as a ListResponse", async () => {
    const response = await scim("/Groups?startIndex=1&count=100");
    expectScimJson(response, 200);
    expect(response.body.schemas).toEqual([LIST]);
    expect(response.body.totalResults).toBe(response.body.Resources.length);
  });
});

describe("protocol details the Okta SPEC test and reference rely on", () => {
  let org: ScimTestOrganization;
  let scim: ReturnType<typeof vendorClient>;
  const ids: string[] = [];

  beforeAll(async () => {
    org = await server.organization();
    scim = vendorClient(org, OKTA_HEADERS);
    for (const [given, family] of [
      ["Carol", "Zeta"],
      ["alice", "Young"],
      ["Bob", "Xavier"],
    ]) {
      const response = await scim("/Users", {
        method: "POST",
        body: oktaCreateBody(`${given}.${unique("")}@example.com`, {
          name: { givenName: given, familyName: family },
          displayName: `${given} ${family}`,
        }),
      });
      ids.push(response.body.id);
    }
  });

  it.each([
    [
      "the first non-blank primary email",
      [
        { value: " ", primary: true },
        { value: "Home@Example.com", type: "home" },
        { value: "Primary@Example.com", type: "home", primary: true },
        { value: "work@example.com", type: "work" },
      ],
      "primary@example.com",
    ],
    [
      "else the first non-blank work email",
      [
        { value: "home@example.com", type: "home" },
        { value: "", type: "work" },
        { value: "Work@Example.com", type: "work" },
      ],
      "work@example.com",
    ],
    [
      "else the first non-blank email",
      [
        { value: "  ", type: "home" },
        { value: "Other@Example.com", type: "other" },
      ],
      "other@example.com",
    ],
    ["else the userName", [], "username"],
  ])("chooses %s (SPEC 3.4)", async (_label, emails, expected) => {
    const suffix = unique("");
    const qualify = (email: string) => email.replace("@", `.${suffix}@`);
    const userName = `UserName.${suffix}@Example.com`;
    const own = vendorClient(await server.organization(), OKTA_HEADERS);
    const response = await own("/Users", {
      method: "POST",
      body: oktaCreateBody(userName, {
        emails: emails.map((email) => ({
          ...email,
          value: email.value.trim() ? qualify(email.value) : email.value,
        })),
      }),
    });
    expectScimJson(response, 201);
    expect(response.body.emails).toEqual([
      {
        value:
          expected === "username"
            ? userName.toLowerCase()
            : qualify(expected).toLowerCase(),
        type: "work",
        primary: true,
      },
    ]);
    expect(response.body.userName).toBe(userName);
  });

  it("honours attributes and excludedAttributes, keeping id and schemas", async () => {
    const only = await scim(
      `/Users/${ids[0]}?attributes=userName,name.givenName`,
    );
    expectScimJson(only, 200);
    expect(Object.keys(only.body).sort()).toEqual(
      ["id", "name", "schemas", "userName"].sort(),
    );
    expect(Object.keys(only.body.name)).toEqual(["givenName"]);

    const without = await scim(
      `/Users?excludedAttributes=groups,meta,emails&${filterQuery(`id eq "${ids[0]}"`)}`,
    );
    const [user] = without.body.Resources;
    expect(user.id).toBe(ids[0]);
    expect(user).not.toHaveProperty("groups");
    expect(user).not.toHaveProperty("meta");
    expect(user).not.toHaveProperty("emails");
    expect(user.userName).toBeTruthy();

    const idOnly = await scim("/Users?attributes=id");
    for (const resource of idOnly.body.Resources) {
      expect(Object.keys(resource).sort()).toEqual(["id", "schemas"]);
    }
  });

  it("sorts by string attributes, ascending and descending", async () => {
    const ascending = await scim("/Users?sortBy=name.givenName");
    expect(
      ascending.body.Resources.map(
        (user: { name: { givenName: string } }) => user.name.givenName,
      ),
    ).toEqual(["alice", "Bob", "Carol"]);
    const descending = await scim(
      "/Users?sortBy=name.familyName&sortOrder=descending",
    );
    expect(
      descending.body.Resources.map(
        (user: { name: { familyName: string } }) => user.name.familyName,
      ),
    ).toEqual(["Zeta", "Young", "Xavier"]);
    expectScimError(await scim("/Users?sortBy=password"), 400, "invalidValue");
  });

  it("takes the list parameters in a POST /.search body", async () => {
    const response = await scim("/Users/.search", {
      method: "POST",
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        filter: 'name.givenName eq "bob" or name.givenName eq "ALICE"',
        attributes: ["userName", "name"],
        sortBy: "name.givenName",
        startIndex: 1,
        count: 10,
      },
    });
    expectListResponse(response, { totalResults: 2, returned: 2 });
    expect(
      response.body.Resources.map((user: { id: string }) => user.id),
    ).toEqual([ids[1], ids[2]]);
    expect(response.body.Resources[0]).not.toHaveProperty("emails");
  });

  it("answers count=0 with only the total, and reads startIndex below 1 as 1", async () => {
    const total = await scim("/Users?count=0");
    expectListResponse(total, { totalResults: 3, returned: 0 });
    for (const startIndex of ["0", "-5"]) {
      const page = await scim(`/Users?startIndex=${startIndex}&count=1`);
      expectListResponse(page, { totalResults: 3, startIndex: 1, returned: 1 });
      expect(page.body.Resources[0].id).toBe(ids[0]);
    }
    const capped = await scim("/Users?count=5000");
    expectListResponse(capped, { totalResults: 3, returned: 3 });
  });

  it("refuses a stale If-Match with 412 and answers a fresh If-None-Match with 304", async () => {
    const user = await org.createUser();
    const etag = (await scim(`/Users/${user.id}`)).headers.get("etag")!;
    expect(etag).toMatch(/^W\/"\d+"$/);

    const notModified = await scim(`/Users/${user.id}`, {
      headers: { "if-none-match": etag },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    expect(notModified.headers.get("etag")).toBe(etag);

    const changed = await scim(`/Users/${user.id}`, {
      method: "PATCH",
      headers: { "if-match": etag },
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", path: "displayName", value: "New" }],
      },
    });
    expectScimJson(changed, 200);
    expect(changed.headers.get("etag")).not.toBe(etag);

    for (const [method, body] of [
      ["PUT", { ...user, displayName: "Stale" }],
      [
        "PATCH",
        {
          schemas: [PATCH_OP],
          Operations: [{ op: "replace", value: { active: false } }],
        },
      ],
      ["DELETE", undefined],
    ] as const) {
      const stale = await scim(`/Users/${user.id}`, {
        method,
        headers: { "if-match": etag },
        body,
      });
      expectScimError(stale, 412);
    }
    expect((await memberRow(user.id)).status).toBe("invited");

    const fresh = await scim(`/Users/${user.id}`, {
      headers: { "if-none-match": etag },
    });
    expectScimJson(fresh, 200);
  });

  it("answers on lower-case resource paths", async () => {
    const users = await scim("/users?count=1");
    expectScimJson(users, 200);
    const user = await scim(`/users/${ids[0]}`);
    expectScimJson(user, 200);
    expect(user.body.id).toBe(ids[0]);
    const groups = await scim("/groups");
    expectScimJson(groups, 200);
  });
});
