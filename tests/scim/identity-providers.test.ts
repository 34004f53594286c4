import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { members } from "@/db/schema";
import {
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
  type ScimUser,
} from "@/tests/support/scim";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let server: ScimTestServer;

beforeAll(async () => {
  server = await startScimServer();
});
afterAll(async () => {
  await server.close();
});

async function status(id: string) {
  const [member] = await db().select().from(members).where(eq(members.id, id));
  return member?.status;
}

describe("Okta", () => {
  const okta = {
    "user-agent": "Okta SCIM Client 1.0.0",
    "content-type": "application/json",
  };
  let org: ScimTestOrganization;
  const scim = (
    path: string,
    init: Parameters<ScimTestOrganization["scim"]>[1] = {},
  ) => org.scim(path, { ...init, headers: { ...okta, ...init.headers } });

  beforeAll(async () => {
    org = await server.organization();
  });

  it("looks a user up by userName, creates it, updates it with GET then PUT, deactivates and reactivates", async () => {
    const lookup = await scim(
      `/Users?filter=${encodeURIComponent('userName eq "dade.murphy@example.com"')}&startIndex=1&count=100`,
    );
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await scim("/Users", {
      body: {
        schemas: [USER],
        userName: "dade.murphy@example.com",
        name: { givenName: "Dade", familyName: "Murphy" },
        emails: [
          { primary: true, value: "dade.murphy@example.com", type: "work" },
        ],
        displayName: "Dade Murphy",
        locale: "en-US",
        externalId: "00ujl29u0le5T6Aj10h7",
        groups: [],
        password: "1mz050nq",
        active: true,
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const found = await scim(
      `/Users?filter=${encodeURIComponent('userName eq "dade.murphy@example.com"')}&startIndex=1&count=100`,
    );
    expect(found.body.Resources.map((user: ScimUser) => user.id)).toEqual([id]);

    const current = await scim(`/Users/${id}`);
    const put = await scim(`/Users/${id}`, {
      method: "PUT",
      body: {
        ...current.body,
        name: { givenName: "Zero", familyName: "Cool" },
        displayName: "Zero Cool",
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.name).toEqual({
      givenName: "Zero",
      familyName: "Cool",
      formatted: "Zero Cool",
    });

    const deactivate = await scim(`/Users/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { active: false } }],
      },
    });
    expect(deactivate.body.active).toBe(false);
    expect(await status(id)).toBe("revoked");

    const reactivate = await scim(`/Users/${id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { active: true } }],
      },
    });
    expect(reactivate.body.active).toBe(true);
    expect(await status(id)).toBe("invited");
  });

  it("leaves an unchanged GET-then-PUT without a new version after the first", async () => {
    const user = await org.createUser();
    const first = await scim(`/Users/${user.id}`, {
      method: "PUT",
      body: user,
    });
    const second = await scim(`/Users/${user.id}`, {
      method: "PUT",
      body: first.body,
    });
    expect(second.body.meta.version).toBe(first.body.meta.version);
  });

  it("imports every user by paging", async () => {
    const importing = await server.organization();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await importing.createUser()).id);
    const seen: string[] = [];
    let startIndex = 1;
    for (;;) {
      const page = await importing.scim(
        `/Users?startIndex=${startIndex}&count=2`,
        { headers: okta },
      );
      expect(page.body.totalResults).toBe(5);
      seen.push(...page.body.Resources.map((user: ScimUser) => user.id));
      startIndex += page.body.itemsPerPage;
      if (page.body.itemsPerPage === 0 || startIndex > page.body.totalResults)
        break;
    }
    expect(seen).toEqual(ids);
  });
});

describe("Entra", () => {
  const entra = {
    "user-agent": "Microsoft.Identity/1.0",
    adscimversion: "2.0",
  };
  let org: ScimTestOrganization;
  const scim = (
    path: string,
    init: Parameters<ScimTestOrganization["scim"]>[1] = {},
  ) => org.scim(path, { ...init, headers: { ...entra, ...init.headers } });

  beforeAll(async () => {
    org = await server.organization();
  });

  async function provision() {
    const n = Math.random().toString(36).slice(2, 8);
    const created = await scim("/Users", {
      body: {
        schemas: [USER, ENTERPRISE],
        externalId: `entra-${n}`,
        userName: `Test_User_${n}@contoso.example`,
        active: true,
        displayName: `Test User ${n}`,
        emails: [
          {
            primary: true,
            type: "work",
            value: `Test_User_${n}@contoso.example`,
          },
        ],
        name: {
          formatted: `Test User ${n}`,
          familyName: "User",
          givenName: "Test",
        },
        [ENTERPRISE]: {
          employeeNumber: "1",
          department: "Sales",
          manager: { value: "boss" },
        },
      },
    });
    expect(created.status).toBe(201);
    return created.body as ScimUser;
  }

  it("finds a user with + as the space in the filter", async () => {
    const user = await provision();
    const response = await scim(
      `/Users?filter=userName+eq+%22${encodeURIComponent(user.userName)}%22`,
    );
    expect(response.body.Resources.map((found: ScimUser) => found.id)).toEqual([
      user.id,
    ]);
    const byExternalId = await scim(
      `/Users?filter=externalId+eq+%22${user.externalId}%22`,
    );
    expect(byExternalId.body.totalResults).toBe(1);
  });

  it("applies capitalised ops with string booleans and URN paths", async () => {
    const user = await provision();
    const response = await scim(`/Users/${user.id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Replace", path: "displayName", value: "Renamed" },
          { op: "Add", path: "name.givenName", value: "Tess" },
          {
            op: "Replace",
            path: `${ENTERPRISE}:department`,
            value: "Marketing",
          },
          { op: "Add", path: `${ENTERPRISE}:manager`, value: "new-boss" },
          { op: "Add", path: "title", value: "Ignored title" },
          { op: "Replace", path: "active", value: "False" },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      displayName: "Renamed",
      name: { givenName: "Tess" },
      active: false,
      [ENTERPRISE]: {
        department: "Marketing",
        manager: { value: "new-boss" },
        employeeNumber: "1",
      },
    });
    expect(await status(user.id)).toBe("revoked");
  });

  it('keeps the email on an emails[type eq "work"].value replace', async () => {
    const user = await provision();
    const response = await scim(`/Users/${user.id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: "Replace",
            path: 'emails[type eq "work"].value',
            value: "changed@contoso.example",
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.emails[0].value).toBe(user.emails[0].value);
  });

  it("removes the manager and deletes the user", async () => {
    const user = await provision();
    const removed = await scim(`/Users/${user.id}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Remove", path: `${ENTERPRISE}:manager` }],
      },
    });
    expect(removed.body[ENTERPRISE].manager).toBeUndefined();
    expect((await scim(`/Users/${user.id}`, { method: "DELETE" })).status).toBe(
      204,
    );
    expect((await scim(`/Users/${user.id}`)).status).toBe(404);
  });

  it("answers a probe for a non-existent user with an empty list", async () => {
    const response = await scim(
      `/Users?filter=userName+eq+%22${crypto.randomUUID()}%22`,
    );
    expect(response.body).toMatchObject({ totalResults: 0, Resources: [] });
  });
});
