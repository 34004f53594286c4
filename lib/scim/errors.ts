import { isDatabaseUnavailable } from "@/db/errors";
import { DomainError, isDomainError, type ErrorKind } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { scimJson } from "./response";
import { ERROR_SCHEMA } from "./schemas";

/** 413: the request body is over the limit. */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super("invalid", message);
  }
}

/** A DomainError that tells the client when to try again. */
export class RetryLaterError extends DomainError {
  constructor(
    kind: "rate_limited" | "unavailable",
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(kind, message);
  }
}

export const unauthenticated = () =>
  new DomainError(
    "unauthenticated",
    "Authentication failed: send the organization's SCIM API key as a bearer token",
  );

const statusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale: 412,
  rate_limited: 429,
  unavailable: 503,
};

/** Seconds a client should wait when the database cannot be reached. */
const UNAVAILABLE_RETRY_SECONDS = 5;

/** A SCIM error body (RFC 7644 §3.12); `status` is a string there. */
export function scimError(
  status: number,
  detail: string,
  scimType?: string,
  headers?: Record<string, string>,
): Response {
  return scimJson(
    status,
    scimType
      ? { schemas: [ERROR_SCHEMA], status: String(status), scimType, detail }
      : { schemas: [ERROR_SCHEMA], status: String(status), detail },
    headers,
  );
}

/**
 * The one place where errors become SCIM responses. Anything that is neither
 * a DomainError nor an unreachable database is a bug: it is logged with its
 * stack and answered without one.
 */
export function scimErrorResponse(error: unknown, requestId: string): Response {
  if (error instanceof PayloadTooLargeError) {
    return scimError(413, error.message);
  }
  if (isDomainError(error)) {
    const headers: Record<string, string> = {};
    if (error instanceof RetryLaterError) {
      headers["retry-after"] = String(error.retryAfterSeconds);
    }
    if (error.kind === "unauthenticated") {
      headers["www-authenticate"] = 'Bearer realm="SCIM"';
    }
    const scimType =
      error.kind === "invalid"
        ? (error.scimType ?? "invalidValue")
        : error.kind === "conflict"
          ? (error.scimType ?? "uniqueness")
          : undefined;
    return scimError(statusOf[error.kind], error.message, scimType, headers);
  }

  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { requestId, ...errorFields(error) });
    return scimError(
      503,
      "The service is temporarily unavailable; try again shortly",
      undefined,
      { "retry-after": String(UNAVAILABLE_RETRY_SECONDS) },
    );
  }

  log.error("unexpected error in SCIM request", {
    requestId,
    ...errorFields(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
  return scimError(500, "An unexpected error occurred");
}
