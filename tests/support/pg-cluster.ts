import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./app-server";

/**
 * A PostgreSQL cluster of a test's own, in a temporary folder on a free
 * port, so that the test may stop and start it: the shared test server must
 * never be stopped.
 */

const binDir = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** Why a cluster cannot be started here, if it cannot. */
export function clusterSkipReason(): string | undefined {
  if (!existsSync(path.join(binDir, "initdb"))) {
    return `needs PostgreSQL's initdb and pg_ctl in ${binDir} (set PG_BIN)`;
  }
  if (process.getuid?.() === 0 && !postgresUid()) {
    return "runs as root, and there is no postgres user to run initdb as";
  }
  return undefined;
}

function postgresUid(): number | undefined {
  const result = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

// initdb refuses to run as root: run the server programs as postgres then.
function run(program: string, args: string[]) {
  const file = path.join(binDir, program);
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot
    ? ["runuser", ["-u", "postgres", "--", file, ...args]]
    : [file, args];
  return execFileSync(command, commandArgs, {
    encoding: "utf8",
    stdio: "pipe",
  });
}

export interface PgCluster {
  /** URL of the `postgres` database of this cluster. */
  url: string;
  port: number;
  start(): Promise<void>;
  /** `immediate` is a crash: no checkpoint, clients cut off at once. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  destroy(): Promise<void>;
}

export async function startCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "scim-console-pg-"));
  const uid = process.getuid?.() === 0 ? postgresUid() : undefined;
  if (uid !== undefined) chownSync(dir, uid, uid);
  const dataDir = path.join(dir, "data");
  const port = await freePort();

  run("initdb", [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "--no-sync",
    "-E",
    "UTF8",
  ]);

  let running = false;
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      run("pg_ctl", [
        "-D",
        dataDir,
        "-l",
        path.join(dir, "server.log"),
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`,
        "-w",
        "-t",
        "30",
        "start",
      ]);
      running = true;
    },
    async stop(mode = "fast") {
      run("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "-t", "30", "stop"]);
      running = false;
    },
    async destroy() {
      if (running) await cluster.stop("immediate").catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
