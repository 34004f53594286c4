import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
} from "@/tests/support/scim";
import {
  ENTERPRISE,
  GROUP,
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
 * Microsoft Entra ID's provisioning service, request by request: the
 * examples of "Develop a SCIM endpoint" (user and group operations), what the
 * Entra SCIM validator checks, and the PATCH shapes sent with and without
 * the aadOptscim062020 flag.
 */

const ENTRA_HEADERS = {
  "user-agent": "Microsoft Azure Active Directory SCIM Client",
  adscimversion: "2.0",
  "content-type": "application/scim+json",
  accept: "application/scim+json",
};

let server: ScimTestServer;

beforeAll(async () => {
  server = await startScimServer();
});
afterAll(async () => {
  await server.close();
});

/** The tutorial's "Create User" body, with the validator's extra attributes. */
function entraUser(overrides: Record<string, unknown> = {}) {
  const n = unique("");
  return {
    schemas: [USER, ENTERPRISE],
    externalId: `0a21f0f2-${n}`,
    userName: `Test_User_${n}`,
    active: true,
    emails: [
      {
        primary: true,
        type: "work",
        value: `Test_User_${n}@testuser.example`,
      },
    ],
    meta: { resourceType: "User" },
    name: {
      formatted: "givenName familyName",
      familyName: "familyName",
      givenName: "givenName",
    },
    roles: [],
    title: "Engineer",
    preferredLanguage: "en-US",
    phoneNumbers: [{ type: "work", value: "+1 555 0100", primary: "True" }],
    addresses: [
      {
        type: "work",
        streetAddress: "1 Main St",
        locality: "Redmond",
        country: "US",
        primary: true,
      },
    ],
    [ENTERPRISE]: {
      employeeNumber: "1",
      department: "Sales",
      costCenter: "CC-1",
      organization: "Contoso",
      division: "West",
      manager: { value: "boss-id" },
    },
    ...overrides,
  };
}

type Client = ReturnType<typeof vendorClient>;

async function provision(scim: Client, overrides = {}) {
  const body = entraUser(overrides);
  const response = await scim("/Users", { method: "POST", body });
  expectScimJson(response, 201);
  return { body, user: response.body };
}

function patch(...operations: unknown[]) {
  return {
    method: "PATCH",
    body: { schemas: [PATCH_OP], Operations: operations },
  };
}

describe("Entra user operations", () => {
  let org: ScimTestOrganization;
  let scim: Client;

  beforeAll(async () => {
    org = await server.organization();
    scim = vendorClient(org, ENTRA_HEADERS);
  });

  it("answers the connection check (a random userName) with an empty list", async () => {
    const response = await scim(
      `/Users?${filterQuery(`userName eq "${crypto.randomUUID()}"`)}`,
    );
    expectListResponse(response, { totalResults: 0, returned: 0 });
    expect(response.body.Resources).toEqual([]);
  });

  it("creates a user and returns it field by field", async () => {
    const { body, user } = await provision(scim);
    expect(user).toMatchObject({
      schemas: [USER, ENTERPRISE],
      externalId: body.externalId,
      userName: body.userName,
      active: true,
      name: body.name,
      emails: [
        {
          primary: true,
          type: "work",
          value: body.emails[0].value.toLowerCase(),
        },
      ],
      [ENTERPRISE]: body[ENTERPRISE],
      meta: { resourceType: "User" },
    });
    expect(user).not.toHaveProperty("title");
    expect(await lastRequestClient(org.organizationId)).toBe("Entra");
    expect(
      (await latestEvent(org.organizationId, "member.provisioned")).actorLabel,
    ).toBe("SCIM (Entra)");
  });

  it("gets a user by id, by userName, by externalId and by work email", async () => {
    const { body, user } = await provision(scim);
    const byId = await scim(`/Users/${user.id}`);
    expectScimJson(byId, 200);
    expect(byId.body.id).toBe(user.id);

    for (const filter of [
      `userName eq "${body.userName}"`,
      `externalId eq "${body.externalId}"`,
      `emails[type eq "work"].value eq "${body.emails[0].value}"`,
      `userName eq "${body.userName}" and active eq true`,
    ]) {
      const response = await scim(`/Users?${filterQuery(filter)}`);
      expectListResponse(response, { totalResults: 1, returned: 1 });
      expect(response.body.Resources[0].id, filter).toBe(user.id);
    }

    // Entra writes the space as "+" and leaves the quotes unencoded.
    const plus = await scim(`/Users?filter=userName+eq+"${body.userName}"`);
    expect(plus.body.totalResults).toBe(1);
  });

  it("finds nothing for a userName that does not exist", async () => {
    const response = await scim(
      `/Users?${filterQuery('userName eq "non-existent user"')}`,
    );
    expectListResponse(response, { totalResults: 0 });
  });

  it("ignores the aadOptscim062020 flag in the query string", async () => {
    const { body, user } = await provision(scim);
    const list = await scim(
      `/Users?aadOptscim062020&${filterQuery(`userName eq "${body.userName}"`)}`,
    );
    expect(list.body.totalResults).toBe(1);
    const single = await scim(`/Users/${user.id}?aadOptscim062020`);
    expectScimJson(single, 200);
    const patched = await scim(
      `/Users/${user.id}?aadOptscim062020`,
      patch({ op: "replace", path: "active", value: false }),
    );
    expectScimJson(patched, 200);
    expect(patched.body.active).toBe(false);
  });

  it("refuses a duplicate user with 409 uniqueness", async () => {
    const { body } = await provision(scim);
    const again = await scim("/Users", { method: "POST", body });
    expectScimError(again, 409, "uniqueness");
    const sameExternalId = await scim("/Users", {
      method: "POST",
      body: entraUser({ externalId: body.externalId }),
    });
    expectScimError(sameExternalId, 409, "uniqueness");
  });

  it("updates multi-valued properties (tutorial request) and keeps the email", async () => {
    const { user } = await provision(scim);
    const response = await scim(
      `/Users/${user.id}`,
      patch(
        {
          op: "Replace",
          path: 'emails[type eq "work"].value',
          value: "updatedEmail@microsoft.example",
        },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ),
    );
    expectScimJson(response, 200);
    expect(response.body.name.familyName).toBe("updatedFamilyName");
    expect(response.body.emails).toEqual(user.emails);
    expect(
      (await latestEvent(org.organizationId, "member.change_ignored")).targetId,
    ).toBe(user.id);
  });

  it("answers 200 to a userName replace and keeps the userName", async () => {
    const { user } = await provision(scim);
    const response = await scim(
      `/Users/${user.id}`,
      patch({
        op: "Replace",
        path: "userName",
        value: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.example",
      }),
    );
    expectScimJson(response, 200);
    expect(response.body.userName).toBe(user.userName);
  });

  it("disables a user with the string boolean (no flag) and the real one (flag)", async () => {
    for (const [disable, enable] of [
      ["False", "True"],
      [false, true],
    ]) {
      const { body, user } = await provision(scim);
      const disabled = await scim(
        `/Users/${user.id}`,
        patch({ op: "Replace", path: "active", value: disable }),
      );
      expectScimJson(disabled, 200);
      expect(disabled.body.active).toBe(false);
      expect((await memberRow(user.id)).status).toBe("revoked");

      // The validator checks active through a filtered GET.
      const filtered = await scim(
        `/Users?${filterQuery(`userName eq "${body.userName}"`)}`,
      );
      expect(filtered.body.Resources[0].active).toBe(false);

      const enabled = await scim(
        `/Users/${user.id}`,
        patch({ op: "Replace", path: "active", value: enable }),
      );
      expect(enabled.body.active).toBe(true);
      expect((await memberRow(user.id)).status).toBe("invited");
    }
  });

  it("applies the flag's one-operation replace of several attributes", async () => {
    const { user } = await provision(scim);
    const response = await scim(
      `/Users/${user.id}`,
      patch({
        op: "replace",
        value: {
          displayName: "Pvlo",
          'emails[type eq "work"].value': "TestBcwqnm@test.microsoft.example",
          "name.givenName": "Ysvauc",
          "name.familyName": "Qvmwl",
          [`${ENTERPRISE}:employeeNumber`]: "42",
          [`${ENTERPRISE}:manager`]: "Dwzytgh",
          active: false,
        },
      }),
    );
    expectScimJson(response, 200);
    expect(response.body).toMatchObject({
      displayName: "Pvlo",
      name: { givenName: "Ysvauc", familyName: "Qvmwl" },
      active: false,
      emails: user.emails,
      [ENTERPRISE]: { employeeNumber: "42", manager: { value: "Dwzytgh" } },
    });
  });

  it("accepts single-value adds of attributes that are not stored, both shapes", async () => {
    const { user } = await provision(scim);
    const withoutFlag = await scim(
      `/Users/${user.id}`,
      patch({ op: "Add", path: "nickName", value: "Babs" }),
    );
    expectScimJson(withoutFlag, 200);
    const withFlag = await scim(
      `/Users/${user.id}`,
      patch({ op: "add", value: { nickName: "Babs" } }),
    );
    expectScimJson(withFlag, 200);
    const validator = await scim(
      `/Users/${user.id}`,
      patch(
        {
          op: "replace",
          path: 'addresses[type eq "work"].streetAddress',
          value: "2 Main St",
        },
        {
          op: "replace",
          path: 'phoneNumbers[type eq "mobile"].value',
          value: "+1 555 0101",
        },
        { op: "replace", path: "title", value: "Manager" },
        { op: "replace", path: "preferredLanguage", value: "fr-FR" },
        {
          op: "replace",
          path: `${ENTERPRISE}:department`,
          value: "Marketing",
        },
      ),
    );
    expectScimJson(validator, 200);
    expect(validator.body[ENTERPRISE].department).toBe("Marketing");
  });

  it("sets the manager as a string or as {value}, and removes it", async () => {
    const { user } = await provision(scim);
    const asString = await scim(
      `/Users/${user.id}`,
      patch({
        op: "Add",
        path: `${ENTERPRISE}:manager`,
        value: "2819c223-7f76-453a-919d-413861904646",
      }),
    );
    expect(asString.body[ENTERPRISE].manager).toEqual({
      value: "2819c223-7f76-453a-919d-413861904646",
    });
    const asObject = await scim(
      `/Users/${user.id}`,
      patch({
        op: "Replace",
        path: `${ENTERPRISE}:manager`,
        value: { value: "other-manager" },
      }),
    );
    expect(asObject.body[ENTERPRISE].manager).toEqual({
      value: "other-manager",
    });
    const removed = await scim(
      `/Users/${user.id}`,
      patch({ op: "Remove", path: `${ENTERPRISE}:manager` }),
    );
    expectScimJson(removed, 200);
    expect(removed.body[ENTERPRISE].manager).toBeUndefined();
  });

  it("accepts string booleans in POST", async () => {
    const { user } = await provision(scim, {
      active: "False",
      emails: [
        {
          primary: "True",
          type: "work",
          value: `${unique("strings")}@testuser.example`,
        },
      ],
    });
    expect(user.active).toBe(false);
    expect((await memberRow(user.id)).status).toBe("revoked");
  });

  it("deletes a user; a later GET is 404", async () => {
    const { user } = await provision(scim);
    const deleted = await scim(`/Users/${user.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expectScimError(await scim(`/Users/${user.id}`), 404);
    expectScimError(await scim(`/Users/${user.id}`, { method: "DELETE" }), 404);
  });

  it("is detected as Entra from the Adscimversion header alone", async () => {
    const other = await server.organization();
    await other.scim("/Users", {
      headers: { "user-agent": "SomeHttpClient/1.0", adscimversion: "2.0" },
    });
    expect(await lastRequestClient(other.organizationId)).toBe("Entra");
  });
});

describe("Entra group operations", () => {
  let org: ScimTestOrganization;
  let scim: Client;

  beforeAll(async () => {
    org = await server.organization();
    scim = vendorClient(org, ENTRA_HEADERS);
  });

  async function createGroup() {
    const externalId = `8aa1a0c0-${unique("")}`;
    const displayName = unique("displayName");
    const response = await scim("/Groups", {
      method: "POST",
      body: {
        schemas: [
          GROUP,
          "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
        ],
        externalId,
        displayName,
        meta: { resourceType: "Group" },
      },
    });
    expectScimJson(response, 201);
    expect(response.headers.get("location")).toBe(response.body.meta.location);
    expect(response.body).toMatchObject({
      schemas: [GROUP],
      externalId,
      displayName,
      members: [],
    });
    return response.body;
  }

  it("gets a group by id and by displayName without members", async () => {
    const member = await org.createUser();
    const group = await createGroup();
    await scim(
      `/Groups/${group.id}`,
      patch({ op: "Add", path: "members", value: [{ value: member.id }] }),
    );

    const byId = await scim(`/Groups/${group.id}?excludedAttributes=members`);
    expectScimJson(byId, 200);
    expect(byId.body).not.toHaveProperty("members");
    expect(byId.body).toMatchObject({
      id: group.id,
      displayName: group.displayName,
    });

    const byName = await scim(
      `/Groups?excludedAttributes=members&${filterQuery(`displayName eq "${group.displayName}"`)}`,
    );
    expectListResponse(byName, { totalResults: 1, returned: 1 });
    expect(byName.body.Resources[0]).not.toHaveProperty("members");

    const none = await scim(
      `/Groups?excludedAttributes=members&${filterQuery('displayName eq "no such group"')}`,
    );
    expectListResponse(none, { totalResults: 0 });

    const byExternalId = await scim(
      `/Groups?${filterQuery(`externalId eq "${group.externalId}"`)}`,
    );
    expect(byExternalId.body.Resources[0].members).toEqual([
      expect.objectContaining({ value: member.id, type: "User" }),
    ]);
  });

  it("patches non-member attributes with 204", async () => {
    const group = await createGroup();
    const response = await scim(
      `/Groups/${group.id}`,
      patch(
        {
          op: "Replace",
          path: "displayName",
          value: `${group.displayName}updatedDisplayName`,
        },
        { op: "Replace", path: "externalId", value: "new-external-id" },
      ),
    );
    expect(response.status).toBe(204);
    const now = await scim(`/Groups/${group.id}`);
    expect(now.body).toMatchObject({
      displayName: `${group.displayName}updatedDisplayName`,
      externalId: "new-external-id",
    });
  });

  it("adds and removes members with 204, with and without the flag", async () => {
    const [a, b, c] = [
      await org.createUser(),
      await org.createUser(),
      await org.createUser(),
    ];
    const group = await createGroup();
    const members = async () =>
      (await scim(`/Groups/${group.id}`)).body.members
        .map((member: { value: string }) => member.value)
        .sort();

    const added = await scim(
      `/Groups/${group.id}`,
      patch({
        op: "Add",
        path: "members",
        value: [
          { $ref: null, value: a.id },
          { $ref: null, value: b.id },
          { $ref: null, value: c.id },
        ],
      }),
    );
    expect(added.status).toBe(204);
    expect(await members()).toEqual([a.id, b.id, c.id].sort());

    // Without the flag: a value list at path members.
    const removedList = await scim(
      `/Groups/${group.id}`,
      patch({ op: "Remove", path: "members", value: [{ value: a.id }] }),
    );
    expect(removedList.status).toBe(204);
    expect(await members()).toEqual([b.id, c.id].sort());

    // A value filter in the path.
    const removedFilter = await scim(
      `/Groups/${group.id}`,
      patch({ op: "remove", path: `members[value eq "${b.id}"]` }),
    );
    expect(removedFilter.status).toBe(204);
    expect(await members()).toEqual([c.id]);
  });

  it("refuses a duplicate group and deletes a group", async () => {
    const group = await createGroup();
    const duplicate = await scim("/Groups", {
      method: "POST",
      body: { schemas: [GROUP], displayName: group.displayName },
    });
    expectScimError(duplicate, 409, "uniqueness");

    const deleted = await scim(`/Groups/${group.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expectScimError(
      await scim(`/Groups/${group.id}?excludedAttributes=members`),
      404,
    );
  });
});

describe("discovery, as the Entra validator's schema discovery reads it", () => {
  let scim: Client;
  let org: ScimTestOrganization;

  beforeAll(async () => {
    org = await server.organization();
    scim = vendorClient(org, ENTRA_HEADERS);
  });

  it("describes the service in ServiceProviderConfig", async () => {
    for (const path of ["/ServiceProviderConfig", "/serviceproviderconfig"]) {
      const response = await scim(path);
      expectScimJson(response, 200);
      expect(response.body).toMatchObject({
        schemas: [
          "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
        ],
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true, maxResults: 1000 },
        changePassword: { supported: false },
        sort: { supported: true },
        etag: { supported: true },
      });
      expect(response.body.authenticationSchemes).toEqual([
        expect.objectContaining({
          type: "oauthbearertoken",
          name: expect.any(String),
          description: expect.any(String),
        }),
      ]);
    }
  });

  it("lists the resource types with User first, and finds each by id", async () => {
    const list = await scim("/ResourceTypes");
    expectListResponse(list, { totalResults: 2, returned: 2 });
    expect(list.body.Resources.map((type: { id: string }) => type.id)).toEqual([
      "User",
      "Group",
    ]);
    const user = await scim("/ResourceTypes/User");
    expectScimJson(user, 200);
    expect(user.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      name: "User",
      endpoint: "/Users",
      schema: USER,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    });
    const group = await scim("/ResourceTypes/Group");
    expect(group.body).toMatchObject({ endpoint: "/Groups", schema: GROUP });
    expectScimError(await scim("/ResourceTypes/Device"), 404);
  });

  it("serves the User, Group and enterprise schemas, listed and by URN", async () => {
    const list = await scim("/Schemas");
    expectListResponse(list, { totalResults: 3, returned: 3 });
    expect(
      list.body.Resources.map((schema: { id: string }) => schema.id).sort(),
    ).toEqual([ENTERPRISE, GROUP, USER].sort());

    const user = await scim(`/Schemas/${USER}`);
    expectScimJson(user, 200);
    expect(user.body.id).toBe(USER);
    const attribute = (name: string) =>
      user.body.attributes.find(
        (candidate: { name: string }) => candidate.name === name,
      );
    expect(attribute("userName")).toMatchObject({
      type: "string",
      required: true,
      uniqueness: "server",
      caseExact: false,
    });
    expect(attribute("active")).toMatchObject({ type: "boolean" });
    expect(attribute("groups")).toMatchObject({ mutability: "readOnly" });
    expect(attribute("emails")).toMatchObject({
      type: "complex",
      multiValued: true,
    });

    const enterprise = await scim(`/Schemas/${ENTERPRISE}`);
    expect(
      enterprise.body.attributes.map((item: { name: string }) => item.name),
    ).toEqual(
      expect.arrayContaining([
        "employeeNumber",
        "costCenter",
        "organization",
        "division",
        "department",
        "manager",
      ]),
    );
    const group = await scim(`/Schemas/${GROUP}`);
    expect(
      group.body.attributes.map((item: { name: string }) => item.name),
    ).toEqual(expect.arrayContaining(["displayName", "members"]));
    expectScimError(await scim("/Schemas/urn:example:unknown"), 404);
  });

  it("asks for the key on discovery as on everything else", async () => {
    for (const path of [
      "/ServiceProviderConfig",
      "/ResourceTypes",
      "/Schemas",
    ]) {
      expectScimError(await scim(path, { apiKey: null }), 401);
    }
  });
});
