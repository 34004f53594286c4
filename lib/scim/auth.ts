import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queryRows } from "@/db/rows";
import type { ScimClientName } from "@/lib/events";
import { recordFailure, type ThrottlePolicy } from "@/lib/throttle";
import { hashToken, safeEqual } from "@/lib/tokens";
import { RetryLaterError, unauthenticated } from "./errors";
import { isUuid } from "./ids";

/** Failed authentications allowed per client address and window. */
export const AUTH_FAILURE_LIMIT = 10;
export const AUTH_FAILURE_WINDOW_SECONDS = 60;
/** How long a client that reached the limit is refused. */
export const AUTH_BLOCK_SECONDS = 60;

const failurePolicy: ThrottlePolicy = {
  limit: AUTH_FAILURE_LIMIT,
  windowSeconds: AUTH_FAILURE_WINDOW_SECONDS,
  blockSeconds: AUTH_BLOCK_SECONDS,
};
/** The last request's time and client are written at most this often. */
export const LAST_REQUEST_WRITE_INTERVAL_SECONDS = 5;

export interface ScimAuthentication {
  organizationId: string;
  sendInvitations: boolean;
}

interface AuthRow {
  enabled: boolean | null;
  api_key_hash: string | null;
  send_invitations: boolean | null;
  last_request_recent: boolean | null;
  failures: number | null;
  blocked_seconds: number | null;
}

// Compared against when there is no stored hash, so that an unknown
// organization takes as long as a wrong key.
const absentHash = hashToken("no key is stored for this organization");

export function throttleKey(clientAddress: string | undefined): string {
  return `scim:${clientAddress || "unknown"}`;
}

/** The key from `Authorization: Bearer <key>`, or a bare key. */
function presentedKey(header: string | null): string | undefined {
  if (!header) return undefined;
  const value = header.trim();
  const bearer = /^bearer\s+(\S+)$/i.exec(value);
  if (bearer) return bearer[1];
  return /^\S+$/.test(value) ? value : undefined;
}

/**
 * Authenticates a SCIM request in one query: the organization's SCIM
 * settings and this client's failure counter together. Every kind of
 * failure gets the same 401; a client over the failure limit gets 429.
 */
export async function authenticate(
  request: Request,
  organizationId: string,
  clientAddress: string | undefined,
  client: ScimClientName,
): Promise<ScimAuthentication> {
  const key = throttleKey(clientAddress);
  const knownId = isUuid(organizationId) ? organizationId : null;
  const [row] = await queryRows<AuthRow>(
    db(),
    sql`select c.enabled, c.api_key_hash, c.send_invitations,
        (c.last_request_at > now() - make_interval(secs => ${LAST_REQUEST_WRITE_INTERVAL_SECONDS})
          and c.last_request_client is not distinct from ${client}) as last_request_recent,
        t.failures,
        ceil(extract(epoch from t.blocked_until - now()))::int as blocked_seconds
      from (select 1) as one
      left join scim_configs c on c.organization_id = ${knownId}::uuid
      left join auth_throttles t on t.key = ${key}`,
  );

  if (row.blocked_seconds !== null && row.blocked_seconds > 0) {
    throw tooManyFailures(row.blocked_seconds);
  }

  const presented = presentedKey(request.headers.get("authorization"));
  const stored = row.api_key_hash ?? absentHash;
  const keyMatches =
    presented !== undefined && safeEqual(hashToken(presented), stored);
  if (!keyMatches || !row.enabled || !row.api_key_hash || !knownId) {
    await recordFailure(key, failurePolicy);
    throw unauthenticated();
  }

  if (row.failures) {
    await db().execute(sql`delete from auth_throttles where key = ${key}`);
  }
  if (!row.last_request_recent) {
    await db().execute(
      sql`update scim_configs set last_request_at = now(), last_request_client = ${client}
        where organization_id = ${knownId}`,
    );
  }
  return {
    organizationId: knownId,
    sendInvitations: row.send_invitations ?? true,
  };
}

function tooManyFailures(seconds: number) {
  return new RetryLaterError(
    "rate_limited",
    "Too many failed authentication attempts; try again later",
    seconds,
  );
}
