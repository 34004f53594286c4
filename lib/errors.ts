/**
 * The one error type of the domain. Each carries a kind; the SCIM service and
 * the console each turn kinds into their own responses in one place.
 */
export type ErrorKind =
  | "invalid"
  | "not_found"
  | "conflict"
  | "forbidden"
  | "unauthenticated"
  | "stale"
  | "rate_limited"
  | "unavailable";

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** For SCIM: the RFC 7644 §3.12 scimType, when the kind alone is not precise. */
    readonly scimType?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const invalid = (message: string, scimType = "invalidValue") =>
  new DomainError("invalid", message, scimType);
export const notFound = (message: string) =>
  new DomainError("not_found", message);
export const conflict = (message: string) =>
  new DomainError("conflict", message, "uniqueness");
export const forbidden = (message: string) =>
  new DomainError("forbidden", message);

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** What the console shows for an error: the domain's message, or a generic one. */
export function consoleMessage(error: unknown): string {
  if (isDomainError(error)) return error.message;
  return "Something went wrong on our side. Try again in a moment.";
}
