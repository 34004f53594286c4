"use server";

import { z } from "zod";
import {
  createAccount,
  emailSchema,
  kdfIterationsFor,
  registrationSchema,
} from "@/lib/accounts";
import { currentAccount } from "@/lib/auth/session";
import { signOut } from "@/lib/auth/config";
import { consoleMessage } from "@/lib/errors";

export type ActionResult = { ok: true } | { ok: false; error: string };

export async function preloginAction(email: string) {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success)
    return { kdfIterations: 0, error: "Enter a valid email address" };
  return { kdfIterations: await kdfIterationsFor(parsed.data) };
}

export async function registerAction(input: unknown): Promise<ActionResult> {
  const parsed = registrationSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: z.prettifyError(parsed.error) };
  }
  try {
    await createAccount(parsed.data);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: consoleMessage(error) };
  }
}

/** The signed-in account's keys, still wrapped: only the browser can open them. */
export async function accountKeysAction() {
  const account = await currentAccount();
  if (!account) return undefined;
  return {
    email: account.email,
    kdfIterations: account.kdfIterations,
    publicKey: account.publicKey,
    wrappedPrivateKey: account.wrappedPrivateKey,
  };
}

export async function signOutAction() {
  await signOut({ redirect: false });
}
