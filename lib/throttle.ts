import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queryRows } from "@/db/rows";

/** How many failures in a window block a key, and for how long. */
export interface ThrottlePolicy {
  limit: number;
  windowSeconds: number;
  blockSeconds: number;
}

/** Sign-in and master password checks in the console. */
export const passwordPolicy: ThrottlePolicy = {
  limit: 5,
  windowSeconds: 15 * 60,
  blockSeconds: 60,
};

/**
 * Seconds until the key may try again, or 0. Counters live in PostgreSQL so
 * that every app instance sees the same ones.
 */
export async function blockedSeconds(key: string): Promise<number> {
  const [row] = await queryRows<{ seconds: number | null }>(
    db(),
    sql`select ceil(extract(epoch from blocked_until - now()))::int as seconds
      from auth_throttles where key = ${key}`,
  );
  return Math.max(0, row?.seconds ?? 0);
}

/** Counts a failure in the key's window and blocks it at the limit. */
export async function recordFailure(key: string, policy: ThrottlePolicy) {
  const expired = sql`t.window_started_at <= now() - make_interval(secs => ${policy.windowSeconds})`;
  const failures = sql`case when ${expired} then 1 else t.failures + 1 end`;
  await db().execute(
    sql`insert into auth_throttles as t (key, failures, window_started_at, blocked_until)
      values (${key}, 1, now(), null)
      on conflict (key) do update set
        failures = ${failures},
        window_started_at = case when ${expired} then now() else t.window_started_at end,
        blocked_until = case when ${failures} >= ${policy.limit}
          then now() + make_interval(secs => ${policy.blockSeconds})
          else t.blocked_until end`,
  );
}

export async function clearFailures(key: string) {
  await db().execute(sql`delete from auth_throttles where key = ${key}`);
}
