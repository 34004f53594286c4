import { and, desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { db } from "@/db/client";
import { events, members, scimConfigs } from "@/db/schema";
import type {
  ScimRequestInit,
  ScimResult,
  ScimTestOrganization,
} from "@/tests/support/scim";

export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE =
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

/** A SCIM client that sends a vendor's headers on every request. */
export function vendorClient(
  org: ScimTestOrganization,
  vendorHeaders: Record<string, string>,
) {
  return (path: string, init: ScimRequestInit = {}) =>
    org.scim(path, {
      ...init,
      headers: { ...vendorHeaders, ...init.headers },
    });
}

/** What every SCIM response with a body must carry. */
export function expectScimJson(response: ScimResult, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get("content-type")).toBe(SCIM_CONTENT_TYPE);
}

/** An error as RFC 7644 §3.12 shapes it: status as a string, a detail. */
export function expectScimError(
  response: ScimResult,
  status: number,
  scimType?: string,
) {
  expectScimJson(response, status);
  expect(response.body.schemas).toEqual([ERROR]);
  expect(response.body.status).toBe(String(status));
  expect(typeof response.body.detail).toBe("string");
  expect(response.body.detail.length).toBeGreaterThan(0);
  if (scimType) expect(response.body.scimType).toBe(scimType);
  expect(response.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

/** A ListResponse as the vendors' validators check it. */
export function expectListResponse(
  response: ScimResult,
  expected: { totalResults: number; startIndex?: number; returned?: number },
) {
  expectScimJson(response, 200);
  const body = response.body;
  expect(body.schemas).toEqual([LIST]);
  expect(body.totalResults).toBe(expected.totalResults);
  expect(Number.isInteger(body.startIndex)).toBe(true);
  expect(body.startIndex).toBe(expected.startIndex ?? 1);
  expect(Array.isArray(body.Resources)).toBe(true);
  expect(body.itemsPerPage).toBe(body.Resources.length);
  if (expected.returned !== undefined) {
    expect(body.Resources).toHaveLength(expected.returned);
  }
}

export async function memberRow(id: string) {
  const [member] = await db().select().from(members).where(eq(members.id, id));
  return member;
}

export async function latestEvent(organizationId: string, type: string) {
  const [event] = await db()
    .select()
    .from(events)
    .where(
      and(eq(events.organizationId, organizationId), eq(events.type, type)),
    )
    .orderBy(desc(events.id))
    .limit(1);
  return event;
}

export async function lastRequestClient(organizationId: string) {
  const [config] = await db()
    .select({ client: scimConfigs.lastRequestClient })
    .from(scimConfigs)
    .where(eq(scimConfigs.organizationId, organizationId));
  return config?.client;
}

let counter = 0;

/** A name no other test uses, for userNames, emails and group names. */
export function unique(prefix: string): string {
  return `${prefix}${++counter}x${process.pid}${Date.now().toString(36)}`;
}

export const filterQuery = (filter: string) =>
  `filter=${encodeURIComponent(filter)}`;
