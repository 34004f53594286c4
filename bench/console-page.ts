/**
 * The Members page's server render, signed in as the owner the way the
 * browser signs in: the master key and authentication hash derived from the
 * password (lib/crypto.ts), posted to Auth.js's credentials callback with
 * its CSRF token.
 */
import {
  DEFAULT_KDF_ITERATIONS,
  deriveAuthHash,
  deriveMasterKey,
} from "@/lib/crypto";
import { summarize, type LoadResult } from "./load";

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
}

export async function signIn(
  appUrl: string,
  email: string,
  password: string,
): Promise<string> {
  const csrf = await fetch(`${appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);

  const masterKey = await deriveMasterKey(
    password,
    email,
    DEFAULT_KDF_ITERATIONS,
  );
  const response = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: jar.join("; "),
    },
    body: new URLSearchParams({
      csrfToken,
      email,
      authHash: await deriveAuthHash(masterKey, password),
      callbackUrl: `${appUrl}/organizations`,
    }),
  });
  await response.arrayBuffer();
  const cookies = [...jar, ...cookiesOf(response)];
  if (!cookies.some((cookie) => /session-token=/.test(cookie))) {
    throw new Error(
      `sign-in failed: ${response.status} ${response.headers.get("location")}`,
    );
  }
  return cookies.join("; ");
}

export interface PageResult extends LoadResult {
  bytes: number;
}

/** Renders the page `samples` times in a row after a few unmeasured renders. */
export async function timePage(
  url: string,
  cookie: string,
  samples: number,
): Promise<PageResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  let total = 0;
  for (let i = 0; i < samples + 3; i++) {
    const started = performance.now();
    const response = await fetch(url, {
      headers: { cookie },
      redirect: "manual",
    });
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (i < 3) continue;
    latencies.push(elapsed);
    total += elapsed;
    bytes = body.byteLength;
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  }
  return { ...summarize(latencies, total / 1000, statuses), bytes };
}
