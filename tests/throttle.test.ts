import { randomBytes } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { authThrottles } from "@/db/schema";
import {
  blockedSeconds,
  pruneThrottles,
  recordFailure,
  type ThrottlePolicy,
} from "@/lib/throttle";

const policy: ThrottlePolicy = {
  limit: 2,
  windowSeconds: 60,
  blockSeconds: 60,
};

// The run's database is shared by every test file: each key is unique.
const uniqueKey = (name: string) =>
  `test:${name}:${randomBytes(4).toString("hex")}`;

async function age(
  key: string,
  windowAge: string,
  blockedUntil: string | null,
) {
  await db()
    .update(authThrottles)
    .set({
      windowStartedAt: sql`now() - ${windowAge}::interval`,
      blockedUntil: blockedUntil
        ? sql`now() + ${blockedUntil}::interval`
        : null,
    })
    .where(inArray(authThrottles.key, [key]));
}

describe("throttle counters", () => {
  it("block a key at the limit of failures in a window", async () => {
    const key = uniqueKey("limit");
    await recordFailure(key, policy);
    expect(await blockedSeconds(key)).toBe(0);
    await recordFailure(key, policy);
    expect(await blockedSeconds(key)).toBeGreaterThan(55);
  });

  it("are pruned once their window and block are long over, and only then", async () => {
    const stale = uniqueKey("stale");
    const recent = uniqueKey("recent");
    const stillBlocked = uniqueKey("blocked");
    for (const key of [stale, recent, stillBlocked])
      await recordFailure(key, policy);
    await age(stale, "2 days", null);
    await age(recent, "1 hour", null);
    await age(stillBlocked, "2 days", "1 minute");

    // An app server started by another test file may prune first; what is
    // left is the same either way.
    await pruneThrottles();
    const left = await db()
      .select({ key: authThrottles.key })
      .from(authThrottles)
      .where(inArray(authThrottles.key, [stale, recent, stillBlocked]));
    expect(left.map((row) => row.key).sort()).toEqual(
      [recent, stillBlocked].sort(),
    );
  });
});
