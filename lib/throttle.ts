import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queryRows } from "@/db/rows";
import { errorFields, log } from "@/lib/log";

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

/** Longer than any policy's window and block. */
const KEPT_FOR_SECONDS = 24 * 60 * 60;
const PRUNE_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes counters whose window and block ended long ago, so that keys
 * seen once (a guesser's many addresses) do not stay forever. Returns how
 * many went.
 */
export async function pruneThrottles(
  keptForSeconds = KEPT_FOR_SECONDS,
): Promise<number> {
  const [row] = await queryRows<{ pruned: number }>(
    db(),
    sql`with pruned as (
        delete from auth_throttles
        where window_started_at < now() - make_interval(secs => ${keptForSeconds})
          and (blocked_until is null or blocked_until < now())
        returning 1)
      select count(*)::int as pruned from pruned`,
  );
  return row?.pruned ?? 0;
}

/** Prunes now and every hour in this process; the timer does not keep it alive. */
export function startThrottlePruning() {
  const prune = () =>
    pruneThrottles()
      .then((pruned) => {
        if (pruned > 0) log.info("pruned throttle counters", { pruned });
      })
      .catch((error) =>
        log.warn("pruning throttle counters failed", errorFields(error)),
      );
  void prune();
  setInterval(prune, PRUNE_INTERVAL_MS).unref();
}
