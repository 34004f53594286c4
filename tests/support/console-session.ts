import { randomBytes } from "node:crypto";
import { createAccount } from "@/lib/accounts";
import {
  deriveAuthHash,
  deriveMasterKey,
  generateAccountKeys,
  MIN_KDF_ITERATIONS,
} from "@/lib/crypto";
import type { AppServer, HttpResult } from "./app-server";

export interface TestAccount {
  email: string;
  /** What the browser derives from the master password and sends to sign in. */
  authHash: string;
}

/** An account with real keys, made as the sign-up page makes one. */
export async function newAccount(
  name = "Security Tester",
): Promise<TestAccount> {
  const email = `${name.split(" ")[0].toLowerCase()}.${randomBytes(4).toString("hex")}@example.com`;
  const password = `correct horse battery ${randomBytes(4).toString("hex")}`;
  const masterKey = await deriveMasterKey(password, email, MIN_KDF_ITERATIONS);
  const keys = await generateAccountKeys(masterKey);
  const authHash = await deriveAuthHash(masterKey, password);
  await createAccount({
    email,
    name,
    kdfIterations: MIN_KDF_ITERATIONS,
    authHash,
    ...keys,
  });
  return { email, authHash };
}

/** `name=value` pairs of the Set-Cookie headers, for a Cookie header. */
export function cookiesOf(result: HttpResult): string[] {
  const header = result.headers["set-cookie"];
  const list = Array.isArray(header) ? header : header ? [header] : [];
  return list.map((cookie) => cookie.split(";")[0]);
}

/**
 * Signs in the way next-auth's client does: fetch the CSRF token (and its
 * cookie), then post the credentials with it. Returns the response and the
 * cookies to send from then on.
 */
export async function signIn(
  server: AppServer,
  account: TestAccount,
  {
    withCsrfToken = true,
    origin,
  }: { withCsrfToken?: boolean; origin?: string } = {},
) {
  const csrf = await server.call("/api/auth/csrf");
  const csrfCookies = cookiesOf(csrf);
  const form = new URLSearchParams({
    email: account.email,
    authHash: account.authHash,
    ...(withCsrfToken ? { csrfToken: csrf.body.csrfToken } : {}),
  });
  const response = await server.call("/api/auth/callback/credentials", {
    method: "POST",
    body: form.toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(withCsrfToken ? { cookie: csrfCookies.join("; ") } : {}),
      ...(origin ? { origin } : {}),
    },
  });
  const session = cookiesOf(response).filter((cookie) =>
    /session-token=./.test(cookie),
  );
  return { response, sessionCookie: session.join("; ") };
}
