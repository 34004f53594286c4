import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
} from "@/tests/support/scim";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let server: ScimTestServer;
let org: ScimTestOrganization;

beforeAll(async () => {
  server = await startScimServer();
  org = await server.organization();
});
afterAll(async () => {
  await server.close();
});

// RFC 7643 §7: what every attribute definition carries.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function expectAttributeDefinitions(attributes: any[], where: string) {
  expect(attributes.length, where).toBeGreaterThan(0);
  for (const attribute of attributes) {
    const label = `${where}.${attribute.name}`;
    expect(typeof attribute.name, label).toBe("string");
    expect(
      [
        "string",
        "boolean",
        "decimal",
        "integer",
        "dateTime",
        "reference",
        "complex",
        "binary",
      ],
      label,
    ).toContain(attribute.type);
    expect(typeof attribute.multiValued, label).toBe("boolean");
    expect(typeof attribute.description, label).toBe("string");
    expect(typeof attribute.required, label).toBe("boolean");
    expect(typeof attribute.caseExact, label).toBe("boolean");
    expect(
      ["readOnly", "readWrite", "immutable", "writeOnly"],
      label,
    ).toContain(attribute.mutability);
    expect(["always", "never", "default", "request"], label).toContain(
      attribute.returned,
    );
    expect(["none", "server", "global"], label).toContain(attribute.uniqueness);
    if (attribute.type === "reference")
      expect(attribute.referenceTypes, label).toBeDefined();
    if (attribute.type === "complex") {
      expectAttributeDefinitions(attribute.subAttributes, label);
    } else {
      expect(attribute.subAttributes, label).toBeUndefined();
    }
  }
}

describe("GET /ServiceProviderConfig", () => {
  it("describes what is supported", async () => {
    const response = await org.scim("/ServiceProviderConfig");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ type: "oauthbearertoken", primary: true }],
    });
  });

  it("needs the API key like the rest", async () => {
    const response = await org.scim("/ServiceProviderConfig", { apiKey: null });
    expect(response.status).toBe(401);
  });
});

describe("GET /ResourceTypes", () => {
  it("lists User first, then Group", async () => {
    const response = await org.scim("/ResourceTypes");
    expect(response.body.totalResults).toBe(2);
    expect(
      response.body.Resources.map((type: { id: string }) => type.id),
    ).toEqual(["User", "Group"]);
    expect(response.body.Resources[0]).toMatchObject({
      endpoint: "/Users",
      schema: USER,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      meta: { resourceType: "ResourceType" },
    });
  });

  it.each(["User", "group"])("returns %s by id", async (id) => {
    const response = await org.scim(`/ResourceTypes/${id}`);
    expect(response.status).toBe(200);
    expect(response.body.id.toLowerCase()).toBe(id.toLowerCase());
  });

  it("answers 404 for an unknown type", async () => {
    expect((await org.scim("/ResourceTypes/Printer")).status).toBe(404);
  });
});

describe("GET /Schemas", () => {
  it("lists the User, Group and enterprise User schemas with full attribute definitions", async () => {
    const response = await org.scim("/Schemas");
    expect(response.status).toBe(200);
    const ids = response.body.Resources.map(
      (schema: { id: string }) => schema.id,
    );
    expect(ids).toEqual([USER, GROUP, ENTERPRISE]);
    for (const schema of response.body.Resources) {
      expect(schema.schemas).toEqual([
        "urn:ietf:params:scim:schemas:core:2.0:Schema",
      ]);
      expect(schema.meta.location).toBe(
        `http://console.test/scim/v2/${org.organizationId}/Schemas/${schema.id}`,
      );
      expectAttributeDefinitions(schema.attributes, schema.name);
    }
  });

  it.each([USER, GROUP, ENTERPRISE])("returns %s by URN", async (urn) => {
    const response = await org.scim(`/Schemas/${urn}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(urn);
  });

  it("describes the User attributes this service returns", async () => {
    const response = await org.scim(`/Schemas/${USER}`);
    const names = response.body.attributes.map((a: { name: string }) => a.name);
    expect(names).toEqual([
      "userName",
      "externalId",
      "name",
      "displayName",
      "emails",
      "active",
      "groups",
    ]);
    const groups = response.body.attributes.find(
      (a: { name: string }) => a.name === "groups",
    );
    expect(groups.mutability).toBe("readOnly");
  });

  it("answers 404 for an unknown URN", async () => {
    expect((await org.scim("/Schemas/urn:example:nothing")).status).toBe(404);
  });
});
