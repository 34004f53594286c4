import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
} from "node:crypto";
import { eq } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { scimConfigs } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { settings } from "@/lib/settings";
import { hashToken, randomToken } from "@/lib/tokens";

/**
 * SCIM API keys: 256 random bits, prefixed so that secret scanners recognise
 * them. The hash authenticates; the ciphertext (AES-256-GCM under a key
 * derived from AUTH_SECRET, bound to the organization) lets an administrator
 * reveal the key again.
 */
const KEY_PREFIX = "scim_";
const CIPHERTEXT_VERSION = "v1";

function encryptionKey(): Buffer {
  return Buffer.from(
    hkdfSync(
      "sha256",
      settings().AUTH_SECRET,
      "scim-console",
      "scim-api-key-encryption",
      32,
    ),
  );
}

function encryptKey(organizationId: string, apiKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv);
  cipher.setAAD(Buffer.from(organizationId, "utf8"));
  const ciphertext = Buffer.concat([
    cipher.update(apiKey, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return [
    CIPHERTEXT_VERSION,
    iv.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

function decryptKey(organizationId: string, stored: string): string {
  const [version, iv, data] = stored.split(".");
  if (version !== CIPHERTEXT_VERSION || !iv || !data) {
    throw new Error("Unknown SCIM API key ciphertext format");
  }
  const bytes = Buffer.from(data, "base64url");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    encryptionKey(),
    Buffer.from(iv, "base64url"),
  );
  decipher.setAAD(Buffer.from(organizationId, "utf8"));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([
    decipher.update(bytes.subarray(0, bytes.length - 16)),
    decipher.final(),
  ]).toString("utf8");
}

function newKey(organizationId: string) {
  const apiKey = KEY_PREFIX + randomToken(32);
  return {
    apiKey,
    columns: {
      apiKeyHash: hashToken(apiKey),
      apiKeyCiphertext: encryptKey(organizationId, apiKey),
      apiKeyRotatedAt: new Date(),
    },
  };
}

/**
 * Turns SCIM on and returns the API key. An organization that had a key
 * keeps it, so that switching SCIM off and on does not break integrations.
 */
export async function enableScim(
  organizationId: string,
  executor: Executor = db(),
): Promise<string> {
  const [existing] = await executor
    .select({ ciphertext: scimConfigs.apiKeyCiphertext })
    .from(scimConfigs)
    .where(eq(scimConfigs.organizationId, organizationId));
  if (existing?.ciphertext) {
    await executor
      .update(scimConfigs)
      .set({ enabled: true, updatedAt: new Date() })
      .where(eq(scimConfigs.organizationId, organizationId));
    return decryptKey(organizationId, existing.ciphertext);
  }

  const { apiKey, columns } = newKey(organizationId);
  await executor
    .insert(scimConfigs)
    .values({ organizationId, enabled: true, ...columns })
    .onConflictDoUpdate({
      target: scimConfigs.organizationId,
      set: { enabled: true, ...columns, updatedAt: new Date() },
    });
  return apiKey;
}

/** The current API key in full, for an administrator who asked to see it. */
export async function revealScimKey(
  organizationId: string,
  executor: Executor = db(),
): Promise<string> {
  const [config] = await executor
    .select({ ciphertext: scimConfigs.apiKeyCiphertext })
    .from(scimConfigs)
    .where(eq(scimConfigs.organizationId, organizationId));
  if (!config?.ciphertext) {
    throw notFound("SCIM has no API key yet: enable SCIM first");
  }
  return decryptKey(organizationId, config.ciphertext);
}

/** Replaces the API key; the old one stops working at once. */
export async function rotateScimKey(
  organizationId: string,
  executor: Executor = db(),
): Promise<string> {
  const { apiKey, columns } = newKey(organizationId);
  const updated = await executor
    .update(scimConfigs)
    .set({ ...columns, updatedAt: new Date() })
    .where(eq(scimConfigs.organizationId, organizationId))
    .returning({ organizationId: scimConfigs.organizationId });
  if (updated.length === 0) {
    throw notFound("SCIM has no API key yet: enable SCIM first");
  }
  return apiKey;
}

/** The SCIM base URL of an organization, as identity providers are given it. */
export function scimUrl(organizationId: string): string {
  return `${settings().APP_URL}/scim/v2/${organizationId}`;
}
