import { parseArgs } from "node:util";

export interface BenchOptions {
  quick: boolean;
  /** Members of the large organization (W2, W3, W4 large group, W5, console). */
  users: number;
  /** Members of the small organization (W2 small). */
  smallUsers: number;
  /** Users created by W1, per side (app and floor each create this many). */
  creates: number;
  /** Members of the small group (W4). */
  smallGroup: number;
  connections: number;
  /** Seconds of each measured round. */
  duration: number;
  /** Seconds of the unmeasured warm-up before each workload, per side. */
  warmup: number;
  /** Rounds per side: app, floor, app, floor… */
  rounds: number;
  /** Seconds the W3 walk may take before it stops and reports how far it got. */
  walkBudget: number;
  /** Sequential renders of the Members page measured. */
  pageSamples: number;
  poolSize: number;
  port: number;
  outboxWorker: "on" | "off";
  build: "auto" | "always" | "never";
  profile: boolean;
  keepDatabase: boolean;
  only?: Set<string>;
  databaseUrl: string;
}

const usage = `Usage: npm run bench -- [--quick] [options]
  --quick              short run (under 2 minutes once built)
  --users N            members of the large organization (default 100000, quick 20000)
  --small-users N      members of the small organization (default 1000)
  --creates N          W1 users created per side (default 5000, quick 1000)
  --connections N      concurrent clients (default 8)
  --duration S         seconds per measured round (default 10, quick 3)
  --rounds N           rounds per side, interleaved app/floor (default 2, quick 1)
  --warmup S           warm-up seconds per side before each workload (default 2, quick 1)
  --walk-budget S      seconds the W3 walk may take (default 120, quick 30)
  --page-samples N     Members page renders measured (default 20, quick 8)
  --pool-size N        database pool size of app and floor (default 10)
  --port N             app port (default 3180; the floor uses port + 1)
  --outbox-worker on|off  run the outbox worker inside the app (default off)
  --build auto|always|never  next build into .next-bench (default auto)
  --only W1,W2,...     run only these workloads (W1 W2 W3 W4 W5 PAGE)
  --profile            write CPU profiles of app and floor (node --cpu-prof)
  --keep-db            keep the benchmark database for EXPLAIN ANALYZE`;

function positiveInteger(value: string | undefined, name: string) {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`--${name} must be a positive integer, got "${value}"`);
  }
  return number;
}

function positiveNumber(value: string | undefined, name: string) {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new Error(`--${name} must be a positive number, got "${value}"`);
  }
  return number;
}

function choice<T extends string>(
  value: string | undefined,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new Error(`--${name} must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: "boolean", default: false },
      users: { type: "string" },
      "small-users": { type: "string" },
      creates: { type: "string" },
      "small-group": { type: "string" },
      connections: { type: "string" },
      duration: { type: "string" },
      rounds: { type: "string" },
      warmup: { type: "string" },
      "page-samples": { type: "string" },
      "walk-budget": { type: "string" },
      "pool-size": { type: "string" },
      port: { type: "string" },
      "outbox-worker": { type: "string" },
      build: { type: "string" },
      only: { type: "string" },
      profile: { type: "boolean", default: false },
      "keep-db": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }

  const quick = values.quick!;
  const only = values.only
    ? new Set(values.only.split(",").map((name) => name.trim().toUpperCase()))
    : undefined;
  return {
    quick,
    users: positiveInteger(values.users, "users") ?? (quick ? 20_000 : 100_000),
    smallUsers: positiveInteger(values["small-users"], "small-users") ?? 1000,
    creates:
      positiveInteger(values.creates, "creates") ?? (quick ? 1000 : 5000),
    smallGroup: positiveInteger(values["small-group"], "small-group") ?? 10,
    connections: positiveInteger(values.connections, "connections") ?? 8,
    duration: positiveNumber(values.duration, "duration") ?? (quick ? 3 : 10),
    rounds: positiveInteger(values.rounds, "rounds") ?? (quick ? 1 : 2),
    warmup: positiveNumber(values.warmup, "warmup") ?? (quick ? 1 : 2),
    walkBudget:
      positiveNumber(values["walk-budget"], "walk-budget") ??
      (quick ? 30 : 120),
    pageSamples:
      positiveInteger(values["page-samples"], "page-samples") ??
      (quick ? 8 : 20),
    poolSize: positiveInteger(values["pool-size"], "pool-size") ?? 10,
    port: positiveInteger(values.port, "port") ?? 3180,
    outboxWorker:
      choice(values["outbox-worker"], "outbox-worker", ["on", "off"]) ?? "off",
    build: choice(values.build, "build", ["auto", "always", "never"]) ?? "auto",
    profile: values.profile!,
    keepDatabase: values["keep-db"]!,
    only,
    databaseUrl:
      process.env.BENCH_DATABASE_URL ||
      process.env.TEST_DATABASE_URL ||
      process.env.DATABASE_URL ||
      "postgres://postgres@127.0.0.1:5432/postgres",
  };
}

export function wants(options: BenchOptions, workload: string): boolean {
  return !options.only || options.only.has(workload);
}
