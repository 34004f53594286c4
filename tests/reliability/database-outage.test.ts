import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_SCHEMA } from "@/lib/scim/schemas";
import {
  sleep,
  startAppServer,
  type AppServer,
  type HttpResult,
} from "../support/app-server";
import {
  clusterSkipReason,
  startCluster,
  type PgCluster,
} from "../support/pg-cluster";
import { scimErrorProblems } from "../support/scim-errors";
import {
  connectTo,
  scimOrganization,
  type ScimOrganization,
} from "../support/scim-organizations";

/**
 * PostgreSQL restarts: for maintenance, after a crash, on a failover. The
 * server must answer what an identity provider can act on (503 with
 * Retry-After, quickly, so that it retries later), must not lose what it
 * acknowledged, and must come back by itself.
 */

const skip = clusterSkipReason();
const WORKERS = 6;
/** How long PostgreSQL stays down. */
const OUTAGE_MS = 6_000;
/** What "fast" means: a refusal, or a recovery, within this. */
const FAST_MS = 2_500;

interface Outcome {
  status: number;
  ms: number;
  startedAt: number;
  userName: string;
  result?: HttpResult;
  /** Set when the HTTP exchange itself failed. */
  transportError?: string;
}

let cluster: PgCluster;
let server: AppServer;
let org: ScimOrganization;
let connection: ReturnType<typeof connectTo>;

/** Provisioning load from several parallel clients until stopped. */
function startLoad(tag: string) {
  const outcomes: Outcome[] = [];
  let running = true;
  let counter = 0;
  const loops = Array.from({ length: WORKERS }, async () => {
    while (running) {
      const userName = `${tag}.${counter++}@example.com`;
      const startedAt = Date.now();
      try {
        const result = await server.scim(org, "/Users", {
          body: { schemas: [USER_SCHEMA], userName },
          timeoutMs: 20_000,
        });
        outcomes.push({
          status: result.status,
          ms: result.ms,
          startedAt,
          userName,
          result,
        });
      } catch (error) {
        outcomes.push({
          status: 0,
          ms: Date.now() - startedAt,
          startedAt,
          userName,
          transportError: String(error),
        });
      }
      // A client that was refused waits a little, as identity providers do.
      if (outcomes.at(-1)!.status !== 201) await sleep(50);
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  ms: number,
) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return Date.now();
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

describe.skipIf(skip)(
  skip ? `database outage (skipped: ${skip})` : "database outage",
  () => {
    beforeAll(async () => {
      cluster = await startCluster();
      connection = connectTo(cluster.url);
      server = await startAppServer({ databaseUrl: cluster.url });
      org = await scimOrganization(connection.db, "Outage");
    }, 240_000);

    afterAll(async () => {
      await server?.stop();
      await connection?.close();
      await cluster?.destroy();
    });

    for (const mode of ["immediate", "fast"] as const) {
      it(`answers 503 fast while PostgreSQL is down (${mode} stop), recovers by itself and keeps every acknowledged write`, async () => {
        const load = startLoad(`outage-${mode}`);
        await sleep(1_500);

        await cluster.stop(mode);
        const stopDone = Date.now();
        const health = await server.call("/api/health", { timeoutMs: 10_000 });
        await sleep(OUTAGE_MS - 1_000);
        const healthLater = await server.call("/api/health", {
          timeoutMs: 10_000,
        });
        await sleep(1_000);

        const restartBegan = Date.now();
        await cluster.start();
        const restartedAt = Date.now();
        const recoveredAt = await waitFor(
          "a provisioning request to succeed again",
          async () =>
            load.outcomes.some(
              (o) => o.status === 201 && o.startedAt > restartedAt,
            ),
          30_000,
        );
        await sleep(500);
        await load.stop();
        const healthAfter = await server.call("/api/health");

        const outcomes = load.outcomes;
        // Requests that began early enough in the outage to be answered in it.
        const during = outcomes.filter(
          (o) =>
            o.startedAt >= stopDone && o.startedAt < restartBegan - FAST_MS,
        );
        // Requests caught mid-flight by the stop itself may wait out a
        // connection attempt; the promise is about requests made while down.
        const slowest = [...during].sort((a, b) => b.ms - a.ms)[0];
        console.log(
          `database outage (${mode}): ${outcomes.length} requests, ` +
            `${outcomes.filter((o) => o.status === 201).length} created, ` +
            `${outcomes.filter((o) => o.status === 503).length} refused with 503 ` +
            `(median ${median(during.map((o) => o.ms)).toFixed(0)} ms while down, ` +
            `slowest ${slowest.ms.toFixed(0)} ms with ${slowest.status}), ` +
            `recovered ${recoveredAt - restartedAt} ms after PostgreSQL was back`,
        );

        // Only two answers: created, or "try again later".
        expect(outcomes.filter((o) => o.transportError)).toEqual([]);
        expect(
          outcomes.filter((o) => o.status !== 201 && o.status !== 503),
        ).toEqual([]);
        for (const refused of outcomes.filter((o) => o.status === 503)) {
          expect(scimErrorProblems(503, refused.result!.body)).toEqual([]);
          expect(
            Number(refused.result!.headers["retry-after"]),
          ).toBeGreaterThan(0);
          expect(refused.result!.headers["content-type"]).toMatch(
            /^application\/scim\+json/,
          );
        }

        // While down: refused, and fast, not held until PostgreSQL is back.
        expect(during.length).toBeGreaterThan(WORKERS);
        expect(during.filter((o) => o.status !== 503)).toEqual([]);
        expect(median(during.map((o) => o.ms))).toBeLessThan(500);
        expect(slowest.ms).toBeLessThan(FAST_MS);
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({ status: "unavailable" });
        expect(healthLater.status).toBe(503);
        expect(health.ms).toBeLessThan(3_000);

        // Back without a restart of the app.
        expect(healthAfter.status).toBe(200);
        expect(recoveredAt - restartedAt).toBeLessThan(FAST_MS);

        // Every acknowledged member is stored, with its event and invitation.
        const acknowledged = outcomes
          .filter((o) => o.status === 201)
          .map((o) => o.result!.body.id as string);
        expect(acknowledged.length).toBeGreaterThan(WORKERS);
        const stored = await connection.sql<
          { id: string; events: number; emails: number }[]
        >`
          select m.id,
            (select count(*)::int from events e
              where e.target_id = m.id::text and e.type = 'member.provisioned') as events,
            (select count(*)::int from email_outbox o
              where o.recipient = m.email and o.kind = 'invitation') as emails
          from members m where m.id = any(${acknowledged}::uuid[])`;
        expect(stored).toHaveLength(acknowledged.length);
        expect(
          stored.filter((row) => row.events !== 1 || row.emails !== 1),
        ).toEqual([]);
      }, 60_000);
    }

    it("logged each outage as a warning, never as an unexpected error", () => {
      const output = server.output();
      expect(output).toMatch(/database unavailable/);
      expect(output).not.toMatch(/unexpected error|outside the handler/);
    });
  },
);
