import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import {
  emailOutbox,
  events,
  groupMembers,
  groups,
  members,
} from "@/db/schema";
import { USER_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA } from "@/lib/scim/schemas";
import {
  sharedDatabaseSkipReason,
  startAppServer,
  type AppServer,
  type HttpResult,
} from "../support/app-server";
import { scimErrorProblems } from "../support/scim-errors";
import {
  scimOrganization,
  type ScimOrganization,
} from "../support/scim-organizations";

/**
 * Identity providers retry and send in parallel: Okta pushes a group's
 * members with many connections at once, and a timed-out request comes
 * again while the first one still runs. These tests race real HTTP
 * requests against the production server and check that the database ends
 * in one consistent state, with one event per change.
 */

const skip = sharedDatabaseSkipReason();
const RACERS = 50;

let server: AppServer;
let org: ScimOrganization;
const statuses: number[] = [];

function scim(path: string, init: Parameters<AppServer["scim"]>[2] = {}) {
  return server.scim(org, path, init).then((result) => {
    statuses.push(result.status);
    return result;
  });
}

function race<T>(count: number, request: (index: number) => Promise<T>) {
  return Promise.all(
    Array.from({ length: count }, (_, index) => request(index)),
  );
}

function tally(values: number[]) {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

const countStatuses = (results: HttpResult[]) =>
  tally(results.map((result) => result.status));

function expectConflicts(results: HttpResult[]) {
  for (const result of results.filter((r) => r.status === 409)) {
    expect(scimErrorProblems(409, result.body)).toEqual([]);
    expect(result.body.scimType).toBe("uniqueness");
  }
}

const patchOp = (...Operations: object[]) => ({
  schemas: [PATCH_OP_SCHEMA],
  Operations,
});

async function createUser(userName: string) {
  const created = await scim("/Users", {
    body: { schemas: [USER_SCHEMA], userName, active: true },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function createGroup(displayName: string) {
  const created = await scim("/Groups", {
    body: { schemas: [GROUP_SCHEMA], displayName },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function eventsOf(targetId: string) {
  return db()
    .select()
    .from(events)
    .where(
      and(
        eq(events.organizationId, org.organizationId),
        eq(events.targetId, targetId),
      ),
    )
    .orderBy(asc(events.id));
}

describe.skipIf(skip)(
  skip
    ? `concurrent SCIM requests (skipped: ${skip})`
    : "concurrent SCIM requests",
  () => {
    beforeAll(async () => {
      server = await startAppServer({ databaseUrl: process.env.DATABASE_URL! });
      org = await scimOrganization(db(), "Concurrency");
    }, 240_000);

    afterAll(async () => {
      await server?.stop();
      if (!server) return;
      console.log(
        `concurrency: ${statuses.length} requests, statuses ${JSON.stringify(tally(statuses))}`,
      );
    });

    it(`creates one member from ${RACERS} concurrent POSTs of one userName`, async () => {
      const userName = "race.one@example.com";
      const results = await race(RACERS, () =>
        scim("/Users", {
          body: {
            schemas: [USER_SCHEMA],
            userName,
            name: { givenName: "Race" },
          },
        }),
      );

      expect(countStatuses(results)).toEqual({ 201: 1, 409: RACERS - 1 });
      expectConflicts(results);
      const rows = await db()
        .select()
        .from(members)
        .where(eq(members.organizationId, org.organizationId))
        .then((all) =>
          all.filter((m) => m.userName.toLowerCase() === userName),
        );
      expect(rows).toHaveLength(1);
      const created = results.find((r) => r.status === 201)!;
      expect(rows[0].id).toBe(created.body.id);
      const provisioned = (await eventsOf(rows[0].id)).filter(
        (event) => event.type === "member.provisioned",
      );
      expect(provisioned).toHaveLength(1);
      const invitations = await db()
        .select()
        .from(emailOutbox)
        .where(eq(emailOutbox.recipient, userName));
      expect(invitations).toHaveLength(1);
    });

    it("treats userNames that differ only in letter case as one under a race", async () => {
      const results = await race(RACERS, (index) =>
        scim("/Users", {
          body: {
            schemas: [USER_SCHEMA],
            userName:
              index % 2 ? "Case.Race@Example.com" : "case.race@example.COM",
          },
        }),
      );
      expect(countStatuses(results)).toEqual({ 201: 1, 409: RACERS - 1 });
      expectConflicts(results);
    });

    it(`deletes a member once under ${RACERS} concurrent DELETEs`, async () => {
      const id = await createUser("race.delete@example.com");
      const results = await race(RACERS, () =>
        scim(`/Users/${id}`, { method: "DELETE" }),
      );

      expect(countStatuses(results)).toEqual({ 204: 1, 404: RACERS - 1 });
      for (const result of results.filter((r) => r.status === 404)) {
        expect(scimErrorProblems(404, result.body)).toEqual([]);
      }
      const removed = (await eventsOf(id)).filter(
        (e) => e.type === "member.removed",
      );
      expect(removed).toHaveLength(1);
    });

    it(`leaves one membership row after ${RACERS} concurrent PATCH adds of one member`, async () => {
      const memberId = await createUser("race.member@example.com");
      const groupId = await createGroup("Race Adders");

      const results = await race(RACERS, (index) =>
        scim(`/Groups/${groupId}`, {
          method: "PATCH",
          body:
            index % 2
              ? patchOp({
                  op: "add",
                  path: "members",
                  value: [{ value: memberId }],
                })
              : patchOp({ op: "add", path: `members[value eq "${memberId}"]` }),
        }),
      );

      expect(results.every((r) => r.status === 204 || r.status === 200)).toBe(
        true,
      );
      const rows = await db()
        .select()
        .from(groupMembers)
        .where(eq(groupMembers.groupId, groupId));
      expect(rows).toEqual([expect.objectContaining({ memberId })]);
      const changes = (await eventsOf(groupId)).filter(
        (e) => e.type === "group.members_changed",
      );
      expect(changes).toHaveLength(1);
      const [group] = await db()
        .select()
        .from(groups)
        .where(eq(groups.id, groupId));
      // One change, one version bump: the ETag moved exactly once.
      expect(group.version).toBe(2);
    });

    it("ends a revoke and restore race in the state of the last committed request", async () => {
      const id = await createUser("race.toggle@example.com");
      const before = await scim(`/Users/${id}`);
      const initialVersion = Number(
        /\d+/.exec(before.headers.etag as string)![0],
      );

      const results = await race(40, (index) =>
        scim(`/Users/${id}`, {
          method: "PATCH",
          body: patchOp({
            op: "replace",
            path: "active",
            // Entra's string booleans and plain ones, interleaved.
            value:
              index % 4 === 0
                ? "False"
                : index % 4 === 1
                  ? true
                  : index % 4 === 2
                    ? false
                    : "True",
          }),
        }),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);

      const [stored] = await db()
        .select()
        .from(members)
        .where(eq(members.id, id));
      const versions = results.map((r) => r.body.meta.version as string);
      const versionOf = (etag: string) => Number(/\d+/.exec(etag)![0]);
      const last = Math.max(...versions.map(versionOf));
      // Every response that saw the final version agrees with the stored state.
      const lastResponses = results.filter(
        (r) => versionOf(r.body.meta.version) === last,
      );
      for (const response of lastResponses) {
        expect(response.body.active).toBe(stored.status !== "revoked");
      }
      expect(stored.version).toBe(last);
      expect(stored.statusBeforeRevocation !== null).toBe(
        stored.status === "revoked",
      );
      expect(["invited", "revoked"]).toContain(stored.status);

      // One event per applied change, alternating, none for the no-ops.
      const changes = (await eventsOf(id)).filter(
        (e) => e.type === "member.revoked" || e.type === "member.restored",
      );
      expect(changes).toHaveLength(stored.version - initialVersion);
      changes.forEach((event, index) =>
        expect(event.type).toBe(
          index % 2 === 0 ? "member.revoked" : "member.restored",
        ),
      );
      const finalType = changes.at(-1)?.type;
      if (finalType) {
        expect(finalType === "member.revoked").toBe(
          stored.status === "revoked",
        );
      }
    });

    it("lets one of several concurrent group renames to one name win", async () => {
      const ids = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          createGroup(`Rename Source ${index}`),
        ),
      );
      const results = await race(ids.length, (index) =>
        scim(`/Groups/${ids[index]}`, {
          method: "PATCH",
          body: patchOp(
            index % 2
              ? {
                  op: "replace",
                  value: { id: ids[index], displayName: "Renamed Together" },
                }
              : {
                  op: "replace",
                  path: "displayName",
                  value: "renamed TOGETHER",
                },
          ),
        }),
      );

      const won = results.filter((r) => r.status === 204 || r.status === 200);
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(
        ids.length - 1,
      );
      expectConflicts(results);
      const rows = await db()
        .select()
        .from(groups)
        .where(inArray(groups.id, ids));
      const renamed = rows.filter(
        (g) => g.displayName.toLowerCase() === "renamed together",
      );
      expect(renamed).toHaveLength(1);
      const renameEvents = await db()
        .select({ count: sql<number>`count(*)::int` })
        .from(events)
        .where(
          and(inArray(events.targetId, ids), eq(events.type, "group.renamed")),
        );
      expect(renameEvents[0].count).toBe(1);
    });

    it(`creates one group from ${RACERS} concurrent POSTs of one displayName`, async () => {
      const results = await race(RACERS, (index) =>
        scim("/Groups", {
          body: {
            schemas: [GROUP_SCHEMA],
            displayName: index % 2 ? "Race Group" : "RACE group",
          },
        }),
      );
      expect(countStatuses(results)).toEqual({ 201: 1, 409: RACERS - 1 });
      expectConflicts(results);
    });

    it("answered no request with a 500 and logged no unexpected error", () => {
      expect(statuses.length).toBeGreaterThan(RACERS * 5);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(server.output()).not.toMatch(
        /unexpected error|outside the handler/,
      );
    });
  },
);
