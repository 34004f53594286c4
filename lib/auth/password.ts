import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// The browser sends an authentication hash derived from the master password;
// the server hashes it again so that a database leak does not let anyone sign in.
const N = 16384;
const r = 8;
const p = 1;
const keyLength = 32;

function scryptAsync(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keyLength, { N, r, p }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashAuthHash(authHash: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(authHash, salt);
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyAuthHash(
  authHash: string,
  stored: string,
): Promise<boolean> {
  const [scheme, , , , salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scryptAsync(authHash, Buffer.from(salt, "base64url"));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
