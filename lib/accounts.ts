import { eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { violatedUniqueConstraint } from "@/db/errors";
import { accounts, type Account } from "@/db/schema";
import {
  DEFAULT_KDF_ITERATIONS,
  MIN_KDF_ITERATIONS,
  normalizeEmail,
} from "@/lib/crypto";
import { conflict } from "@/lib/errors";
import { hashAuthHash, verifyAuthHash } from "@/lib/auth/password";

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, "is not base64url");
const sealed = z
  .string()
  .regex(/^[a-z][0-9]\.[A-Za-z0-9_.-]+$/, "is not a ciphertext");

export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter an email address")
  .max(254, "An email address has at most 254 characters")
  .pipe(z.email("Enter a valid email address"))
  .transform(normalizeEmail);

export const registrationSchema = z.object({
  email: emailSchema,
  name: z
    .string()
    .trim()
    .min(1, "Enter your name")
    .max(256, "A name has at most 256 characters"),
  kdfIterations: z.number().int().min(MIN_KDF_ITERATIONS).max(10_000_000),
  authHash: base64url.length(43),
  publicKey: base64url.min(200).max(1000),
  wrappedPrivateKey: sealed.max(4000),
});

export type Registration = z.infer<typeof registrationSchema>;

export async function createAccount(input: Registration): Promise<Account> {
  try {
    const [account] = await db()
      .insert(accounts)
      .values({ ...input, authHash: await hashAuthHash(input.authHash) })
      .returning();
    return account;
  } catch (error) {
    if (violatedUniqueConstraint(error)) {
      throw conflict(
        "An account with this email already exists. Sign in instead.",
      );
    }
    throw error;
  }
}

export async function findAccountByEmail(email: string) {
  const [account] = await db()
    .select()
    .from(accounts)
    .where(eq(accounts.email, normalizeEmail(email)));
  return account;
}

export async function findAccount(id: string) {
  const [account] = await db()
    .select()
    .from(accounts)
    .where(eq(accounts.id, id));
  return account;
}

/** The iteration count to derive a master key with; unknown emails get the default, telling nothing. */
export async function kdfIterationsFor(email: string): Promise<number> {
  const account = await findAccountByEmail(email);
  return account?.kdfIterations ?? DEFAULT_KDF_ITERATIONS;
}

export async function verifyCredentials(email: string, authHash: string) {
  const account = await findAccountByEmail(email);
  if (!account) {
    // Spend the same time as a real check, so timing does not reveal accounts.
    await verifyAuthHash(
      authHash,
      "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$AAAA",
    );
    return undefined;
  }
  return (await verifyAuthHash(authHash, account.authHash))
    ? account
    : undefined;
}
