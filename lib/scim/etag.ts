import { DomainError } from "@/lib/errors";

export const stale = () =>
  new DomainError(
    "stale",
    "The resource has changed since the version given in If-Match",
  );

/** Every resource row carries an integer version; its weak ETag (RFC 7644 §3.14). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

interface HasRequest {
  request: Request;
}

function matches(header: string, version: number): boolean {
  const wanted = `"${version}"`;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    if (trimmed === "*") return true;
    // Weak comparison (RFC 9110 §8.8.3.2): the W/ prefix does not matter.
    return (trimmed.startsWith("W/") ? trimmed.slice(2) : trimmed) === wanted;
  });
}

/** PUT, PATCH and DELETE with a stale If-Match get 412. */
export function assertIfMatch(ctx: HasRequest, version: number): void {
  const header = ctx.request.headers.get("if-match");
  if (header !== null && !matches(header, version)) throw stale();
}

/** GET with an If-None-Match naming the current version gets 304. */
export function isNotModified(ctx: HasRequest, version: number): boolean {
  const header = ctx.request.headers.get("if-none-match");
  return header !== null && matches(header, version);
}
