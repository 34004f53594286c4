import { textResponse } from "@/lib/http/bodies";
import { etagOf } from "./etag";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export function scimJson(
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): Response {
  return textResponse(JSON.stringify(body), {
    status,
    headers: { "content-type": SCIM_CONTENT_TYPE, ...headers },
  });
}

export interface Meta {
  resourceType: "User" | "Group";
  created: string;
  lastModified: string;
  location: string;
  version: string;
}

export interface ScimResourceBody {
  schemas: string[];
  id: string;
  meta?: Meta;
  [attribute: string]: unknown;
}

export function metaOf(
  baseUrl: string,
  resourceType: "User" | "Group",
  id: string,
  created: Date,
  lastModified: Date,
  version: number,
): Meta {
  return {
    resourceType,
    created: created.toISOString(),
    lastModified: lastModified.toISOString(),
    location: `${baseUrl}/${resourceType}s/${id}`,
    version: etagOf(version),
  };
}

/**
 * A single resource with its ETag; a 201 also names the new resource in
 * `Location` (RFC 7644 §3.3). `location` is passed separately because
 * `attributes` may have left `meta` out of the body.
 */
export function resourceResponse(
  status: 200 | 201,
  body: object,
  version: number,
  location: string,
): Response {
  const headers: Record<string, string> = { etag: etagOf(version) };
  if (status === 201) headers.location = location;
  return scimJson(status, body, headers);
}

export function notModified(version: number): Response {
  return new Response(null, {
    status: 304,
    headers: { etag: etagOf(version) },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}
