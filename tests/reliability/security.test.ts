import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  accounts,
  authThrottles,
  collectionGroups,
  collections,
  groupMembers,
  groups,
  items,
  members,
  organizations,
  scimConfigs,
} from "@/db/schema";
import { AUTH_FAILURE_LIMIT } from "@/lib/scim/auth";
import { rotateScimKey } from "@/lib/scim/keys";
import { USER_SCHEMA } from "@/lib/scim/schemas";
import {
  RELIABILITY_DIST_DIR,
  sharedDatabaseSkipReason,
  startAppServer,
  type AppServer,
  type HttpResult,
} from "../support/app-server";
import { newAccount, signIn } from "../support/console-session";
import { startScimServer, type ScimTestServer } from "../support/scim";
import { scimErrorProblems } from "../support/scim-errors";
import {
  scimOrganization,
  type ScimOrganization,
} from "../support/scim-organizations";

/**
 * What an attacker can try from the network: guess or replay SCIM keys,
 * read them from logs, forge console requests from another site, inject
 * markup. (Invitation links are covered in tests/invitations.test.ts.)
 */

describe("SCIM authentication", () => {
  let server: ScimTestServer;

  beforeAll(async () => {
    server = await startScimServer();
  });
  afterAll(() => server?.close());

  it("answers every kind of failed authentication with one identical 401", async () => {
    const target = await server.organization({ name: "Target" });
    const other = await server.organization({ name: "Other" });
    const disabled = await server.organization({ name: "Disabled" });
    await db()
      .update(scimConfigs)
      .set({ enabled: false })
      .where(eq(scimConfigs.organizationId, disabled.organizationId));
    const rotated = await server.organization({ name: "Rotated" });
    const newKey = await rotateScimKey(rotated.organizationId);
    const [noScim] = await db()
      .insert(organizations)
      .values({ name: "Never enabled" })
      .returning();

    const cases: [string, string, Record<string, string>][] = [
      ["no key", `/scim/v2/${target.organizationId}/Users`, {}],
      [
        "a wrong key",
        `/scim/v2/${target.organizationId}/Users`,
        { authorization: `Bearer scim_${"A".repeat(43)}` },
      ],
      [
        "an empty bearer",
        `/scim/v2/${target.organizationId}/Users`,
        { authorization: "Bearer " },
      ],
      [
        "Basic instead of Bearer",
        `/scim/v2/${target.organizationId}/Users`,
        { authorization: `Basic ${target.apiKey}` },
      ],
      [
        "the key with a suffix",
        `/scim/v2/${target.organizationId}/Users`,
        { authorization: `Bearer ${target.apiKey}x` },
      ],
      [
        "another organization's key",
        `/scim/v2/${target.organizationId}/Users`,
        { authorization: `Bearer ${other.apiKey}` },
      ],
      [
        "a rotated key",
        `/scim/v2/${rotated.organizationId}/Users`,
        { authorization: `Bearer ${rotated.apiKey}` },
      ],
      [
        "SCIM turned off",
        `/scim/v2/${disabled.organizationId}/Users`,
        { authorization: `Bearer ${disabled.apiKey}` },
      ],
      [
        "an organization without SCIM",
        `/scim/v2/${noScim.id}/Users`,
        { authorization: `Bearer ${target.apiKey}` },
      ],
      [
        "an unknown organization",
        `/scim/v2/${crypto.randomUUID()}/Users`,
        { authorization: `Bearer ${target.apiKey}` },
      ],
      [
        "a malformed organization id",
        "/scim/v2/not-an-id/Users",
        { authorization: `Bearer ${target.apiKey}` },
      ],
    ];

    const answers: [string, HttpResultLike][] = [];
    for (const [index, [name, path, headers]] of cases.entries()) {
      // A client of its own per case: the throttle is tested below.
      const address = {
        "x-test-client-address": `auth-failure-${index}-${Date.now()}`,
      };
      answers.push([
        name,
        await server.request(path, {
          headers: { ...headers, ...address },
          apiKey: null,
        }),
      ]);
    }

    const [, first] = answers[0];
    expect(first.status).toBe(401);
    expect(scimErrorProblems(401, first.body)).toEqual([]);
    for (const [name, answer] of answers) {
      expect({
        name,
        status: answer.status,
        body: answer.text,
        challenge: answer.headers.get("www-authenticate"),
      }).toEqual({
        name,
        status: 401,
        body: first.text,
        challenge: first.headers.get("www-authenticate"),
      });
    }

    // The keys that were refused still work where they belong.
    expect((await rotated.scim("/Users", { apiKey: newKey })).status).toBe(200);
    expect((await other.scim("/Users")).status).toBe(200);
  });
});

type HttpResultLike = {
  status: number;
  text: string;
  body: unknown;
  headers: Headers;
};

describe("what a leaked SCIM key reaches", () => {
  let server: ScimTestServer;

  beforeAll(async () => {
    server = await startScimServer();
  });
  afterAll(() => server?.close());

  it("reads no key, password hash or vault data through any SCIM endpoint", async () => {
    const org = await server.organization({ name: "Vaulted" });
    const account = await newAccount("Vault Owner");
    const [stored] = await db()
      .select()
      .from(accounts)
      .where(eq(accounts.email, account.email));
    const organizationKey = `r1.${"K".repeat(344)}`;
    const [member] = await db()
      .insert(members)
      .values({
        organizationId: org.organizationId,
        accountId: stored.id,
        email: stored.email,
        userName: stored.email,
        role: "owner",
        status: "confirmed",
        organizationKey,
      })
      .returning();
    const [collection] = await db()
      .insert(collections)
      .values({
        organizationId: org.organizationId,
        name: `c1.${"N".repeat(80)}`,
      })
      .returning();
    const [item] = await db()
      .insert(items)
      .values({
        organizationId: org.organizationId,
        collectionId: collection.id,
        data: `c1.${"D".repeat(120)}`,
      })
      .returning();
    const [group] = await db()
      .insert(groups)
      .values({
        organizationId: org.organizationId,
        displayName: "Vault readers",
      })
      .returning();
    await db()
      .insert(groupMembers)
      .values({ groupId: group.id, memberId: member.id });
    await db()
      .insert(collectionGroups)
      .values({ collectionId: collection.id, groupId: group.id });

    const everything =
      "attributes=" +
      encodeURIComponent(
        "organizationKey,publicKey,wrappedPrivateKey,authHash,items,collections,data,name,emails,groups,members,meta",
      );
    const paths = [
      "/Users",
      `/Users?${everything}`,
      `/Users/${member.id}`,
      `/Users/${member.id}?${everything}`,
      `/Users?filter=${encodeURIComponent(`userName eq "${stored.email}"`)}`,
      "/Groups",
      `/Groups/${group.id}?${everything}`,
      "/ServiceProviderConfig",
      "/ResourceTypes",
      "/Schemas",
    ];
    const texts: string[] = [];
    for (const path of paths) {
      const answer = await org.scim(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      texts.push(answer.text);
    }
    const search = await org.scim("/Users/.search", {
      method: "POST",
      body: {
        attributes: ["organizationKey", "wrappedPrivateKey"],
        filter: `userName eq "${stored.email}"`,
      },
    });
    expect(search.status).toBe(200);
    texts.push(search.text);
    // The member is there: the crawl did reach it.
    expect(texts.join("")).toContain(member.id);

    const secrets = {
      organizationKey,
      authHash: stored.authHash,
      publicKey: stored.publicKey.slice(0, 40),
      wrappedPrivateKey: stored.wrappedPrivateKey.slice(0, 40),
      collectionName: collection.name,
      itemData: item.data,
      collectionId: collection.id,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect({
        name,
        leaked: texts.some((text) => text.includes(secret)),
      }).toEqual({ name, leaked: false });
    }
  });
});

const skip = sharedDatabaseSkipReason();

describe.skipIf(skip)(
  skip
    ? `production server security (skipped: ${skip})`
    : "production server security",
  () => {
    let server: AppServer;
    let org: ScimOrganization;
    const evil = "http://evil.example";

    beforeAll(async () => {
      server = await startAppServer({ databaseUrl: process.env.DATABASE_URL! });
      org = await scimOrganization(db(), "Security");
    }, 240_000);
    afterAll(() => server?.stop());

    it("throttles a client after repeated failures, with 429 and Retry-After, and releases it", async () => {
      // The server sees the socket's address: this client is 127.0.0.7.
      const attacker = { localAddress: "127.0.0.7" };
      const wrong = { authorization: `Bearer scim_${"B".repeat(43)}` };
      for (let attempt = 1; attempt <= AUTH_FAILURE_LIMIT; attempt++) {
        const refused = await server.call(
          `/scim/v2/${org.organizationId}/Users`,
          { ...attacker, headers: wrong },
        );
        expect(refused.status).toBe(401);
      }

      const blocked = await server.scim(org, "/Users", attacker);
      expect(blocked.status).toBe(429);
      expect(scimErrorProblems(429, blocked.body)).toEqual([]);
      const retryAfter = Number(blocked.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);

      // Another client (Okta's own address) is not slowed down.
      expect(
        (await server.scim(org, "/Users", { localAddress: "127.0.0.8" }))
          .status,
      ).toBe(200);

      // The block is shared through the database: let its minute pass there.
      const updated = await db()
        .update(authThrottles)
        .set({
          blockedUntil: sql`now() - interval '1 second'`,
          windowStartedAt: sql`now() - interval '1 hour'`,
        })
        .where(like(authThrottles.key, "%127.0.0.7"))
        .returning();
      expect(updated).toHaveLength(1);
      const released = await server.scim(org, "/Users", attacker);
      expect(released.status).toBe(200);
      const left = await db()
        .select()
        .from(authThrottles)
        .where(like(authThrottles.key, "%127.0.0.7"));
      expect(left).toEqual([]);
    });

    it("never writes a SCIM key into a log line or a response", async () => {
      const wrongKey = `scim_${"W".repeat(20)}leaked${"W".repeat(17)}`;
      const responses: HttpResult[] = [];
      responses.push(
        await server.scim(org, "/Users", {
          body: { schemas: [USER_SCHEMA], userName: "keys@example.com" },
        }),
      );
      responses.push(
        await server.scim(
          org,
          "/Users?filter=userName%20eq%20%22keys@example.com%22",
        ),
      );
      responses.push(await server.scim(org, "/Nope"));
      responses.push(await server.scim(org, "/Users", { body: "{not json" }));
      responses.push(
        await server.call(`/scim/v2/${org.organizationId}/Users`, {
          headers: { authorization: org.apiKey },
        }),
      );
      responses.push(
        await server.call(`/scim/v2/${org.organizationId}/Users`, {
          headers: { authorization: `Bearer ${wrongKey}` },
          localAddress: "127.0.0.9",
        }),
      );
      responses.push(
        await server.call(
          `/scim/v2/${org.organizationId}/Users?access_token=${org.apiKey}`,
          { localAddress: "127.0.0.9" },
        ),
      );
      expect(responses.map((r) => r.status)).toEqual([
        201, 200, 404, 400, 200, 401, 401,
      ]);

      const output = server.output();
      // The requests were logged, one line each: the grep below has lines to search.
      expect(
        output.match(/"msg":"scim request"/g)?.length,
      ).toBeGreaterThanOrEqual(responses.length);
      for (const secret of [org.apiKey, wrongKey, org.apiKey.slice(5, 25)]) {
        expect(output).not.toContain(secret);
        for (const response of responses) {
          expect(
            response.text + JSON.stringify(response.headers),
          ).not.toContain(secret);
        }
      }
    });

    it("refuses methods the Fetch API cannot represent with a SCIM 405, not a 500", async () => {
      // TRACE reaches the server (Node's parser refuses TRACK itself, and
      // hands CONNECT to another event than requests).
      const answer = await server.scim(org, "/Users", { method: "TRACE" });
      expect(answer.status).toBe(405);
      expect(scimErrorProblems(405, answer.body)).toEqual([]);
    });

    it("signs in only from the app's own origin and with Auth.js's CSRF token", async () => {
      const account = await newAccount("Csrf Signin");

      // A form on another site: refused before Auth.js sees it.
      const forged = await signIn(server, account, {
        withCsrfToken: false,
        origin: evil,
      });
      expect(forged.response.status).toBe(403);
      expect(forged.sessionCookie).toBe("");
      // Without the Origin check, Auth.js's double-submit token still holds.
      const tokenless = await signIn(server, account, { withCsrfToken: false });
      expect(tokenless.sessionCookie).toBe("");
      expect(String(tokenless.response.headers.location)).toMatch(
        /error=MissingCSRF/,
      );

      const genuine = await signIn(server, account);
      expect(genuine.sessionCookie).toMatch(/session-token=/);
    });

    it("runs no server action posted from another origin", async () => {
      const account = await newAccount("Csrf Action");
      const { sessionCookie } = await signIn(server, account);
      const manifest = JSON.parse(
        readFileSync(
          path.resolve(
            RELIABILITY_DIST_DIR,
            "server/server-reference-manifest.json",
          ),
          "utf8",
        ),
      ) as {
        node: Record<string, { filename: string; exportedName?: string }>;
      };
      const actions = Object.entries(manifest.node);
      const createOrganization = actions.find(
        ([, action]) => action.exportedName === "createOrganizationAction",
      )![0];
      const orgName = (tag: string) => `CSRF ${tag} ${account.email}`;
      const callAction = (
        id: string,
        origin: string | undefined,
        name: string,
      ) =>
        server.call("/organizations", {
          method: "POST",
          body: JSON.stringify([
            { name, ownerOrganizationKey: `r1.${"A".repeat(344)}` },
          ]),
          headers: {
            "next-action": id,
            accept: "text/x-component",
            "content-type": "text/plain;charset=UTF-8",
            cookie: sessionCookie,
            ...(origin ? { origin } : {}),
          },
        });
      const created = async (name: string) =>
        (
          await db()
            .select()
            .from(organizations)
            .where(eq(organizations.name, name))
        ).length;

      // Control: from the app's own origin the action runs.
      const own = await callAction(
        createOrganization,
        server.url,
        orgName("own"),
      );
      expect(own.status).toBe(200);
      expect(await created(orgName("own"))).toBe(1);

      // From another site, as a fetch and as a plain HTML form post, no
      // action runs, and the refusal is a client error, not a crash.
      expect(actions.length).toBeGreaterThan(3);
      for (const [id, action] of actions) {
        const refused = await callAction(id, evil, orgName("forged"));
        expect({ action: action.exportedName, status: refused.status }).toEqual(
          {
            action: action.exportedName,
            status: 403,
          },
        );
      }
      const boundary = "----forged";
      const form = [
        `--${boundary}\r\nContent-Disposition: form-data; name="$ACTION_ID_${createOrganization}"\r\n\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${orgName("form")}`,
        `--${boundary}--\r\n`,
      ].join("\r\n");
      const posted = await server.call("/organizations", {
        method: "POST",
        body: form,
        headers: {
          "content-type": `multipart/form-data; boundary=${boundary}`,
          cookie: sessionCookie,
          origin: evil,
        },
      });
      expect(posted.status).toBe(403);
      expect(await created(orgName("forged"))).toBe(0);
      expect(await created(orgName("form"))).toBe(0);
    });

    it("sends the security headers with every page", async () => {
      for (const page of [
        "/login",
        "/signup",
        "/organizations",
        "/invite/00000000-0000-4000-8000-000000000000?token=x",
        "/no-such-page",
      ]) {
        for (const https of [false, true]) {
          const answer = await server.call(
            page,
            https ? { headers: { "x-forwarded-proto": "https" } } : {},
          );
          const policy = String(
            answer.headers["content-security-policy"] ?? "",
          );
          const directives = new Map(
            policy.split(";").map((part) => {
              const [name, ...values] = part.trim().split(/\s+/);
              return [name, values] as const;
            }),
          );
          const scriptSrc = directives.get("script-src") ?? [];
          const context = `${page} (${https ? "https" : "http"})`;
          expect(scriptSrc, context).not.toContain("'unsafe-inline'");
          expect(
            scriptSrc.some((source) => source.startsWith("'nonce-")),
            context,
          ).toBe(true);
          expect(directives.get("frame-ancestors"), context).toEqual([
            "'none'",
          ]);
          expect(directives.get("object-src"), context).toEqual(["'none'"]);
          expect(answer.headers["x-content-type-options"], context).toBe(
            "nosniff",
          );
          if (https) {
            expect(
              String(answer.headers["strict-transport-security"]),
              context,
            ).toMatch(/max-age=(\d{8,})/);
          } else {
            expect(
              answer.headers["strict-transport-security"],
              context,
            ).toBeUndefined();
          }

          // Every script a rendered page carries holds this response's nonce
          // (the prerendered 404 page cannot: its scripts stay blocked).
          if (page === "/no-such-page") continue;
          const nonce = scriptSrc
            .find((source) => source.startsWith("'nonce-"))!
            .slice(7, -1);
          const scripts = answer.text.match(/<script\b[^>]*>/g) ?? [];
          expect(scripts.length, context).toBeGreaterThan(0);
          for (const script of scripts)
            expect(script, context).toContain(`nonce="${nonce}"`);
        }
      }
    });

    it("answered nothing with a stack trace", () => {
      expect(server.output()).not.toMatch(/unexpected error in SCIM request/);
    });
  },
);

describe.skipIf(skip)(
  skip
    ? `throttling behind a reverse proxy (skipped: ${skip})`
    : "throttling behind a reverse proxy",
  () => {
    let server: AppServer;
    let org: ScimOrganization;

    beforeAll(async () => {
      server = await startAppServer({
        databaseUrl: process.env.DATABASE_URL!,
        env: { TRUSTED_PROXIES: "1" },
      });
      org = await scimOrganization(db(), "Proxied");
    }, 240_000);
    afterAll(() => server?.stop());

    it("counts failures per forwarded client, so a guesser does not lock out the identity provider", async () => {
      // Every request arrives from the one proxy, 127.0.0.9.
      const viaProxy = (forwardedFor: string, authorization?: string) => ({
        localAddress: "127.0.0.9",
        headers: {
          "x-forwarded-for": forwardedFor,
          ...(authorization ? { authorization } : {}),
        },
      });
      const wrong = `Bearer scim_${"P".repeat(43)}`;
      for (let attempt = 1; attempt <= AUTH_FAILURE_LIMIT; attempt++) {
        const refused = await server.call(
          `/scim/v2/${org.organizationId}/Users`,
          viaProxy("192.0.2.66", wrong),
        );
        expect(refused.status).toBe(401);
      }
      expect(
        (await server.scim(org, "/Users", viaProxy("192.0.2.66"))).status,
      ).toBe(429);

      // The identity provider, behind the same proxy, is not slowed down.
      expect(
        (await server.scim(org, "/Users", viaProxy("192.0.2.10"))).status,
      ).toBe(200);

      // The guesser cannot pick a new address: the proxy appends the real one.
      expect(
        (await server.scim(org, "/Users", viaProxy("192.0.2.10, 192.0.2.66")))
          .status,
      ).toBe(429);
    });
  },
);
