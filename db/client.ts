import path from "node:path";
import {
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
  closeSync,
} from "node:fs";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";
import * as schema from "./schema";
import { settings } from "@/lib/settings";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or an open transaction: what queries run on. */
export type Executor = Database | Transaction;

interface Connection {
  kind: "postgres" | "pglite";
  db: Database;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

// One connection per process, shared by every copy of this module (Next's
// bundles, the SCIM server, the worker): two PGlite instances on one data
// directory would corrupt it.
const connectionKey = Symbol.for("scim-console.db");
const store = globalThis as { [connectionKey]?: Connection };

const migrationsFolder = path.resolve(process.cwd(), "drizzle");

export function db(): Database {
  return connection().db;
}

export function databaseKind(): Connection["kind"] {
  return connection().kind;
}

export async function migrateDatabase(): Promise<void> {
  await connection().migrate();
}

export async function closeDatabase(): Promise<void> {
  const current = store[connectionKey];
  store[connectionKey] = undefined;
  await current?.close();
}

function connection(): Connection {
  store[connectionKey] ??= open();
  return store[connectionKey];
}

function open(): Connection {
  const { DATABASE_URL, DATABASE_POOL_SIZE, DATA_DIR } = settings();
  return DATABASE_URL
    ? openPostgres(DATABASE_URL, DATABASE_POOL_SIZE)
    : openPglite(path.resolve(DATA_DIR, "pglite"));
}

function openPostgres(url: string, poolSize: number): Connection {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 3,
    idle_timeout: 60,
    // postgres.js waits up to 20 s between reconnection attempts once they
    // fail (3^n / 100 s), and every query meanwhile waits with them: while
    // the database is down a SCIM request would hang instead of getting its
    // 503, and recovery would lag. Half a second at most keeps both fast.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    kind: "postgres",
    db,
    async migrate() {
      // A dedicated connection holds the advisory lock, so that several
      // instances starting together apply each migration once.
      const single = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(7461029)`;
        await migratePostgres(drizzlePostgres(single), { migrationsFolder });
        await single`select pg_advisory_unlock(7461029)`;
      } finally {
        await single.end();
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

function openPglite(dataDir: string): Connection {
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    kind: "pglite",
    db,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    async close() {
      await client.close();
      releaseLock();
    },
  };
}

/**
 * PGlite has no lock of its own, and two processes on one data directory
 * corrupt it: the second one is refused with a clear message.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "..", "pglite.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => rmSync(lockFile, { force: true });
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockFile, "utf8"));
      if (holder === process.pid) return () => {};
      if (holder && isAlive(holder)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${holder}. ` +
            "Stop that process, or set DATABASE_URL to use PostgreSQL.",
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
