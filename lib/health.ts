import { sql } from "drizzle-orm";
import { databaseKind, db } from "@/db/client";
import { errorFields, log } from "@/lib/log";

const timeoutMs = 2_000;

/** Whether the database answers a trivial query within two seconds. */
export async function databaseHealth() {
  const started = performance.now();
  try {
    await Promise.race([
      db().execute(sql`select 1`),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error("database timed out")),
          timeoutMs,
        ).unref(),
      ),
    ]);
    return {
      status: "ok" as const,
      database: {
        kind: databaseKind(),
        reachable: true,
        latencyMs: Math.round(performance.now() - started),
      },
    };
  } catch (error) {
    log.warn("health check failed", errorFields(error));
    return {
      status: "unavailable" as const,
      database: { kind: databaseKind(), reachable: false },
    };
  }
}
