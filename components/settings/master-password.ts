"use client";

import { accountKeysAction } from "@/app/(auth)/actions";
import { deriveAuthHash, deriveMasterKey } from "@/lib/crypto";

/**
 * The authentication hash of a re-entered master password, derived here
 * exactly as at sign-in; the password itself never leaves the browser.
 */
export async function authHashOf(
  password: string,
): Promise<string | undefined> {
  const keys = await accountKeysAction();
  if (!keys) return undefined;
  const masterKey = await deriveMasterKey(
    password,
    keys.email,
    keys.kdfIterations,
  );
  return deriveAuthHash(masterKey, password);
}
