import {
  Agent,
  createServer,
  request as httpRequest,
  type Server,
} from "node:http";
import { once } from "node:events";
import { connect, type AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { groups, members } from "@/db/schema";
import { toWebRequest, writeWebResponse } from "@/lib/http/node-adapter";
import { handleScimRequest } from "@/lib/scim/handler";
import { GROUP_SCHEMA, USER_SCHEMA } from "@/lib/scim/schemas";
import { queryRows } from "@/db/rows";
import { checkInvariants, countEvents } from "../support/invariants";
import { scimErrorProblems } from "../support/scim-errors";
import {
  scimOrganization,
  type ScimOrganization,
} from "../support/scim-organizations";
import { fuzzRequest, type FuzzRequest, type IdPool } from "./arbitraries";

/**
 * Hostile input (SPEC 3.1: no input ever produces a 500 or a stack trace).
 * Generated requests go over real HTTP to the SCIM handler, served the way
 * server.ts serves it. FUZZ_RUNS requests (10 000 by default, 100 000 with
 * `npm run fuzz`), from a fixed seed unless FUZZ_SEED says otherwise
 * (FUZZ_SEED=random picks one and prints it).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const DEFAULT_SEED = 7644;
const seed =
  process.env.FUZZ_SEED === "random"
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
/** Requests sent at once: races come for free. */
const BATCH = 4;
/** A raw-socket fault follows every this many batches. */
const CONNECTION_FAULT_EVERY = 25;
/** Invariants are checked after every this many requests, and at the end. */
const CHECK_EVERY = 1_000;

interface Failure {
  problem: string;
  request: FuzzRequest;
  status: number;
  response: string;
}

const stats = {
  requests: 0,
  faults: 0,
  invariantChecks: 0,
  statuses: {} as Record<number, number>,
  connectionFaults: {} as Record<string, number>,
  writes: {
    userCreated: 0,
    userDeleted: 0,
    groupCreated: 0,
    groupDeleted: 0,
    updates: 0,
  },
};
const failures: Failure[] = [];
const invariantViolations: string[] = [];

let server: Server;
let baseUrl: string;
let org: ScimOrganization;
let foreign: ScimOrganization;
let foreignSnapshot: string;
const agent = new Agent({ keepAlive: true, maxSockets: BATCH * 2 });
const pool: IdPool = {
  users: [],
  groups: [],
  foreignUsers: [],
  foreignGroups: [],
};
let faultAddress = 0;

/** The same glue as server.ts: SCIM handler behind node:http, errors caught. */
function startServer(): Promise<Server> {
  const created = createServer(async (req, res) => {
    try {
      const response = await handleScimRequest(await toWebRequest(req), {
        clientAddress: req.headers["x-fuzz-client"] as string,
      });
      await writeWebResponse(res, response);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  return new Promise((resolve) =>
    created.listen(0, "127.0.0.1", () => resolve(created)),
  );
}

function send(request: FuzzRequest): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}> {
  const headers: Record<string, string> = { ...request.headers };
  const key = {
    valid: org.apiKey,
    none: undefined,
    wrong: "scim_" + "x".repeat(43),
    foreign: foreign.apiKey,
    malformed: `Basic ${org.apiKey}`,
  }[request.auth];
  if (key)
    headers.authorization =
      request.auth === "malformed" ? key : `Bearer ${key}`;
  // Failed authentication is throttled per client: faults come from
  // addresses of their own, so that the valid requests are never slowed.
  headers["x-fuzz-client"] = request.fault
    ? `fault-${faultAddress++ % 200}`
    : "fuzz";
  const body =
    typeof request.body === "string"
      ? Buffer.from(request.body, "utf8")
      : request.body;
  if (body !== undefined) headers["content-length"] = String(body.byteLength);
  const path = request.rootPath
    ? request.path
    : `/scim/v2/${org.organizationId}${request.path}`;

  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}${path}`,
      { method: request.method, headers, agent, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Everything wrong with one response, by SPEC 3.1 and RFC 7644 §3.12. */
function problemsOf(
  request: FuzzRequest,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
): string[] {
  const problems: string[] = [];
  const notImplemented = /^\/(bulk|me)(\/|\?|$)/i.test(request.path);
  if (status >= 500 && !(status === 501 && notImplemented))
    problems.push(`answered ${status}`);
  if (!request.fault && status === 429)
    problems.push("throttled a client that never failed to authenticate");
  if (request.method === "HEAD" || status === 204 || status === 304)
    return problems;

  const contentType = String(headers["content-type"] ?? "");
  if (!contentType.startsWith("application/scim+json"))
    problems.push(`content-type ${contentType || "missing"}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push("the body is not JSON");
    return problems;
  }
  if (status >= 400) {
    problems.push(...scimErrorProblems(status, body));
    return problems;
  }
  const resource = body as Record<string, unknown>;
  if (!Array.isArray(resource?.schemas))
    problems.push("a success without schemas");
  if (status === 201) {
    const meta = resource.meta as { location?: string } | undefined;
    if (!headers.location) problems.push("201 without a Location");
    else if (meta?.location && headers.location !== meta.location)
      problems.push("Location is not meta.location");
  }
  if (
    Array.isArray(resource?.schemas) &&
    resource.schemas.includes(
      "urn:ietf:params:scim:api:messages:2.0:ListResponse",
    )
  ) {
    const list = resource as {
      totalResults?: unknown;
      itemsPerPage?: unknown;
      Resources?: unknown;
    };
    if (!Number.isInteger(list.totalResults))
      problems.push("totalResults is not an integer");
    if (!Array.isArray(list.Resources)) problems.push("Resources is missing");
    else if (list.itemsPerPage !== list.Resources.length)
      problems.push("itemsPerPage is not the number returned");
  }
  return problems;
}

/** Counts acknowledged writes, and feeds new ids back to the generators. */
function track(request: FuzzRequest, status: number, text: string) {
  if (request.auth !== "valid" || request.rootPath) return;
  const path = request.path.split("?")[0];
  const method = request.method.toUpperCase();
  const collection = /^\/(users|groups)\/?$/i.exec(path)?.[1]?.toLowerCase();
  const single = /^\/(users|groups)\/([^/]+)$/i.exec(path);
  if (method === "POST" && collection && status === 201) {
    const id = JSON.parse(text).id as string;
    if (collection === "users") {
      stats.writes.userCreated += 1;
      pool.users.push(id);
    } else {
      stats.writes.groupCreated += 1;
      pool.groups.push(id);
    }
  } else if (method === "DELETE" && single && status === 204) {
    if (single[1].toLowerCase() === "users") stats.writes.userDeleted += 1;
    else stats.writes.groupDeleted += 1;
  } else if (
    (method === "PUT" || method === "PATCH") &&
    single &&
    status < 300
  ) {
    stats.writes.updates += 1;
  }
}

/**
 * Broken framing only a raw socket can send. Whatever Node's parser or the
 * adapter make of it, the answer (if any) is no 5xx, and the server goes on.
 */
const connectionFaults: {
  kind: string;
  bytes: (id: string, key: string) => string;
}[] = [
  {
    kind: "body cut off by a hang-up",
    bytes: (id, key) =>
      `POST /scim/v2/${id}/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Length: 500\r\n\r\n{"userName":`,
  },
  { kind: "not HTTP", bytes: () => "\u0016\u0003\u0001garbage\r\n\r\n" },
  {
    kind: "two Content-Length headers",
    bytes: (id, key) =>
      `POST /scim/v2/${id}/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}`,
  },
  {
    kind: "a malformed chunk",
    bytes: (id, key) =>
      `POST /scim/v2/${id}/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
  },
  {
    kind: "headers that never end",
    bytes: (id) => `GET /scim/v2/${id}/Users HTTP/1.1\r\nHost: x\r\nX-Slow: `,
  },
];

async function connectionFault(index: number) {
  const fault = connectionFaults[index % connectionFaults.length];
  stats.requests += 1;
  stats.faults += 1;
  const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
  const received: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => received.push(chunk));
  socket.on("error", () => {});
  await once(socket, "connect");
  socket.write(fault.bytes(org.organizationId, org.apiKey));
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.destroy();
  const answer = Buffer.concat(received).toString("latin1");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
  const outcome = `${fault.kind}: ${status || "closed"}`;
  stats.connectionFaults[outcome] = (stats.connectionFaults[outcome] ?? 0) + 1;
  if (status >= 500) {
    failures.push({
      problem: `answered ${status} to ${fault.kind}`,
      request: {
        kind: `connection fault: ${fault.kind}`,
        method: "RAW",
        path: "",
        headers: {},
        auth: "valid",
        fault: true,
      },
      status,
      response: answer.slice(0, 300),
    });
  }
}

async function fire(request: FuzzRequest) {
  stats.requests += 1;
  if (request.fault) stats.faults += 1;
  try {
    const response = await send(request);
    stats.statuses[response.status] =
      (stats.statuses[response.status] ?? 0) + 1;
    for (const problem of problemsOf(
      request,
      response.status,
      response.headers,
      response.text,
    )) {
      failures.push({
        problem,
        request,
        status: response.status,
        response: response.text.slice(0, 300),
      });
    }
    track(request, response.status, response.text);
  } catch (error) {
    failures.push({
      problem: `no response: ${String(error)}`,
      request,
      status: 0,
      response: "",
    });
  }
}

async function checkDatabase() {
  const report = await checkInvariants(db(), [
    org.organizationId,
    foreign.organizationId,
  ]);
  stats.invariantChecks += report.checked;
  invariantViolations.push(...report.violations);
}

async function snapshot(organizationId: string) {
  const rows = await queryRows(
    db(),
    sql`select (select json_agg(m order by m.id) from members m where m.organization_id = ${organizationId}) as members,
      (select json_agg(g order by g.id) from groups g where g.organization_id = ${organizationId}) as groups,
      (select count(*) from group_members gm join groups g on g.id = gm.group_id where g.organization_id = ${organizationId}) as links`,
  );
  return JSON.stringify(rows);
}

function describeRequest(request: FuzzRequest) {
  const body =
    request.body === undefined
      ? ""
      : typeof request.body === "string"
        ? request.body.length > 400
          ? `${request.body.slice(0, 400)}… (${request.body.length} chars)`
          : request.body
        : `bytes ${Buffer.from(request.body).toString("hex").slice(0, 80)}`;
  return `${request.method} ${request.path.slice(0, 300)} auth=${request.auth} headers=${JSON.stringify(request.headers).slice(0, 200)} body=${body}`;
}

function valid(method: string, path: string, body?: object): FuzzRequest {
  return {
    kind: `${method} ${path}`,
    method,
    path,
    headers: { "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    auth: "valid",
    fault: false,
  };
}

describe("hostile SCIM requests", () => {
  beforeAll(async () => {
    server = await startServer();
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    org = await scimOrganization(db(), "Fuzzed");
    foreign = await scimOrganization(db(), "Bystander");

    // Resources to aim at: a few of ours, a few of a bystander organization.
    for (const [target, ids, kind] of [
      [org, pool.users, "Users"],
      [foreign, pool.foreignUsers, "Users"],
      [org, pool.groups, "Groups"],
      [foreign, pool.foreignGroups, "Groups"],
    ] as const) {
      for (let index = 0; index < 4; index++) {
        const body =
          kind === "Users"
            ? {
                schemas: [USER_SCHEMA],
                userName: `seed.${index}.${target.organizationId}@example.com`,
              }
            : { schemas: [GROUP_SCHEMA], displayName: `Seed ${index}` };
        const response = await fetch(
          `${baseUrl}/scim/v2/${target.organizationId}/${kind}`,
          {
            method: "POST",
            headers: {
              authorization: `Bearer ${target.apiKey}`,
              "x-fuzz-client": "seed",
            },
            body: JSON.stringify(body),
          },
        );
        expect(response.status).toBe(201);
        ids.push(((await response.json()) as { id: string }).id);
      }
    }
    stats.writes.userCreated = 4;
    stats.writes.groupCreated = 4;
    foreignSnapshot = await snapshot(foreign.organizationId);
  });

  afterAll(async () => {
    agent.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  // Inputs that once produced a 500 (each found by this fuzzer), pinned so
  // that they stay fixed whatever the seed.
  const regressions: [string, FuzzRequest][] = [
    [
      "a NUL in a Group name",
      valid("POST", "/Groups", { displayName: "a\u0000b" }),
    ],
    [
      "a NUL in a User attribute",
      valid("POST", "/Users", {
        userName: "nul@example.com",
        displayName: "x\u0000",
      }),
    ],
    [
      "a NUL in an ignored userName",
      valid("PUT", "/Users/SEED", { userName: "\u0000x@example.com" }),
    ],
    [
      "a NUL in a key",
      valid("POST", "/Users", {
        userName: "key@example.com",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
          "a\u0000": "x",
        },
      }),
    ],
    [
      "a lone surrogate in a jsonb attribute",
      valid("PUT", "/Users/SEED", {
        userName: "seed@example.com",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
          employeeNumber: "\udfff",
        },
      }),
    ],
    [
      "a lone surrogate in a Group name",
      valid("POST", "/Groups", { displayName: "\ud800x" }),
    ],
    [
      "a NUL in a filter",
      valid(
        "GET",
        `/Users?filter=${encodeURIComponent('userName eq "a\u0000"')}`,
      ),
    ],
    [
      "a NUL in a .search filter",
      valid("POST", "/Groups/.search", { filter: 'displayName eq "\u0000"' }),
    ],
    [
      "a startIndex of 1e184",
      valid("POST", "/Users/.search", { startIndex: 1.8e184 }),
    ],
    [
      "a count of 1e300",
      valid("POST", "/Groups/.search", { count: 1e300, startIndex: 4e58 }),
    ],
    ["TRACE", { ...valid("TRACE", "/Users"), fault: true }],
  ];
  for (const [name, request] of regressions) {
    it(`answers ${name} with a SCIM 4xx`, async () => {
      const path = request.path.replace("SEED", pool.users[0]);
      const response = await send({ ...request, path });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(
        scimErrorProblems(response.status, JSON.parse(response.text)),
      ).toEqual([]);
    });
  }

  it(
    `answers ${RUNS} generated requests without a 5xx, each error a SCIM error, the database consistent`,
    async () => {
      const started = performance.now();
      let batches = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fuzzRequest(() => pool),
            { minLength: BATCH, maxLength: BATCH },
          ),
          async (requests) => {
            await Promise.all(requests.map(fire));
            batches += 1;
            if (batches % CONNECTION_FAULT_EVERY === 0) {
              await connectionFault(batches / CONNECTION_FAULT_EVERY);
            }
            if ((batches * BATCH) % CHECK_EVERY === 0) await checkDatabase();
          },
        ),
        { numRuns: Math.ceil(RUNS / BATCH), seed, endOnFailure: true },
      );
      await checkDatabase();

      // Every acknowledged create and delete has exactly its event.
      const eventCounts = await countEvents(db(), org.organizationId);
      const eventMismatches = [
        ["member.provisioned", stats.writes.userCreated],
        ["member.removed", stats.writes.userDeleted],
        ["group.created", stats.writes.groupCreated],
        ["group.deleted", stats.writes.groupDeleted],
      ]
        .filter(([type, count]) => (eventCounts[type as string] ?? 0) !== count)
        .map(
          ([type, count]) =>
            `${type}: ${eventCounts[type as string] ?? 0} events for ${count} acknowledged writes`,
        );
      stats.invariantChecks += 4;

      // Nothing reached the bystander organization.
      const untouched =
        (await snapshot(foreign.organizationId)) === foreignSnapshot;
      stats.invariantChecks += 1;

      const [{ users }] = await db()
        .select({ users: sql<number>`count(*)::int` })
        .from(members)
        .where(eq(members.organizationId, org.organizationId));
      const [{ groupCount }] = await db()
        .select({ groupCount: sql<number>`count(*)::int` })
        .from(groups)
        .where(eq(groups.organizationId, org.organizationId));
      const seconds = (performance.now() - started) / 1000;
      const distinct = new Map<string, Failure>();
      for (const failure of failures) {
        const key = `${failure.request.kind} ${failure.status} ${failure.problem}`;
        if (!distinct.has(key)) distinct.set(key, failure);
      }
      console.log(
        [
          `fuzz: seed ${seed} (replay with FUZZ_SEED=${seed})`,
          `fuzz: ${stats.requests} requests sent in ${seconds.toFixed(1)} s, ${stats.faults} faults injected, ` +
            `${stats.invariantChecks} invariants checked, ${failures.length + invariantViolations.length + eventMismatches.length + (untouched ? 0 : 1)} failures`,
          `fuzz: statuses ${JSON.stringify(stats.statuses)}`,
          `fuzz: connection faults ${JSON.stringify(stats.connectionFaults)}`,
          `fuzz: acknowledged ${JSON.stringify(stats.writes)}; ${users} Users and ${groupCount} Groups remain`,
          ...[...distinct.values()]
            .slice(0, 25)
            .map(
              (failure) =>
                `fuzz failure: ${failure.problem} (${failure.status}) ← ${describeRequest(failure.request)} → ${failure.response}`,
            ),
          ...invariantViolations
            .slice(0, 10)
            .map((violation) => `fuzz invariant broken: ${violation}`),
          ...eventMismatches.map(
            (mismatch) => `fuzz event mismatch: ${mismatch}`,
          ),
        ].join("\n"),
      );

      expect(stats.requests).toBeGreaterThanOrEqual(RUNS);
      expect([...distinct.keys()]).toEqual([]);
      expect(invariantViolations).toEqual([]);
      expect(eventMismatches).toEqual([]);
      expect(untouched).toBe(true);
    },
    RUNS * 30 + 120_000,
  );
});
