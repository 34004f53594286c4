import { randomUUID } from "node:crypto";
import { notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { authenticate } from "./auth";
import { readJsonBody } from "./body";
import { detectClient } from "./client";
import type { ScimContext } from "./context";
import { discoveryResponse } from "./discovery";
import { scimError, scimErrorResponse } from "./errors";
import { groupsResource } from "./groups";
import { isUuid } from "./ids";
import { scimUrl } from "./keys";
import { listParamsFromQuery, listParamsFromSearch } from "./list";
import type { ScimResource } from "./resource";
import { usersResource } from "./users";

const PREFIX = "/scim/v2/";

/** Resource types by lower-cased path segment: `Users` and `users` alike. */
const resources: Record<string, ScimResource> = {
  users: usersResource,
  groups: groupsResource,
};

const discoveryEndpoints = new Set([
  "serviceproviderconfig",
  "resourcetypes",
  "schemas",
]);

/** RFC 7644 §3.7 and §3.11: endpoints this service does not implement. */
const notImplemented = new Set(["bulk", "me"]);

function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** `/scim/v2/{organizationId}/{...segments}`, decoded; undefined if malformed. */
function parseRoute(pathname: string) {
  if (!pathname.startsWith(PREFIX)) return undefined;
  try {
    const parts = pathname
      .slice(PREFIX.length)
      .split("/")
      .filter((part) => part !== "")
      .map(decodeURIComponent);
    if (parts.length === 0) return undefined;
    return { organizationId: parts[0], segments: parts.slice(1) };
  } catch {
    return undefined;
  }
}

function methodNotAllowed(allow: string): Response {
  return scimError(405, `Allowed methods: ${allow}`, undefined, { allow });
}

async function dispatch(
  ctx: ScimContext,
  method: string,
  segments: string[],
): Promise<Response> {
  const [name, id, ...rest] = segments;
  const endpoint = name?.toLowerCase();
  if (!endpoint || rest.length > 0) throw notFound("No such endpoint");

  const resource = resources[endpoint];
  if (resource) {
    if (id === undefined) {
      if (method === "GET") {
        return resource.list(ctx, listParamsFromQuery(ctx.query));
      }
      if (method === "POST") return resource.create(ctx);
      return methodNotAllowed("GET, POST");
    }
    if (id === ".search") {
      if (method !== "POST") return methodNotAllowed("POST");
      return resource.list(ctx, listParamsFromSearch(await ctx.body()));
    }
    switch (method) {
      case "GET":
        return resource.get(ctx, id);
      case "PUT":
        return resource.replace(ctx, id);
      case "PATCH":
        return resource.patch(ctx, id);
      case "DELETE":
        return resource.remove(ctx, id);
      default:
        return methodNotAllowed("GET, PUT, PATCH, DELETE");
    }
  }

  if (discoveryEndpoints.has(endpoint)) {
    if (method !== "GET") return methodNotAllowed("GET");
    return discoveryResponse(
      endpoint as "serviceproviderconfig" | "resourcetypes" | "schemas",
      id,
      ctx.baseUrl,
    );
  }
  if (notImplemented.has(endpoint)) {
    return scimError(501, `${name} is not supported`);
  }
  throw notFound("No such endpoint");
}

/**
 * The SCIM 2.0 service (RFC 7644) as one Web-standard handler: the Next
 * route and the production server both call it. Every request is logged
 * once, with its status and duration and never its key.
 */
export async function handleScimRequest(
  request: Request,
  context: { clientAddress?: string } = {},
): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(request.headers);
  const client = detectClient(request.headers);
  const url = new URL(request.url);
  const route = parseRoute(url.pathname);

  let response: Response;
  let organizationId: string | undefined;
  try {
    if (!route) throw notFound("No such endpoint");
    const auth = await authenticate(
      request,
      route.organizationId,
      context.clientAddress,
      client,
    );
    organizationId = auth.organizationId;

    let body: Promise<unknown> | undefined;
    const ctx: ScimContext = {
      organizationId,
      sendInvitations: auth.sendInvitations,
      client,
      actor: { type: "scim", client },
      requestId,
      request,
      query: url.searchParams,
      baseUrl: scimUrl(organizationId),
      body: () => (body ??= readJsonBody(request)),
    };
    response = await dispatch(ctx, request.method, route.segments);
  } catch (error) {
    response = scimErrorResponse(error, requestId);
  }

  response.headers.set("x-request-id", requestId);
  log.info("scim request", {
    method: request.method,
    path: url.pathname.slice(0, 512),
    status: response.status,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    organizationId:
      organizationId ??
      (route && isUuid(route.organizationId)
        ? route.organizationId
        : undefined),
    client,
    requestId,
  });
  return response;
}
