import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailOutbox, events, invitations, members } from "@/db/schema";
import {
  oktaUser,
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
} from "@/tests/support/scim";

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

async function storedMember(id: string) {
  const [member] = await db().select().from(members).where(eq(members.id, id));
  return member;
}

describe("POST /Users", () => {
  it("creates an invited member and queues the invitation", async () => {
    const body = oktaUser();
    const response = await org.scim("/Users", {
      body,
      headers: { "user-agent": "Okta SCIM Client 1.0.0" },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe(
      "application/scim+json; charset=utf-8",
    );
    expect(response.headers.get("location")).toBe(response.body.meta.location);
    expect(response.headers.get("etag")).toBe(response.body.meta.version);
    expect(response.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: body.userName,
      externalId: body.externalId,
      displayName: body.displayName,
      name: { ...body.name, formatted: body.displayName },
      emails: [{ value: body.userName, type: "work", primary: true }],
      active: true,
      groups: [],
      meta: { resourceType: "User" },
    });
    expect(response.body.password).toBeUndefined();

    const member = await storedMember(response.body.id);
    expect(member).toMatchObject({
      status: "invited",
      role: "user",
      origin: "scim",
    });
    const invitation = await db()
      .select()
      .from(invitations)
      .where(eq(invitations.memberId, member.id));
    expect(invitation).toHaveLength(1);
    const emails = await db()
      .select()
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.organizationId, org.organizationId),
          eq(emailOutbox.recipient, member.email),
        ),
      );
    expect(emails.map((email) => email.kind)).toEqual(["invitation"]);
    const [event] = await db()
      .select()
      .from(events)
      .where(eq(events.targetId, member.id));
    expect(event).toMatchObject({
      type: "member.provisioned",
      actorType: "scim",
      actorLabel: "SCIM (Okta)",
    });
  });

  it("keeps userName as given and stores the email lower-cased", async () => {
    const response = await org.scim("/Users", {
      body: oktaUser({
        userName: "Ada.Lovelace@Example.COM",
        emails: [{ value: "Ada.Lovelace@Example.COM", type: "work" }],
      }),
    });
    expect(response.status).toBe(201);
    expect(response.body.userName).toBe("Ada.Lovelace@Example.COM");
    expect(response.body.emails[0].value).toBe("ada.lovelace@example.com");
  });

  it.each([
    [
      "the primary email",
      [
        { value: "work@x.example", type: "work" },
        { value: "primary@x.example", type: "home", primary: true },
      ],
      "primary@x.example",
    ],
    [
      "the work email when none is primary",
      [
        { value: "home@x.example", type: "home" },
        { value: "work@x.example", type: "work" },
      ],
      "work@x.example",
    ],
    [
      "the first email otherwise",
      [
        { value: "  ", type: "work", primary: true },
        { value: "first@x.example", type: "home" },
        { value: "second@x.example", type: "other" },
      ],
      "first@x.example",
    ],
    [
      'a "True" primary',
      [{ value: "t@x.example", primary: "True" }],
      "t@x.example",
    ],
    ["userName when there are no emails", undefined, "USERNAME"],
  ])("chooses %s", async (_, emails, expected) => {
    const suffix = Math.random().toString(36).slice(2);
    const userName = `chosen.${suffix}@Name.Example`;
    const withSuffix = (email: { value: string }) => ({
      ...email,
      value: email.value.trim() ? `${suffix}.${email.value}` : email.value,
    });
    const response = await org.scim("/Users", {
      body: oktaUser({
        userName,
        emails: emails?.map(withSuffix),
        externalId: undefined,
      }),
    });
    expect(response.status).toBe(201);
    expect(response.body.emails[0].value).toBe(
      expected === "USERNAME"
        ? userName.toLowerCase()
        : `${suffix}.${expected}`,
    );
  });

  it("stages the member without an invitation when invitations are off", async () => {
    const quiet = await server.organization({ sendInvitations: false });
    const response = await quiet.scim("/Users", { body: oktaUser() });
    expect(response.status).toBe(201);
    expect((await storedMember(response.body.id)).status).toBe("staged");
    expect((await quiet.counts()).invitations).toBe(0);
    expect((await quiet.counts()).emails).toBe(0);
  });

  it.each([false, "False", "false"])(
    "creates a revoked member and sends nothing on active %j",
    async (active) => {
      const fresh = await server.organization();
      const response = await fresh.scim("/Users", {
        body: oktaUser({ active }),
      });
      expect(response.status).toBe(201);
      expect(response.body.active).toBe(false);
      expect(await storedMember(response.body.id)).toMatchObject({
        status: "revoked",
        statusBeforeRevocation: "invited",
      });
      expect(await fresh.counts()).toMatchObject({
        members: 1,
        invitations: 0,
        emails: 0,
      });
    },
  );

  it("ignores password, groups, read-only and unknown attributes", async () => {
    const response = await org.scim("/Users", {
      body: oktaUser({
        id: "11111111-1111-4111-8111-111111111111",
        meta: { created: "2000-01-01T00:00:00Z" },
        groups: [{ value: "22222222-2222-4222-8222-222222222222" }],
        password: "p@ss",
        title: "Engineer",
        favouriteColour: "blue",
      }),
    });
    expect(response.status).toBe(201);
    expect(response.body.id).not.toBe("11111111-1111-4111-8111-111111111111");
    expect(response.body.groups).toEqual([]);
    expect(response.body.title).toBeUndefined();
    expect(response.body.favouriteColour).toBeUndefined();
  });

  it("stores the enterprise extension as Entra sends it", async () => {
    const response = await org.scim("/Users", {
      headers: { "user-agent": "Azure Active Directory SCIM Client" },
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        externalId: "entra-object-1",
        userName: "Grace@Contoso.example",
        active: true,
        displayName: "Grace Hopper",
        emails: [
          { primary: true, type: "work", value: "grace@contoso.example" },
        ],
        name: {
          formatted: "Grace Hopper",
          familyName: "Hopper",
          givenName: "Grace",
        },
        [ENTERPRISE]: {
          employeeNumber: "701984",
          department: "Navy",
          manager: { value: "entra-object-0" },
        },
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.schemas).toContain(ENTERPRISE);
    expect(response.body[ENTERPRISE]).toEqual({
      employeeNumber: "701984",
      department: "Navy",
      manager: { value: "entra-object-0" },
    });
    const [event] = await db()
      .select()
      .from(events)
      .where(eq(events.targetId, response.body.id));
    expect(event.actorLabel).toBe("SCIM (Entra)");
  });

  it("accepts values at the length limits", async () => {
    const response = await org.scim("/Users", {
      body: oktaUser({
        externalId: "e".repeat(300),
        displayName: "d".repeat(256),
        name: { givenName: "g".repeat(256), familyName: "f".repeat(256) },
      }),
    });
    expect(response.status).toBe(201);
  });

  describe("conflicts", () => {
    it.each([
      [
        "the same email in another case",
        { emails: [{ value: "DUP@X.EXAMPLE" }] },
      ],
      ["the same userName in another case", { userName: "DUP-USER" }],
      ["the same externalId", { externalId: "dup-external" }],
    ])("answers 409 uniqueness for %s", async (_, duplicate) => {
      const fresh = await server.organization();
      await fresh.createUser({
        userName: "dup-user",
        emails: [{ value: "dup@x.example" }],
        externalId: "dup-external",
      });
      const before = await fresh.counts();

      const response = await fresh.scim("/Users", {
        body: oktaUser({
          userName: "other-user",
          emails: [{ value: "other@x.example" }],
          externalId: "other-external",
          ...duplicate,
        }),
      });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
        status: "409",
        scimType: "uniqueness",
      });
      expect(response.body.detail).toMatch(/same/);
      expect(await fresh.counts()).toEqual(before);
    });

    it("allows the same person in two organizations", async () => {
      const [first, second] = [
        await server.organization(),
        await server.organization(),
      ];
      const body = oktaUser();
      expect((await first.scim("/Users", { body })).status).toBe(201);
      expect((await second.scim("/Users", { body })).status).toBe(201);
    });

    it("yields exactly one 201 for concurrent duplicates", async () => {
      const fresh = await server.organization();
      const body = oktaUser();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => fresh.scim("/Users", { body })),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(await fresh.counts()).toMatchObject({
        members: 1,
        invitations: 1,
        emails: 1,
      });
    });
  });

  describe("bad input", () => {
    const cases: [string, unknown, string][] = [
      ["malformed JSON", '{"userName": ', "invalidSyntax"],
      ["an empty body", "", "invalidSyntax"],
      ["a JSON array", "[]", "invalidSyntax"],
      ["a JSON string", '"user"', "invalidSyntax"],
      [
        "neither a userName nor an email",
        oktaUser({ userName: undefined, emails: [] }),
        "invalidValue",
      ],
      ["a blank userName", oktaUser({ userName: "  " }), "invalidValue"],
      ["a numeric userName", oktaUser({ userName: 42 }), "invalidValue"],
      [
        "an overlong userName",
        oktaUser({ userName: "u".repeat(257) }),
        "invalidValue",
      ],
      [
        "no email at all",
        oktaUser({ userName: "no-email", emails: [] }),
        "invalidValue",
      ],
      [
        "an email without @",
        oktaUser({ emails: [{ value: "not-an-email" }] }),
        "invalidValue",
      ],
      [
        "an overlong email",
        oktaUser({ emails: [{ value: `${"a".repeat(243)}@example.com` }] }),
        "invalidValue",
      ],
      ["emails as a string list", oktaUser({ emails: [42] }), "invalidValue"],
      [
        "emails.value as a number",
        oktaUser({ emails: [{ value: 7 }] }),
        "invalidValue",
      ],
      [
        "an overlong externalId",
        oktaUser({ externalId: "e".repeat(301) }),
        "invalidValue",
      ],
      ["a numeric externalId", oktaUser({ externalId: 12 }), "invalidValue"],
      [
        "an overlong displayName",
        oktaUser({ displayName: "d".repeat(257) }),
        "invalidValue",
      ],
      [
        "an overlong givenName",
        oktaUser({ name: { givenName: "g".repeat(257) } }),
        "invalidValue",
      ],
      ["name as a string", oktaUser({ name: "Ada Lovelace" }), "invalidValue"],
      ["active as yes", oktaUser({ active: "yes" }), "invalidValue"],
      ["active as a number", oktaUser({ active: 1 }), "invalidValue"],
      [
        "primary as maybe",
        oktaUser({ emails: [{ value: "a@b.example", primary: "maybe" }] }),
        "invalidValue",
      ],
      [
        "an enterprise extension that is not an object",
        oktaUser({ [ENTERPRISE]: "Navy" }),
        "invalidValue",
      ],
      [
        "an overlong department",
        oktaUser({ [ENTERPRISE]: { department: "d".repeat(257) } }),
        "invalidValue",
      ],
    ];

    it.each(cases)(
      "refuses %s with 400, changing nothing",
      async (_, body, scimType) => {
        const before = await org.counts();
        const response = await org.scim("/Users", { method: "POST", body });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: "400",
          scimType,
        });
        expect(typeof response.body.detail).toBe("string");
        expect(await org.counts()).toEqual(before);
      },
    );

    it("refuses a body over 1 MiB with 413", async () => {
      const before = await org.counts();
      const response = await org.scim("/Users", {
        body: oktaUser({ displayName: "x".repeat(1024 * 1024) }),
      });
      expect(response.status).toBe(413);
      expect(response.body.status).toBe("413");
      expect(await org.counts()).toEqual(before);
    });

    it.each([
      "application/json",
      "text/plain",
      "application/scim+json; charset=utf-8",
    ])("parses JSON sent as %s", async (contentType) => {
      const response = await org.scim("/Users", {
        method: "POST",
        body: JSON.stringify(oktaUser()),
        headers: { "content-type": contentType },
      });
      expect(response.status).toBe(201);
    });
  });
});
