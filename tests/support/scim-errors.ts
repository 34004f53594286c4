import { ERROR_SCHEMA } from "@/lib/scim/schemas";

/**
 * What is wrong with a SCIM error response (RFC 7644 §3.12), or an empty
 * list: the body names the error schema, carries the HTTP status as a
 * string, and a detail that is no stack trace.
 */
export function scimErrorProblems(status: number, body: unknown): string[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return ["the body is not a JSON object"];
  }
  const error = body as Record<string, unknown>;
  const problems: string[] = [];
  if (!Array.isArray(error.schemas) || !error.schemas.includes(ERROR_SCHEMA)) {
    problems.push(`schemas does not name ${ERROR_SCHEMA}`);
  }
  if (error.status !== String(status)) {
    problems.push(`status is ${JSON.stringify(error.status)}, not "${status}"`);
  }
  if (typeof error.detail !== "string" || error.detail.trim() === "") {
    problems.push("detail is missing");
  } else if (/\n\s+at |node_modules|\.ts:\d+/.test(error.detail)) {
    problems.push("detail holds a stack trace");
  }
  if (error.scimType !== undefined && typeof error.scimType !== "string") {
    problems.push("scimType is not a string");
  }
  return problems;
}
