"use client";

import { decryptWithPrivateKey, fromBase64, toBase64 } from "@/lib/crypto";

// The unlocked private key lives only in this tab's session storage: it is
// never sent to the server, and it is gone when the tab closes or the person
// signs out.
const storageKey = "scim-console.private-key";

export function storePrivateKey(privateKey: Uint8Array<ArrayBuffer>) {
  sessionStorage.setItem(storageKey, toBase64(privateKey));
}

export function loadPrivateKey(): Uint8Array<ArrayBuffer> | undefined {
  const stored = sessionStorage.getItem(storageKey);
  return stored ? fromBase64(stored) : undefined;
}

export function clearKeys() {
  sessionStorage.removeItem(storageKey);
}

/** Opens an organization key that was encrypted to this account. */
export async function openOrganizationKey(
  encryptedOrganizationKey: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const privateKey = loadPrivateKey();
  if (!privateKey) throw new LockedError();
  return decryptWithPrivateKey(encryptedOrganizationKey, privateKey);
}

export class LockedError extends Error {
  constructor() {
    super("Your keys are locked. Unlock with your master password.");
    this.name = "LockedError";
  }
}
