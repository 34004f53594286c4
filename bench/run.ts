/**
 * `npm run bench`: the SCIM service under identity-provider load, beside a
 * floor that does the same database work with nothing above it. See
 * bench/README.md for how to read the output.
 */
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, inArray } from "drizzle-orm";
import { groupMembers } from "@/db/schema";
import { signIn, timePage } from "./console-page";
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  membersOf,
  openDatabase,
  seedGroup,
  seedMembers,
  seededUserName,
  settle,
  type BenchDatabase,
} from "./database";
import {
  mergeResults,
  runLoad,
  summarize,
  type LoadResult,
  type RequestSpec,
} from "./load";
import { parseOptions, wants, type BenchOptions } from "./options";
import { summarizeProfiles } from "./profile-summary";
import {
  errorsOf,
  ratio,
  side,
  table,
  targetTable,
  type Target,
  type WorkloadResult,
} from "./report";
import {
  projectRoot,
  runCommand,
  startServer,
  type ServerProcess,
} from "./servers";
import {
  createRequests,
  lookupRequests,
  membershipRequests,
  mixRequests,
  oktaUser,
  pageRequests,
  scimHeaders,
  type BenchUser,
} from "./workloads";

const options = parseOptions(process.argv.slice(2));
const started = performance.now();
const distDir = ".next-bench";
const resultsDir = path.join(projectRoot, "bench", "results");

function progress(message: string) {
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stderr.write(`bench [${seconds.padStart(4)} s] ${message}\n`);
}

/** The newest modification time under the folders a Next build reads. */
function newestSource(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = statSync(entry, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of readdirSync(entry)) visit(path.join(entry, name));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const entry of [
    "app",
    "components",
    "lib",
    "db",
    "next.config.js",
    "proxy.ts",
    "instrumentation.ts",
    "package.json",
  ]) {
    visit(path.join(projectRoot, entry));
  }
  return newest;
}

async function buildIfNeeded() {
  const buildId = path.join(projectRoot, distDir, "BUILD_ID");
  const built = statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (options.build === "never" && !built) {
    throw new Error(`--build never, but ${distDir} has no build`);
  }
  const stale = newestSource() > built;
  if (options.build === "never" || (options.build === "auto" && !stale)) {
    progress(`using the build in ${distDir}`);
    return;
  }
  progress(`next build into ${distDir} (sources changed since the last build)`);
  await runCommand(
    process.execPath,
    [path.join(projectRoot, "node_modules/next/dist/bin/next"), "build"],
    {
      NEXT_DIST_DIR: distDir,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  );
}

interface Organization {
  organizationId: string;
  apiKey: string;
  basePath: string;
}

async function admin(env: Record<string, string>, args: string[]) {
  const stdout = await runCommand(
    process.execPath,
    ["--import", "tsx", "scripts/admin.ts", ...args],
    env,
  );
  return JSON.parse(stdout) as Record<string, string>;
}

async function createOrganization(
  env: Record<string, string>,
  name: string,
  owner: { email: string; password: string },
): Promise<string> {
  const { organizationId } = await admin(env, [
    "create-org",
    "--name",
    name,
    "--owner-name",
    "Bench Owner",
    "--owner-email",
    owner.email,
    "--owner-password",
    owner.password,
  ]);
  return organizationId;
}

async function enableScim(
  env: Record<string, string>,
  organizationId: string,
): Promise<Organization> {
  const { apiKey } = await admin(env, ["enable-scim", "--org", organizationId]);
  return { organizationId, apiKey, basePath: `/scim/v2/${organizationId}` };
}

function seededUsers(
  all: { id: string; userName: string }[],
  tag: string,
  from: number,
  count: number,
): BenchUser[] {
  const users: BenchUser[] = [];
  const byName = new Map(all.map((member) => [member.userName, member.id]));
  for (let index = from; index < from + count; index++) {
    const userName = seededUserName(tag, index);
    const id = byName.get(userName);
    if (!id) throw new Error(`seeded member ${userName} is missing`);
    users.push({ id, userName, index });
  }
  return users;
}

type Side = "app" | "floor";
type Sides = Record<Side, ServerProcess>;

interface CompareInput {
  headers: Record<string, string>;
  /** A fixed number of requests per side instead of `duration`. */
  amount?: number;
  warmupAmount?: number;
  only?: Side[];
  afterRound?: () => Promise<void>;
}

type Requests = (name: Side, phase: "warm-up" | "measured") => RequestSpec[];

/**
 * Runs workloads on both sides in interleaved rounds (app, floor, app,
 * floor…, and case after case within each round) after an unmeasured
 * warm-up of each, so that a drift in the machine's speed hits every side
 * and every case alike.
 */
async function compareCases(
  sides: Sides,
  cases: Requests[],
  input: CompareInput,
) {
  const names = input.only ?? (["app", "floor"] as const);
  for (const requests of cases) {
    for (const name of names) {
      await runLoad({
        url: sides[name].url,
        connections: options.connections,
        duration: input.amount ? undefined : options.warmup,
        amount: input.amount ? input.warmupAmount : undefined,
        headers: input.headers,
        requests: requests(name, "warm-up"),
      });
      await input.afterRound?.();
    }
  }

  const measured = cases.map(() => ({
    rounds: { app: [], floor: [] } as Record<Side, LoadResult[]>,
    usage: {
      app: { rssMb: 0, cpuMs: 0 },
      floor: { rssMb: 0, cpuMs: 0 },
    } as Record<Side, { rssMb: number; cpuMs: number }>,
  }));
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, requests] of cases.entries()) {
      const { rounds, usage } = measured[index];
      for (const name of names) {
        const sampler = sides[name].sample();
        rounds[name].push(
          await runLoad({
            url: sides[name].url,
            connections: options.connections,
            duration: input.amount ? undefined : options.duration,
            amount: input.amount
              ? Math.ceil(input.amount / options.rounds)
              : undefined,
            headers: input.headers,
            requests: requests(name, "measured"),
          }),
        );
        const used = sampler.stop();
        usage[name].rssMb = Math.max(usage[name].rssMb, used.rssMb);
        usage[name].cpuMs += used.cpuMs;
        await input.afterRound?.();
      }
    }
  }
  return measured.map(({ rounds, usage }) => {
    const merged = (name: Side) =>
      names.includes(name)
        ? side(mergeResults(rounds[name]), usage[name], rounds[name])
        : undefined;
    return { app: merged("app"), floor: merged("floor") };
  });
}

async function compare(
  sides: Sides,
  input: CompareInput & { requests: Requests },
) {
  const [result] = await compareCases(sides, [input.requests], input);
  return result;
}

async function scimGet(
  server: ServerProcess,
  org: Organization,
  pathname: string,
) {
  const response = await fetch(server.url + org.basePath + pathname, {
    headers: scimHeaders(org.apiKey),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** W3: a single client walks every page, as an identity provider's import does. */
async function walkUsers(
  server: ServerProcess,
  org: Organization,
  count: number,
) {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let seen = 0;
  let total = Infinity;
  const walkStarted = performance.now();
  for (let startIndex = 1; startIndex <= total; startIndex += count) {
    const pageStarted = performance.now();
    const page = await scimGet(
      server,
      org,
      `/Users?startIndex=${startIndex}&count=${count}`,
    );
    latencies.push(performance.now() - pageStarted);
    statuses[page.status] = (statuses[page.status] ?? 0) + 1;
    if (page.status !== 200) break;
    total = page.body.totalResults;
    seen += page.body.itemsPerPage;
    if (page.body.itemsPerPage === 0) break;
    if (performance.now() - walkStarted > options.walkBudget * 1000) break;
  }
  const seconds = (performance.now() - walkStarted) / 1000;
  const mean = (list: number[]) =>
    list.reduce((sum, value) => sum + value, 0) / list.length;
  return {
    result: summarize([...latencies], seconds, statuses),
    pages: latencies.length,
    seen,
    total,
    firstPagesMs: mean(latencies.slice(0, 10)),
    lastPagesMs: mean(latencies.slice(-10)),
  };
}

async function removeOutsiders(
  db: BenchDatabase,
  groupIds: string[],
  outsiders: string[],
) {
  await db
    .delete(groupMembers)
    .where(
      and(
        inArray(groupMembers.groupId, groupIds),
        inArray(groupMembers.memberId, outsiders),
      ),
    );
}

function targetsOf(results: WorkloadResult[], options: BenchOptions): Target[] {
  const find = (id: string, size?: string) =>
    results.find(
      (result) => result.id === id && (!size || result.size === size),
    );
  const targets: Target[] = [];
  const throughput = (id: string, size: string | undefined, limit: number) => {
    const result = find(id, size);
    const value = result ? ratio(result) : undefined;
    targets.push({
      name: `${id} app/floor throughput${size ? ` (${size})` : ""}`,
      limit: `>= ${limit}`,
      value:
        value === undefined
          ? (result?.note ?? "not measured")
          : value.toFixed(2),
      met: value === undefined ? undefined : value >= limit,
    });
  };
  const latency = (
    name: string,
    limit: number,
    a?: number,
    b?: number,
    unit = "",
  ) => {
    const value = a !== undefined && b !== undefined ? a / b : undefined;
    targets.push({
      name,
      limit: `<= ${limit}x`,
      value:
        value === undefined
          ? "not measured"
          : `${value.toFixed(2)}x (${a!.toFixed(2)} / ${b!.toFixed(2)} ms${unit})`,
      met: value === undefined ? undefined : value <= limit,
    });
  };
  const small = `${options.smallUsers.toLocaleString("en")} users`;
  const large = `${options.users.toLocaleString("en")} users`;

  throughput("W1", undefined, 0.5);
  throughput("W2", small, 0.6);
  throughput("W2", large, 0.6);
  throughput("W5", undefined, 0.6);
  latency(
    `W2 p99 at ${large} vs ${small}`,
    1.3,
    find("W2", large)?.app?.p99,
    find("W2", small)?.app?.p99,
  );
  const pages = find("W3", "last page");
  latency(
    "W3 last page vs first page (p50)",
    2,
    pages?.app?.p50,
    find("W3", "first page")?.app?.p50,
  );
  void pages;
  const w4 = results.filter((result) => result.id === "W4");
  latency(
    "W4 large group vs small group (p50)",
    1.2,
    w4[1]?.app?.p50,
    w4[0]?.app?.p50,
  );
  latency(
    "W4 large vs small group (p99, not a target)",
    1.2,
    w4[1]?.app?.p99,
    w4[0]?.app?.p99,
  );
  const mix = find("W5");
  targets.push({
    name: "W5 app peak RSS",
    limit: "<= 400 MB",
    value:
      mix?.app?.rssMb === undefined
        ? "not measured"
        : `${mix.app.rssMb.toFixed(0)} MB`,
    met: mix?.app?.rssMb === undefined ? undefined : mix.app.rssMb <= 400,
  });
  return targets;
}

/** What to undo if the run is interrupted: stop the servers, drop the database. */
const cleanups: (() => Promise<void>)[] = [];

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    progress(`${signal}: stopping the servers and dropping the database`);
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => {});
    }
    process.exit(130);
  });
}

async function main() {
  const [loadAtStart] = os.loadavg();
  if (loadAtStart > os.cpus().length * 0.75) {
    progress(
      `warning: load average ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores; other processes will slow both sides`,
    );
  }
  await buildIfNeeded();

  const database = await createDatabase(options.databaseUrl);
  const url = databaseUrl(options.databaseUrl, database);
  if (!options.keepDatabase) {
    cleanups.push(() => dropDatabase(options.databaseUrl, database));
  }
  progress(`created database ${database}`);

  const secret = randomBytes(32).toString("base64url");
  const dataDir = path.join(os.tmpdir(), `${database}-data`);
  const env: Record<string, string> = {
    NODE_ENV: "production",
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: String(options.poolSize),
    AUTH_SECRET: secret,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    OUTBOX_WORKER: options.outboxWorker,
    NEXT_DIST_DIR: distDir,
    NEXT_TELEMETRY_DISABLED: "1",
    APP_URL: `http://127.0.0.1:${options.port}`,
  };
  const bench = openDatabase(url);
  let app: ServerProcess | undefined;
  let floor: ServerProcess | undefined;
  const results: WorkloadResult[] = [];
  const profileDir = path.join(resultsDir, "profiles", database);

  try {
    const owner = {
      email: "owner@bench.example",
      password: randomBytes(12).toString("base64url"),
    };
    // The second create-org finds the owner's account and adds an organization.
    const smallId = await createOrganization(env, "Bench small", owner);
    const [largeId, small] = await Promise.all([
      createOrganization(env, "Bench large", owner),
      enableScim(env, smallId),
    ]);
    const large = await enableScim(env, largeId);
    progress("created the organizations with the admin command line");

    // The large organization: `users` members in the large group, and
    // outsiders that W4 adds and removes.
    const outsiderCount = 400;
    const seedStarted = performance.now();
    for (let from = 1; from <= options.users + outsiderCount; from += 50_000) {
      const count = Math.min(50_000, options.users + outsiderCount - from + 1);
      await seedMembers(bench.db, large.organizationId, "large", from, count);
    }
    const largeMembers = membersOf(bench.db, large.organizationId);
    const largeUsers = seededUsers(
      await largeMembers,
      "large",
      1,
      options.users + outsiderCount,
    );
    const inGroup = largeUsers.slice(0, options.users);
    const outsiders = largeUsers.slice(options.users).map((user) => user.id);
    const smallGroupId = await seedGroup(
      bench.db,
      large.organizationId,
      "Bench small group",
      inGroup.slice(0, options.smallGroup).map((user) => user.id),
    );
    const largeGroupId = await seedGroup(
      bench.db,
      large.organizationId,
      "Bench large group",
      inGroup.map((user) => user.id),
    );
    await settle(bench.db);
    progress(
      `seeded ${options.users + outsiderCount} members and two groups by SQL in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    const nodeFlags = (name: string) =>
      options.profile
        ? ["--cpu-prof", `--cpu-prof-dir=${path.join(profileDir, name)}`]
        : [];
    cleanups.push(async () => {
      await app?.stop();
      await floor?.stop();
      await bench.close();
    });
    app = await startServer({
      name: "app",
      script: "server.ts",
      port: options.port,
      env,
      nodeFlags: nodeFlags("app"),
      readyPath: "/api/health",
    });
    floor = await startServer({
      name: "floor",
      script: "bench/floor.ts",
      port: options.port + 1,
      env,
      nodeFlags: nodeFlags("floor"),
      readyPath: "/scim/v2/-/health",
    });
    const sides = { app, floor };
    progress(
      `app on ${app.url} (outbox worker ${options.outboxWorker}), floor on ${floor.url}`,
    );

    // The small organization, seeded through the public SCIM API.
    const smallSeed = await runLoad({
      url: app.url,
      connections: options.connections,
      amount: options.smallUsers,
      headers: scimHeaders(small.apiKey),
      requests: createRequests(small.basePath, "small", { next: 1 }).map(
        (request) => ({
          ...request,
          setupRequest: (spec, context) => {
            const built = request.setupRequest!(spec, context);
            const body = JSON.parse(built.body!);
            const index = Number(/-(\d+)@/.exec(body.userName)![1]);
            const userName = seededUserName("small", index);
            return {
              ...built,
              body: JSON.stringify(oktaUser(userName, index, `small-${index}`)),
            };
          },
        }),
      ),
    });
    if (smallSeed.statuses["201"] !== options.smallUsers) {
      throw new Error(
        `seeding the small organization over SCIM: ${JSON.stringify(smallSeed.statuses)}\n${app.stderrTail()}`,
      );
    }
    const smallUsers = seededUsers(
      await membersOf(bench.db, small.organizationId),
      "small",
      1,
      options.smallUsers,
    );
    progress(
      `seeded ${options.smallUsers} users over SCIM at ${smallSeed.rps.toFixed(0)} req/s`,
    );

    const smallSize = `${options.smallUsers.toLocaleString("en")} users`;
    const largeSize = `${options.users.toLocaleString("en")} users`;

    if (wants(options, "W2")) {
      progress(`W2 lookups at ${smallSize}`);
      results.push({
        id: "W2",
        name: "lookup",
        size: smallSize,
        ...(await compare(sides, {
          headers: scimHeaders(small.apiKey),
          requests: () => lookupRequests(small.basePath, smallUsers),
        })),
      });
    }

    if (wants(options, "W1")) {
      progress(`W1 creates, ${options.creates} per side`);
      const counters = {
        "warm-up": { app: { next: 1 }, floor: { next: 1 } },
        measured: { app: { next: 1 }, floor: { next: 1 } },
      };
      const w1 = await compare(sides, {
        headers: scimHeaders(small.apiKey),
        amount: options.creates,
        warmupAmount: 200,
        requests: (name, phase) =>
          createRequests(
            small.basePath,
            `${phase}-${name}`,
            counters[phase][name],
          ),
      });
      results.push({
        id: "W1",
        name: "create",
        size: `${options.creates} users`,
        ...w1,
      });
    }

    if (wants(options, "W2")) {
      progress(`W2 lookups at ${largeSize}`);
      results.push({
        id: "W2",
        name: "lookup",
        size: largeSize,
        ...(await compare(sides, {
          headers: scimHeaders(large.apiKey),
          requests: () => lookupRequests(large.basePath, inGroup),
        })),
      });
    }

    if (wants(options, "W3")) {
      progress(`W3 walking ${largeSize} with count=100`);
      const walkSampler = app.sample();
      const walk = await walkUsers(app, large, 100);
      const walkUsage = walkSampler.stop();
      results.push({
        id: "W3",
        name: "paging walk",
        size: `${walk.pages} pages`,
        app: side(walk.result, walkUsage),
        note:
          walk.seen === walk.total
            ? undefined
            : `saw ${walk.seen} of ${walk.total}`,
        extra: {
          seen: walk.seen,
          totalResults: walk.total,
          firstTenPagesMeanMs: walk.firstPagesMs,
          lastTenPagesMeanMs: walk.lastPagesMs,
        },
      });
      const lastStart = Math.max(1, walk.total - 99);
      for (const [size, startIndex] of [
        ["first page", 1],
        ["last page", lastStart],
      ] as const) {
        progress(
          `W3 ${size} (startIndex=${startIndex}) at ${options.connections} clients`,
        );
        results.push({
          id: "W3",
          name: "paging",
          size,
          ...(await compare(sides, {
            headers: scimHeaders(large.apiKey),
            only: ["app"],
            requests: () => pageRequests(large.basePath, startIndex, 100),
          })),
        });
      }
    }

    if (wants(options, "W4")) {
      const probe = await scimGet(
        app,
        large,
        `/Groups/${smallGroupId}?excludedAttributes=members`,
      );
      const available = probe.status === 200;
      if (!available) {
        progress(
          `W4: the app answers ${probe.status} on /Groups: not available`,
        );
      }
      const groupCases = [
        [smallGroupId, `${options.smallGroup.toLocaleString("en")} members`],
        [largeGroupId, `${options.users.toLocaleString("en")} members`],
      ] as const;
      progress(
        `W4 membership add/remove, groups of ${groupCases.map(([, size]) => size).join(" and ")} in turn`,
      );
      // Both group sizes in each round: the target compares them.
      const measured = await compareCases(
        sides,
        groupCases.map(
          ([groupId]) =>
            () =>
              membershipRequests(large.basePath, groupId, outsiders),
        ),
        {
          headers: scimHeaders(large.apiKey),
          only: available ? undefined : ["floor"],
          afterRound: () =>
            removeOutsiders(bench.db, [smallGroupId, largeGroupId], outsiders),
        },
      );
      groupCases.forEach(([, size], index) => {
        results.push({
          id: "W4",
          name: "membership",
          size,
          ...measured[index],
          note: available ? undefined : "not available",
        });
      });
    }

    if (wants(options, "W5")) {
      progress(`W5 mix at ${largeSize}`);
      results.push({
        id: "W5",
        name: "mix",
        size: largeSize,
        ...(await compare(sides, {
          headers: scimHeaders(large.apiKey),
          requests: () => mixRequests(large.basePath, inGroup, "large"),
        })),
      });
    }

    if (wants(options, "PAGE")) {
      progress(`Members page at ${largeSize}`);
      try {
        const cookie = await signIn(app.url, owner.email, owner.password);
        const sampler = app.sample();
        const page = await timePage(
          `${app.url}/organizations/${large.organizationId}/members`,
          cookie,
          options.pageSamples,
        );
        const { bytes, ...result } = page;
        results.push({
          id: "PAGE",
          name: "Members page",
          size: `${(options.users + outsiderCount + 1).toLocaleString("en")} members`,
          app: side(result, sampler.stop()),
          extra: { htmlBytes: bytes, sequential: true },
        });
      } catch (error) {
        results.push({
          id: "PAGE",
          name: "Members page",
          size: largeSize,
          note: `failed: ${(error as Error).message}`,
        });
      }
    }
  } finally {
    await app?.stop();
    await floor?.stop();
    await bench.close();
    if (options.keepDatabase) {
      progress(`kept database ${url}`);
    } else {
      await dropDatabase(options.databaseUrl, database);
    }
  }

  const targets = targetsOf(results, options);
  process.stdout.write(`\n${table(results)}\n\n${targetTable(targets)}\n`);
  const failures = results.filter(
    (result) => result.app && errorsOf(result.app) !== "none",
  );
  if (failures.length > 0) {
    process.stdout.write(
      `\nApp errors in: ${failures.map((result) => `${result.id} ${result.size}`).join(", ")}\n`,
    );
  }

  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const report = {
    startedAt: new Date(
      Date.now() - (performance.now() - started),
    ).toISOString(),
    seconds: (performance.now() - started) / 1000,
    options: {
      ...options,
      only: options.only ? [...options.only] : undefined,
      databaseUrl: undefined,
    },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadGenerator: "autocannon in the benchmark process, on the same machine",
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: os.loadavg()[0],
    },
    results,
    targets,
  };
  const file = path.join(
    resultsDir,
    `${options.quick ? "quick" : "full"}-${stamp}.json`,
  );
  writeFileSync(file, JSON.stringify(report, null, 2));
  writeFileSync(
    path.join(resultsDir, "latest.json"),
    JSON.stringify(report, null, 2),
  );
  progress(`wrote ${path.relative(projectRoot, file)}`);

  if (options.profile && existsSync(profileDir)) {
    const summary = summarizeProfiles(profileDir);
    writeFileSync(path.join(profileDir, "summary.txt"), summary);
    progress(
      `CPU profiles and summary in ${path.relative(projectRoot, profileDir)}`,
    );
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
}
