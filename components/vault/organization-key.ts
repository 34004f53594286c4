"use client";

import { useEffect, useState } from "react";
import { LockedError, openOrganizationKey } from "@/components/keys/key-store";
import { decryptText } from "@/lib/crypto";

// One RSA decryption per encrypted key and tab, however many names and
// items on the page need the organization key.
const opened = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

export function openOrganizationKeyOnce(encryptedOrganizationKey: string) {
  let key = opened.get(encryptedOrganizationKey);
  if (!key) {
    key = openOrganizationKey(encryptedOrganizationKey);
    key.catch(() => opened.delete(encryptedOrganizationKey));
    opened.set(encryptedOrganizationKey, key);
  }
  return key;
}

export type KeyState =
  | { state: "opening" }
  | { state: "open"; key: Uint8Array<ArrayBuffer> }
  | { state: "locked" }
  | { state: "broken" };

/** The organization key, opened in this browser with the account's private key. */
export function useOrganizationKey(encryptedOrganizationKey: string): KeyState {
  const [result, setResult] = useState<{ for: string; state: KeyState }>();

  useEffect(() => {
    let current = true;
    openOrganizationKeyOnce(encryptedOrganizationKey).then(
      (key) => {
        if (current) {
          setResult({
            for: encryptedOrganizationKey,
            state: { state: "open", key },
          });
        }
      },
      (error) => {
        if (current) {
          setResult({
            for: encryptedOrganizationKey,
            state: {
              state: error instanceof LockedError ? "locked" : "broken",
            },
          });
        }
      },
    );
    return () => {
      current = false;
    };
  }, [encryptedOrganizationKey]);

  return result?.for === encryptedOrganizationKey
    ? result.state
    : { state: "opening" };
}

/** Decrypts text sealed with the organization key, or undefined if it does not open. */
export async function decryptOrUndefined(
  key: Uint8Array<ArrayBuffer>,
  sealed: string,
): Promise<string | undefined> {
  try {
    return await decryptText(key, sealed);
  } catch {
    return undefined;
  }
}
