import { eq } from "drizzle-orm";
import { z } from "zod";
import { db, type Transaction } from "@/db/client";
import { scimConfigs } from "@/db/schema";
import { verifyCredentials } from "@/lib/accounts";
import { DomainError, invalid } from "@/lib/errors";
import { recordEvent } from "@/lib/events";
import {
  enableScim,
  revealScimKey,
  rotateScimKey,
  scimUrl,
} from "@/lib/scim/keys";
import {
  blockedSeconds,
  clearFailures,
  passwordPolicy,
  recordFailure,
} from "@/lib/throttle";
import { managerAccess, type ConsoleAccount } from "./access";

/** A wrong master password costs this long, on top of the throttle. */
export const WRONG_PASSWORD_DELAY_MS = 1000;

export interface ScimSettingsView {
  enabled: boolean;
  hasKey: boolean;
  sendInvitations: boolean;
  scimUrl: string;
  apiKeyRotatedAt: Date | null;
  lastRequestAt: Date | null;
  lastRequestClient: string | null;
}

/** The Settings → SCIM provisioning page, for an owner or admin. */
export async function scimSettings(
  account: ConsoleAccount,
  organizationId: string,
): Promise<ScimSettingsView> {
  await managerAccess(account, organizationId);
  const [config] = await db()
    .select()
    .from(scimConfigs)
    .where(eq(scimConfigs.organizationId, organizationId));
  return {
    enabled: config?.enabled ?? false,
    hasKey: Boolean(config?.apiKeyHash),
    sendInvitations: config?.sendInvitations ?? true,
    scimUrl: scimUrl(organizationId),
    apiKeyRotatedAt: config?.apiKeyRotatedAt ?? null,
    lastRequestAt: config?.lastRequestAt ?? null,
    lastRequestClient: config?.lastRequestClient ?? null,
  };
}

export const scimSettingsSchema = z.object({
  enabled: z.boolean(),
  sendInvitations: z.boolean(),
});

/**
 * Saves the SCIM switches. Turning SCIM on creates the API key the first
 * time; turning it off keeps the key, so that switching back on does not
 * break the identity provider's configuration.
 */
export async function saveScimSettings(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<ScimSettingsView> {
  const { actor } = await managerAccess(account, organizationId);
  const parsed = scimSettingsSchema.safeParse(input);
  if (!parsed.success) throw invalid("Choose whether SCIM is on, then save.");
  const wanted = parsed.data;

  await db().transaction(async (tx) => {
    await tx
      .insert(scimConfigs)
      .values({ organizationId })
      .onConflictDoNothing();
    const [config] = await tx
      .select()
      .from(scimConfigs)
      .where(eq(scimConfigs.organizationId, organizationId))
      .for("update");

    if (wanted.enabled !== config.enabled) {
      if (wanted.enabled) {
        await enableScim(organizationId, tx);
      } else {
        await tx
          .update(scimConfigs)
          .set({ enabled: false, updatedAt: new Date() })
          .where(eq(scimConfigs.organizationId, organizationId));
      }
      await recordEvent(tx, {
        organizationId,
        type: wanted.enabled ? "scim.enabled" : "scim.disabled",
        actor,
        target: { type: "scim", id: organizationId, label: "SCIM" },
      });
    }
    if (wanted.sendInvitations !== config.sendInvitations) {
      await tx
        .update(scimConfigs)
        .set({ sendInvitations: wanted.sendInvitations, updatedAt: new Date() })
        .where(eq(scimConfigs.organizationId, organizationId));
      await recordEvent(tx, {
        organizationId,
        type: "scim.settings_changed",
        actor,
        target: { type: "scim", id: organizationId, label: "SCIM" },
        details: { sendInvitations: wanted.sendInvitations },
      });
    }
  });
  return scimSettings(account, organizationId);
}

/** What the browser derived from the re-entered master password (lib/crypto.ts). */
export const authHashSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "is not an authentication hash");

export function passwordThrottleKey(accountId: string): string {
  return `console-password:${accountId}`;
}

/**
 * Checks a re-entered master password. Wrong ones are slowed down and
 * counted in auth_throttles; too many lock the check for a while.
 */
export async function verifyMasterPassword(
  account: ConsoleAccount,
  authHash: unknown,
): Promise<void> {
  const key = passwordThrottleKey(account.id);
  const wait = await blockedSeconds(key);
  if (wait > 0) {
    throw new DomainError(
      "rate_limited",
      `Too many wrong master passwords. Wait ${wait} seconds, then try again.`,
    );
  }
  const parsed = authHashSchema.safeParse(authHash);
  const verified = parsed.success
    ? await verifyCredentials(account.email, parsed.data)
    : undefined;
  if (!verified || verified.id !== account.id) {
    await recordFailure(key, passwordPolicy);
    await new Promise((resolve) =>
      setTimeout(resolve, WRONG_PASSWORD_DELAY_MS),
    );
    throw invalid(
      "That master password is not right. Enter the password you sign in with, and try again.",
    );
  }
  await clearFailures(key);
}

/**
 * A key handed out after the master password was entered again, with its
 * event written in the same transaction.
 */
async function keyWithPassword(
  account: ConsoleAccount,
  organizationId: string,
  authHash: unknown,
  type: "scim.key_revealed" | "scim.key_rotated",
  keyOf: (tx: Transaction) => Promise<string>,
): Promise<string> {
  const { actor } = await managerAccess(account, organizationId);
  await verifyMasterPassword(account, authHash);
  return db().transaction(async (tx) => {
    const apiKey = await keyOf(tx);
    await recordEvent(tx, {
      organizationId,
      type,
      actor,
      target: { type: "scim", id: organizationId, label: "SCIM API key" },
    });
    return apiKey;
  });
}

/** The API key in full, after the master password was entered again. */
export function revealScimKeyWithPassword(
  account: ConsoleAccount,
  organizationId: string,
  authHash: unknown,
): Promise<string> {
  return keyWithPassword(
    account,
    organizationId,
    authHash,
    "scim.key_revealed",
    (tx) => revealScimKey(organizationId, tx),
  );
}

/**
 * A new API key, shown once; the old one stops working at once. Rotating
 * hands out a key, so it asks for the master password like revealing does.
 */
export function rotateScimKeyWithPassword(
  account: ConsoleAccount,
  organizationId: string,
  authHash: unknown,
): Promise<string> {
  return keyWithPassword(
    account,
    organizationId,
    authHash,
    "scim.key_rotated",
    (tx) => rotateScimKey(organizationId, tx),
  );
}
