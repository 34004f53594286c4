/** PostgreSQL error fields, as postgres.js and PGlite report them. */
interface PgErrorLike {
  code?: string;
  constraint_name?: string;
  constraint?: string;
  cause?: unknown;
}

function pgError(error: unknown): PgErrorLike | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const candidate = current as PgErrorLike;
    if (
      typeof candidate.code === "string" &&
      /^[0-9A-Z]{5}$/.test(candidate.code)
    ) {
      return candidate;
    }
    current = candidate.cause;
  }
  return undefined;
}

/** The name of the unique constraint a statement violated, if it did. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  const pg = pgError(error);
  if (pg?.code !== "23505") return undefined;
  return pg.constraint_name ?? pg.constraint ?? "unknown";
}

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * Whether an error means the database cannot be reached right now (as opposed
 * to a statement being wrong), so the request may be retried later.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (unavailableCodes.has(code)) return true;
      // Class 08: connection exception; 57P01-03: server shutting down.
      if (/^08/.test(code) || /^57P0[1-3]$/.test(code)) return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
