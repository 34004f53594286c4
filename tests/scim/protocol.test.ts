import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { authThrottles, organizations, scimConfigs } from "@/db/schema";
import { AUTH_FAILURE_LIMIT, throttleKey } from "@/lib/scim/auth";
import { enableScim, revealScimKey, rotateScimKey } from "@/lib/scim/keys";
import {
  startScimServer,
  type ScimTestOrganization,
  type ScimTestServer,
} from "@/tests/support/scim";

let server: ScimTestServer;
let org: ScimTestOrganization;

beforeAll(async () => {
  server = await startScimServer();
  org = await server.organization();
});
afterAll(async () => {
  await server.close();
});

let addressCounter = 0;
const freshAddress = () => `auth-test-${process.pid}-${++addressCounter}`;

describe("authentication", () => {
  const failures: [
    string,
    () => Promise<{ path: string; headers: Record<string, string> }>,
  ][] = [
    [
      "no Authorization header",
      async () => ({
        path: `/scim/v2/${org.organizationId}/Users`,
        headers: {},
      }),
    ],
    [
      "a wrong key",
      async () => ({
        path: `/scim/v2/${org.organizationId}/Users`,
        headers: { authorization: "Bearer scim_wrong" },
      }),
    ],
    [
      "a Basic credential",
      async () => ({
        path: `/scim/v2/${org.organizationId}/Users`,
        headers: { authorization: `Basic ${org.apiKey}` },
      }),
    ],
    [
      "an empty bearer",
      async () => ({
        path: `/scim/v2/${org.organizationId}/Users`,
        headers: { authorization: "Bearer " },
      }),
    ],
    [
      "a malformed organization id",
      async () => ({
        path: "/scim/v2/not-an-org/Users",
        headers: { authorization: `Bearer ${org.apiKey}` },
      }),
    ],
    [
      "an unknown organization",
      async () => ({
        path: "/scim/v2/00000000-0000-4000-8000-000000000000/Users",
        headers: { authorization: `Bearer ${org.apiKey}` },
      }),
    ],
    [
      "another organization's key",
      async () => {
        const other = await server.organization();
        return {
          path: `/scim/v2/${org.organizationId}/Users`,
          headers: { authorization: `Bearer ${other.apiKey}` },
        };
      },
    ],
    [
      "SCIM turned off",
      async () => {
        const off = await server.organization();
        await db()
          .update(scimConfigs)
          .set({ enabled: false })
          .where(eq(scimConfigs.organizationId, off.organizationId));
        return {
          path: `/scim/v2/${off.organizationId}/Users`,
          headers: { authorization: `Bearer ${off.apiKey}` },
        };
      },
    ],
    [
      "an organization without SCIM settings",
      async () => {
        const [bare] = await db()
          .insert(organizations)
          .values({ name: "Bare" })
          .returning();
        return {
          path: `/scim/v2/${bare.id}/Users`,
          headers: { authorization: `Bearer ${org.apiKey}` },
        };
      },
    ],
  ];

  it.each(failures)("answers %s with the same 401", async (_, setup) => {
    const { path, headers } = await setup();
    const response = await server.request(path, {
      headers: { ...headers, "x-test-client-address": freshAddress() },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "401",
      detail:
        "Authentication failed: send the organization's SCIM API key as a bearer token",
    });
  });

  it.each([
    ["a bearer token", (key: string) => `Bearer ${key}`],
    ["a lower-case bearer", (key: string) => `bearer ${key}`],
    ["the bare key", (key: string) => key],
  ])("accepts %s", async (_, header) => {
    const response = await org.scim("/Users?count=1", {
      apiKey: null,
      headers: { authorization: header(org.apiKey) },
    });
    expect(response.status).toBe(200);
  });

  it("stops accepting a rotated key at once", async () => {
    const rotating = await server.organization();
    const newKey = await rotateScimKey(rotating.organizationId);
    expect(newKey).not.toBe(rotating.apiKey);
    expect(await revealScimKey(rotating.organizationId)).toBe(newKey);
    expect((await rotating.scim("/Users")).status).toBe(401);
    expect((await rotating.scim("/Users", { apiKey: newKey })).status).toBe(
      200,
    );
  });

  it("keeps the key when SCIM is enabled again", async () => {
    const again = await server.organization();
    expect(await enableScim(again.organizationId)).toBe(again.apiKey);
    const [config] = await db()
      .select()
      .from(scimConfigs)
      .where(eq(scimConfigs.organizationId, again.organizationId));
    expect(config.apiKeyHash).not.toContain(again.apiKey);
    expect(config.apiKeyCiphertext).not.toContain(again.apiKey);
  });

  it("throttles a client after repeated failures, then lets it in again", async () => {
    const address = freshAddress();
    const attempt = (apiKey: string) =>
      server.request(`/scim/v2/${org.organizationId}/Users`, {
        headers: {
          authorization: `Bearer ${apiKey}`,
          "x-test-client-address": address,
        },
      });

    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) {
      expect((await attempt("scim_guess")).status).toBe(401);
    }
    const blocked = await attempt(org.apiKey);
    expect(blocked.status).toBe(429);
    expect(blocked.body.status).toBe("429");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);

    // Another client is not affected, and its success clears nothing here.
    const other = await server.request(`/scim/v2/${org.organizationId}/Users`, {
      headers: {
        authorization: `Bearer ${org.apiKey}`,
        "x-test-client-address": freshAddress(),
      },
    });
    expect(other.status).toBe(200);
    expect((await attempt(org.apiKey)).status).toBe(429);

    // The block and the window pass.
    await db()
      .update(authThrottles)
      .set({
        blockedUntil: sql`now() - interval '1 second'`,
        windowStartedAt: sql`now() - interval '2 minutes'`,
      })
      .where(eq(authThrottles.key, throttleKey(address)));
    expect((await attempt(org.apiKey)).status).toBe(200);
    const rows = await db()
      .select()
      .from(authThrottles)
      .where(eq(authThrottles.key, throttleKey(address)));
    expect(rows).toEqual([]);
  });

  it("records the last request's time and client", async () => {
    const watched = await server.organization();
    await watched.scim("/Users", {
      headers: { "user-agent": "Okta SCIM Client 1.0.0" },
    });
    const [config] = await db()
      .select()
      .from(scimConfigs)
      .where(eq(scimConfigs.organizationId, watched.organizationId));
    expect(config.lastRequestClient).toBe("Okta");
    expect(Date.now() - config.lastRequestAt!.getTime()).toBeLessThan(60_000);

    await watched.scim("/Users", {
      headers: { "user-agent": "Mozilla/5.0", adscimversion: "2.0" },
    });
    const [after] = await db()
      .select()
      .from(scimConfigs)
      .where(eq(scimConfigs.organizationId, watched.organizationId));
    expect(after.lastRequestClient).toBe("Entra");
  });
});

describe("responses", () => {
  it("answers unknown endpoints with a SCIM 404", async () => {
    const response = await org.scim("/Widgets");
    expect(response.status).toBe(404);
    expect(response.body.schemas).toEqual([
      "urn:ietf:params:scim:api:messages:2.0:Error",
    ]);
    expect(response.headers.get("content-type")).toBe(
      "application/scim+json; charset=utf-8",
    );
  });

  it("answers the Groups placeholder or resource without a 5xx", async () => {
    const response = await org.scim("/Groups");
    expect(response.status).toBeLessThan(500);
  });

  it.each([
    ["DELETE", "/Users", 405],
    ["PUT", "/ServiceProviderConfig", 405],
    ["GET", "/Users/.search", 405],
    ["POST", "/Bulk", 501],
    ["GET", "/Me", 501],
  ])("answers %s %s with %i", async (method, path, status) => {
    const response = await org.scim(path, {
      method,
      body: method === "GET" || method === "DELETE" ? undefined : "{}",
    });
    expect(response.status).toBe(status);
    expect(response.body.status).toBe(String(status));
  });

  it("passes a request id through, or makes one", async () => {
    const given = await org.scim("/Users?count=0", {
      headers: { "x-request-id": "req-123" },
    });
    expect(given.headers.get("x-request-id")).toBe("req-123");
    const made = await org.scim("/Users?count=0");
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a declared body over 1 MiB without reading it", async () => {
    const response = await fetch(
      `${server.url}/scim/v2/${org.organizationId}/Users`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${org.apiKey}`,
          "content-type": "application/json",
        },
        body: new Uint8Array(1024 * 1024 + 1).fill(32),
      },
    );
    expect(response.status).toBe(413);
  });

  it("refuses a chunked body over 1 MiB once the limit is passed", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(32);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(
      `${server.url}/scim/v2/${org.organizationId}/Users`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${org.apiKey}` },
        body,
        duplex: "half",
      } as RequestInit,
    );
    expect(response.status).toBe(413);
    expect((await response.json()).status).toBe("413");
  });
});
