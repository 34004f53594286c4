import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";
import path from "node:path";

/**
 * The production server (`tsx server.ts` over a `next build`) as a child
 * process, for suites that must test what identity providers and browsers
 * really talk to: real sockets, the real connection pool, the real outbox
 * worker, the real log output.
 */

const root = path.resolve(import.meta.dirname, "../..");
// `npm test` builds once before the suites and names the build here, so that
// these suites and the end-to-end run serve the same, current code.
export const RELIABILITY_DIST_DIR =
  process.env.TEST_NEXT_DIST_DIR || ".next-reliability";
const distDir = path.join(root, RELIABILITY_DIST_DIR);
const lockDir = `${distDir}.lock`;

/** Why suites that share a database with the server cannot run, if they cannot. */
export function sharedDatabaseSkipReason(): string | undefined {
  if (process.env.DATABASE_URL) return undefined;
  return (
    "needs PostgreSQL (set TEST_DATABASE_URL): the test process and the " +
    "server cannot share an embedded PGlite database"
  );
}

function buildExists(): boolean {
  return existsSync(path.join(distDir, "BUILD_ID"));
}

function lockHolderAlive(): boolean {
  try {
    const pid = Number(readFileSync(path.join(lockDir, "pid"), "utf8"));
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds into `.next-reliability` when there is no build there; delete the
 * folder to get a new one. SCIM requests never go through the build (the
 * server imports the SCIM handler from source), so an older build only
 * serves older pages. Test files run in parallel processes: a lock folder
 * makes one of them build while the others wait.
 */
export async function ensureBuild(): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  while (!buildExists()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a build");
    try {
      mkdirSync(lockDir);
    } catch {
      if (!lockHolderAlive()) rmSync(lockDir, { recursive: true, force: true });
      await sleep(500);
      continue;
    }
    try {
      writeFileSync(path.join(lockDir, "pid"), String(process.pid));
      if (buildExists()) break;
      const build = spawnSync(
        path.join(root, "node_modules/.bin/next"),
        ["build"],
        {
          cwd: root,
          env: {
            ...process.env,
            NODE_ENV: "production",
            NEXT_DIST_DIR: RELIABILITY_DIST_DIR,
          },
          encoding: "utf8",
        },
      );
      if (build.status !== 0) {
        throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
      }
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** Milliseconds from sending to the last byte of the response. */
  ms: number;
}

export interface HttpInit {
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  /**
   * The client address the server sees (127.0.0.x): the SCIM throttle counts
   * failures per address, so a test that trips it uses one of its own.
   */
  localAddress?: string;
  timeoutMs?: number;
}

/** One HTTP request with node:http (fetch cannot pick a local address). */
export function httpCall(
  url: string,
  init: HttpInit = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...init.headers };
  let payload: string | undefined;
  if (typeof init.body === "string") payload = init.body;
  else if (init.body !== undefined) {
    payload = JSON.stringify(init.body);
    headers["content-type"] ??= "application/scim+json";
  }
  if (payload !== undefined) {
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: init.method ?? (payload === undefined ? "GET" : "POST"),
        headers,
        localAddress: init.localAddress,
        agent: false,
        timeout: init.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            body,
            ms: performance.now() - started,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out: ${url}`)));
    req.on("error", reject);
    req.end(payload);
  });
}

export interface AppServer {
  url: string;
  port: number;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** A request to a path of this server. */
  call(path: string, init?: HttpInit): Promise<HttpResult>;
  /** A request to an organization's SCIM base URL, with its key. */
  scim(
    organization: { organizationId: string; apiKey: string },
    path: string,
    init?: HttpInit,
  ): Promise<HttpResult>;
  stop(): Promise<void>;
}

export interface AppServerOptions {
  databaseUrl: string;
  /** Extra environment, e.g. SMTP_URL or OUTBOX_WORKER. */
  env?: Record<string, string>;
}

/**
 * Starts the production server on a free port against the given database
 * and waits until it answers. The environment is the production one, not
 * the test runner's.
 */
export async function startAppServer(
  options: AppServerOptions,
): Promise<AppServer> {
  await ensureBuild();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    NODE_ENV: "production",
    NEXT_DIST_DIR: RELIABILITY_DIST_DIR,
    PORT: String(port),
    APP_URL: url,
    AUTH_SECRET:
      process.env.AUTH_SECRET ?? "reliability-secret-0123456789abcdef",
    DATABASE_URL: options.databaseUrl,
    LOG_LEVEL: "info",
    OUTBOX_WORKER: "off",
    ...options.env,
  };

  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "server.ts"],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const chunks: string[] = [];
  child.stdout?.on("data", (chunk) => chunks.push(String(chunk)));
  child.stderr?.on("data", (chunk) => chunks.push(String(chunk)));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => resolve()),
  );

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `the server exited with ${child.exitCode}:\n${chunks.join("")}`,
      );
    }
    try {
      const health = await httpCall(`${url}/api/health`, { timeoutMs: 5_000 });
      if (health.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not start:\n${chunks.join("")}`);
    }
    await sleep(200);
  }

  return {
    url,
    port,
    output: () => chunks.join(""),
    call: (requestPath, init) => httpCall(url + requestPath, init),
    scim: (organization, requestPath, init = {}) =>
      httpCall(`${url}/scim/v2/${organization.organizationId}${requestPath}`, {
        ...init,
        headers: {
          authorization: `Bearer ${organization.apiKey}`,
          ...init.headers,
        },
      }),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
