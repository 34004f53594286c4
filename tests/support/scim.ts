import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { count, eq } from "drizzle-orm";
import { db } from "@/db/client";
import {
  accounts,
  emailOutbox,
  events,
  invitations,
  members,
  organizations,
  scimConfigs,
} from "@/db/schema";
import { toWebRequest, writeWebResponse } from "@/lib/http/node-adapter";
import { namesFromAccount } from "@/lib/members/names";
import { handleScimRequest } from "@/lib/scim/handler";
import { enableScim } from "@/lib/scim/keys";

export interface ScimResult {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when there is none. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface ScimRequestInit {
  method?: string;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Another key, or null to send no Authorization header. */
  apiKey?: string | null;
}

export type ScimFetch = (
  path: string,
  init?: ScimRequestInit,
) => Promise<ScimResult>;

export interface ScimTestOrganization {
  organizationId: string;
  apiKey: string;
  /** `scim("/Users?count=2")`: a request to this organization's SCIM base URL. */
  scim: ScimFetch;
  /** Creates a User over SCIM (a 201 is expected) and returns its body. */
  createUser(attributes?: Record<string, unknown>): Promise<ScimUser>;
  /** Row counts of what SCIM writes, to show that a refused request changed nothing. */
  counts(): Promise<OrganizationCounts>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScimUser = { id: string; [attribute: string]: any };

export interface OrganizationCounts {
  members: number;
  events: number;
  invitations: number;
  emails: number;
}

let userCounter = 0;

/** An Okta-shaped User body with unique names. */
export function oktaUser(overrides: Record<string, unknown> = {}) {
  const n = ++userCounter;
  const email = `user${n}.${process.pid}@example.com`;
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: email,
    name: { givenName: `Given${n}`, familyName: `Family${n}` },
    emails: [{ primary: true, value: email, type: "work" }],
    displayName: `Given${n} Family${n}`,
    locale: "en-US",
    externalId: `00u${n}x${process.pid}`,
    groups: [],
    password: "Secret-1234",
    active: true,
    ...overrides,
  };
}

export async function organizationCounts(
  organizationId: string,
): Promise<OrganizationCounts> {
  const total = async (query: Promise<{ value: number }[]>): Promise<number> =>
    (await query)[0].value;
  return {
    members: await total(
      db()
        .select({ value: count() })
        .from(members)
        .where(eq(members.organizationId, organizationId)),
    ),
    events: await total(
      db()
        .select({ value: count() })
        .from(events)
        .where(eq(events.organizationId, organizationId)),
    ),
    invitations: await total(
      db()
        .select({ value: count() })
        .from(invitations)
        .innerJoin(members, eq(members.id, invitations.memberId))
        .where(eq(members.organizationId, organizationId)),
    ),
    emails: await total(
      db()
        .select({ value: count() })
        .from(emailOutbox)
        .where(eq(emailOutbox.organizationId, organizationId)),
    ),
  };
}

export interface ScimTestServer {
  url: string;
  organization(options?: {
    name?: string;
    sendInvitations?: boolean;
  }): Promise<ScimTestOrganization>;
  /** A request to any path of the server, e.g. another organization's. */
  request(path: string, init?: ScimRequestInit): Promise<ScimResult>;
  close(): Promise<void>;
}

let addressCounter = 0;

/**
 * A real HTTP server on an ephemeral port, serving the SCIM handler through
 * the node adapter as the production server does. Each organization's
 * requests come from a client address of their own (X-Test-Client-Address),
 * so that throttling tests do not slow the others down.
 */
export async function startScimServer(): Promise<ScimTestServer> {
  const server: Server = createServer(async (req, res) => {
    const address =
      (req.headers["x-test-client-address"] as string | undefined) ??
      req.socket.remoteAddress;
    const response = await handleScimRequest(await toWebRequest(req), {
      clientAddress: address,
    });
    await writeWebResponse(res, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  async function request(
    path: string,
    init: ScimRequestInit = {},
    defaults: { apiKey?: string; address?: string } = {},
  ): Promise<ScimResult> {
    const headers: Record<string, string> = { ...init.headers };
    const apiKey = init.apiKey === undefined ? defaults.apiKey : init.apiKey;
    if (
      apiKey &&
      !Object.keys(headers).some((h) => h.toLowerCase() === "authorization")
    ) {
      headers.authorization = `Bearer ${apiKey}`;
    }
    if (defaults.address) headers["x-test-client-address"] ??= defaults.address;
    let body: string | undefined;
    if (typeof init.body === "string") body = init.body;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/scim+json";
    }
    const response = await fetch(url + path, {
      method: init.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: response.status,
      headers: response.headers,
      body: parsed,
      text,
    };
  }

  return {
    url,
    request: (path, init) => request(path, init),
    async organization(options = {}) {
      const [organization] = await db()
        .insert(organizations)
        .values({ name: options.name ?? "Acme" })
        .returning();
      const apiKey = await enableScim(organization.id);
      if (options.sendInvitations === false) {
        await db()
          .update(scimConfigs)
          .set({ sendInvitations: false })
          .where(eq(scimConfigs.organizationId, organization.id));
      }
      const address = `test-client-${process.pid}-${++addressCounter}`;
      const scim: ScimFetch = (path, init) =>
        request(`/scim/v2/${organization.id}${path}`, init, {
          apiKey,
          address,
        });
      return {
        organizationId: organization.id,
        apiKey,
        scim,
        async createUser(attributes) {
          const result = await scim("/Users", {
            method: "POST",
            body: oktaUser(attributes),
          });
          if (result.status !== 201) {
            throw new Error(
              `POST /Users gave ${result.status}: ${result.text}`,
            );
          }
          return result.body;
        },
        counts: () => organizationCounts(organization.id),
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

let accountCounter = 0;

/**
 * A member added outside SCIM, as the console stores one: linked to an
 * account, named after it, and with the given role and status.
 */
export async function insertConsoleMember(
  organizationId: string,
  options: {
    role?: "owner" | "admin" | "user";
    status?: "invited" | "accepted" | "confirmed" | "revoked" | "staged";
    accountName?: string;
  } = {},
) {
  const n = ++accountCounter;
  const email = `console${n}.${process.pid}.${Date.now()}@example.com`;
  const [account] = await db()
    .insert(accounts)
    .values({
      email,
      name: options.accountName ?? `Grace Brewster Hopper ${n}`,
      kdfIterations: 600_000,
      authHash: "hash",
      publicKey: "public-key",
      wrappedPrivateKey: "wrapped",
    })
    .returning();
  const [member] = await db()
    .insert(members)
    .values({
      organizationId,
      accountId: account.id,
      email,
      userName: email,
      role: options.role ?? "user",
      status: options.status ?? "confirmed",
      origin: "console",
      ...namesFromAccount({}, account.name),
    })
    .returning();
  return { account, member };
}
