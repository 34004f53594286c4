import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { groupMembers, groups } from "@/db/schema";
import {
  insertConsoleMember,
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
  type ScimUser,
} from "@/tests/support/scim";

let server: ScimTestServer;
let org: ScimTestOrganization;
let users: ScimUser[];

beforeAll(async () => {
  server = await startScimServer();
  org = await server.organization();
  users = [];
  for (let i = 0; i < 7; i++) {
    users.push(
      await org.createUser({
        userName: `list${i}@Example.com`,
        emails: [{ value: `list${i}@example.com`, type: "work" }],
        name: { givenName: `Given ${i}`, familyName: `Zeta${6 - i}` },
        displayName: `User ${i}`,
        externalId: `ext-${i}`,
      }),
    );
  }
});
afterAll(async () => {
  await server.close();
});

const filter = (text: string) => `filter=${encodeURIComponent(text)}`;

describe("GET /Users/{id}", () => {
  it("returns the User with its ETag", async () => {
    const response = await org.scim(`/Users/${users[0].id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(users[0]);
    expect(response.headers.get("etag")).toBe('W/"1"');
  });

  it("answers in lower case too", async () => {
    const response = await org.scim(`/users/${users[0].id}`);
    expect(response.status).toBe(200);
  });

  it.each([
    "010101001010101011001010101011",
    "00000000-0000-4000-8000-000000000000",
    "abc",
    "' or 1=1 --",
    "%E0%A4%A",
    "1",
  ])("answers 404 for the id %s", async (id) => {
    const response = await org.scim(`/Users/${id}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
    });
  });

  it("answers 404 for another organization's User", async () => {
    const other = await server.organization();
    const response = await other.scim(`/Users/${users[0].id}`);
    expect(response.status).toBe(404);
  });

  it("answers 304 to If-None-Match with the current version", async () => {
    const fresh = await org.scim(`/Users/${users[1].id}`, {
      headers: { "if-none-match": 'W/"1"' },
    });
    expect(fresh.status).toBe(304);
    expect(fresh.text).toBe("");
    const stale = await org.scim(`/Users/${users[1].id}`, {
      headers: { "if-none-match": 'W/"0"' },
    });
    expect(stale.status).toBe(200);
  });

  it("gives a member added in the console a name from the account", async () => {
    const { member } = await insertConsoleMember(org.organizationId, {
      accountName: "Grace Brewster Hopper",
    });
    const response = await org.scim(`/Users/${member.id}`);
    expect(response.status).toBe(200);
    expect(response.body.name).toEqual({
      givenName: "Grace",
      familyName: "Brewster Hopper",
      formatted: "Grace Brewster Hopper",
    });
    expect(response.body.userName).toBe(member.email);
    expect(response.body.active).toBe(true);

    const found = await org.scim(
      `/Users?${filter('name.familyName eq "brewster hopper"')}`,
    );
    expect(found.body.Resources.map((user: ScimUser) => user.id)).toEqual([
      member.id,
    ]);
  });

  it.each(["name.familyName", "name.givenName", "displayName"])(
    "sorts by %s as the resources show it, members added in the console included",
    async (sortBy) => {
      await insertConsoleMember(org.organizationId, {
        accountName: "Aaron Aardvark",
      });
      const shown = (user: ScimUser) =>
        sortBy === "displayName"
          ? user.displayName
          : user.name?.[sortBy.slice("name.".length)];
      for (const sortOrder of ["ascending", "descending"]) {
        const response = await org.scim(
          `/Users?sortBy=${sortBy}&sortOrder=${sortOrder}`,
        );
        expect(response.status).toBe(200);
        const values: string[] = response.body.Resources.map(shown);
        expect(values).toContain(
          sortBy === "name.familyName"
            ? "Aardvark"
            : sortBy === "name.givenName"
              ? "Aaron"
              : "Aaron Aardvark",
        );
        const sorted = [...values].sort((a, b) =>
          a.toLowerCase() < b.toLowerCase()
            ? -1
            : a.toLowerCase() > b.toLowerCase()
              ? 1
              : 0,
        );
        expect(values).toEqual(
          sortOrder === "ascending" ? sorted : sorted.reverse(),
        );
      }
    },
  );

  it("sorts by active and by an enterprise attribute", async () => {
    const revoked = await org.createUser({
      userName: "sort.revoked@example.com",
      active: false,
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
        employeeNumber: "0001",
      },
    });
    const byActive = await org.scim("/Users?sortBy=active&attributes=active");
    expect(byActive.body.Resources[0]).toMatchObject({
      id: revoked.id,
      active: false,
    });

    const byNumber = await org.scim(
      "/Users?sortBy=URN:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    );
    expect(byNumber.status).toBe(200);
    expect(byNumber.body.Resources[0].id).toBe(revoked.id);
  });

  it("lists the member's groups", async () => {
    const [group] = await db()
      .insert(groups)
      .values({ organizationId: org.organizationId, displayName: "Pilots" })
      .returning();
    await db()
      .insert(groupMembers)
      .values({ groupId: group.id, memberId: users[2].id });

    const response = await org.scim(`/Users/${users[2].id}`);
    expect(response.body.groups).toEqual([
      {
        value: group.id,
        display: "Pilots",
        $ref: `http://console.test/scim/v2/${org.organizationId}/Groups/${group.id}`,
      },
    ]);
  });

  it.each([
    ["attributes=userName", ["schemas", "id", "userName"]],
    [
      "attributes=name.givenName,emails.value",
      ["schemas", "id", "name", "emails"],
    ],
    [
      "excludedAttributes=groups,meta,name",
      [
        "schemas",
        "id",
        "externalId",
        "userName",
        "displayName",
        "emails",
        "active",
      ],
    ],
  ])("honours %s", async (query, keys) => {
    const response = await org.scim(`/Users/${users[3].id}?${query}`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual([...keys].sort());
    if (query.includes("name.givenName")) {
      expect(response.body.name).toEqual({ givenName: "Given 3" });
      expect(response.body.emails).toEqual([{ value: "list3@example.com" }]);
    }
  });
});

describe("GET /Users", () => {
  it("answers Okta's connection test on an empty organization", async () => {
    const empty = await server.organization();
    const response = await empty.scim("/Users?count=2&startIndex=1");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("answers Okta's connection test on a full organization", async () => {
    const response = await org.scim("/Users?count=2&startIndex=1");
    expect(response.body.totalResults).toBeGreaterThanOrEqual(7);
    expect(response.body.itemsPerPage).toBe(2);
    expect(response.body.Resources).toHaveLength(2);
  });

  it("pages in a stable order of creation", async () => {
    const seen: string[] = [];
    for (let start = 1; start <= 7; start += 3) {
      const page = await org.scim(`/Users?startIndex=${start}&count=3`);
      expect(page.body.startIndex).toBe(start);
      seen.push(...page.body.Resources.map((user: ScimUser) => user.id));
    }
    expect(seen.slice(0, 7)).toEqual(users.map((user) => user.id));
  });

  it("reads a startIndex below 1 as 1", async () => {
    const response = await org.scim("/Users?startIndex=-4&count=1");
    expect(response.body.startIndex).toBe(1);
    expect(response.body.Resources[0].id).toBe(users[0].id);
  });

  it("returns only the total for count=0", async () => {
    const response = await org.scim("/Users?count=0");
    expect(response.body.totalResults).toBeGreaterThanOrEqual(7);
    expect(response.body.itemsPerPage).toBe(0);
    expect(response.body.Resources).toEqual([]);
  });

  it("counts the total past the last page", async () => {
    const all = await org.scim("/Users?count=0");
    const response = await org.scim("/Users?startIndex=500&count=10");
    expect(response.body.totalResults).toBe(all.body.totalResults);
    expect(response.body.Resources).toEqual([]);
  });

  it("caps count at 1000", async () => {
    const response = await org.scim("/Users?count=5000");
    expect(response.status).toBe(200);
    expect(response.body.itemsPerPage).toBe(response.body.totalResults);
  });

  it.each([
    ['userName eq "LIST4@example.com"', [4]],
    ['userName eq "list4@example.com"', [4]],
    ['externalId eq "ext-5"', [5]],
    ['externalId eq "EXT-5"', []],
    ['emails.value eq "list6@example.com"', [6]],
    ['emails[type eq "work" and value co "list1@"]', [1]],
    ['userName sw "list" and name.familyName eq "zeta6"', [0]],
    ['userName eq "nobody@example.com"', []],
  ])("filters %s", async (text, expected) => {
    const response = await org.scim(`/Users?${filter(text)}`);
    expect(response.status).toBe(200);
    expect(response.body.Resources.map((user: ScimUser) => user.id)).toEqual(
      expected.map((i) => users[i].id),
    );
    expect(response.body.totalResults).toBe(expected.length);
  });

  it("reads + as a space in the filter", async () => {
    const response = await org.scim(
      `/Users?filter=userName+eq+%22list2%40example.com%22`,
    );
    expect(response.body.Resources.map((user: ScimUser) => user.id)).toEqual([
      users[2].id,
    ]);
  });

  it.each([
    "userName eq",
    'title eq "x"',
    '(userName eq "a"',
    `userName eq "${"x".repeat(5000)}"`,
  ])("refuses the filter %s with 400 invalidFilter", async (text) => {
    const response = await org.scim(`/Users?${filter(text.slice(0, 5000))}`);
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe("invalidFilter");
  });

  it("sorts by familyName descending", async () => {
    const response = await org.scim(
      `/Users?${filter('userName sw "list"')}&sortBy=name.familyName&sortOrder=descending`,
    );
    expect(response.body.Resources.map((user: ScimUser) => user.id)).toEqual(
      users.map((user) => user.id),
    );
    const ascending = await org.scim(
      `/Users?${filter('userName sw "list"')}&sortBy=name.familyName`,
    );
    expect(ascending.body.Resources.map((user: ScimUser) => user.id)).toEqual(
      users.map((user) => user.id).reverse(),
    );
  });

  it.each([
    ["sortBy=password", "invalidValue"],
    ["sortOrder=sideways", "invalidValue"],
    ["startIndex=two", "invalidValue"],
    ["count=1.5", "invalidValue"],
  ])("refuses %s with 400", async (query, scimType) => {
    const response = await org.scim(`/Users?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe(scimType);
  });

  it("leaves out excluded attributes in every resource", async () => {
    const response = await org.scim(
      "/Users?count=3&excludedAttributes=groups,meta",
    );
    for (const user of response.body.Resources) {
      expect(user.groups).toBeUndefined();
      expect(user.meta).toBeUndefined();
      expect(user.id).toBeDefined();
    }
  });
});

describe("POST /Users/.search", () => {
  it("takes the list parameters in the body", async () => {
    const response = await org.scim("/Users/.search", {
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        filter: 'userName sw "list"',
        attributes: ["userName"],
        sortBy: "userName",
        sortOrder: "descending",
        startIndex: 2,
        count: 2,
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(7);
    expect(response.body.startIndex).toBe(2);
    expect(response.body.Resources).toEqual([
      {
        schemas: users[5].schemas,
        id: users[5].id,
        userName: "list5@Example.com",
      },
      {
        schemas: users[4].schemas,
        id: users[4].id,
        userName: "list4@Example.com",
      },
    ]);
  });

  it.each([
    ["malformed JSON", "{", "invalidSyntax"],
    ["a filter that is not a string", { filter: 3 }, "invalidValue"],
    ["a bad filter", { filter: "userName zz 1" }, "invalidFilter"],
  ])("refuses %s", async (_, body, scimType) => {
    const response = await org.scim("/Users/.search", { method: "POST", body });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe(scimType);
  });
});
