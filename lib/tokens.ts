import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random secret for links and API keys, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Tokens and keys are stored as SHA-256 hashes; they are random, so no salt is needed. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) {
    // Compare anyway so that the time does not tell the length apart.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
