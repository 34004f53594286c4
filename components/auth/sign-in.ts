"use client";

import { signIn } from "next-auth/react";
import { accountKeysAction, preloginAction } from "@/app/(auth)/actions";
import { storePrivateKey } from "@/components/keys/key-store";
import {
  DecryptionError,
  deriveAuthHash,
  deriveMasterKey,
  unwrapPrivateKey,
} from "@/lib/crypto";

const wrongCredentials =
  "Wrong email or master password. Check both and try again.";

/**
 * Signs in with a master password: derives the master key here, sends only
 * the authentication hash, then unlocks the private key in this tab.
 * Returns an error message, or undefined on success.
 */
export async function signInWithPassword(
  email: string,
  password: string,
): Promise<string | undefined> {
  const { kdfIterations, error } = await preloginAction(email);
  if (error) return error;

  const masterKey = await deriveMasterKey(password, email, kdfIterations);
  const authHash = await deriveAuthHash(masterKey, password);
  const result = await signIn("credentials", {
    email,
    authHash,
    redirect: false,
  });
  if (result?.code === "too_many_attempts") {
    return "Too many failed attempts. Wait a minute, then try again.";
  }
  if (!result || result.error) return wrongCredentials;

  return unlockWithMasterKey(masterKey);
}

/** Unlocks the private key of the signed-in account with its master password. */
export async function unlockWithPassword(
  password: string,
): Promise<string | undefined> {
  const keys = await accountKeysAction();
  if (!keys) return "Your session has ended. Sign in again.";
  const masterKey = await deriveMasterKey(
    password,
    keys.email,
    keys.kdfIterations,
  );
  return unlockWithMasterKey(masterKey);
}

async function unlockWithMasterKey(
  masterKey: Uint8Array<ArrayBuffer>,
): Promise<string | undefined> {
  const keys = await accountKeysAction();
  if (!keys) return "Your session has ended. Sign in again.";
  try {
    storePrivateKey(await unwrapPrivateKey(keys.wrappedPrivateKey, masterKey));
  } catch (error) {
    if (error instanceof DecryptionError) return "Wrong master password.";
    throw error;
  }
  return undefined;
}
