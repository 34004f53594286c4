import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, dropDatabase } from "../../tests/support/databases.ts";
import { testDatabaseUrl } from "../../tests/support/database-url.ts";
import { startMailServer } from "./mail-server.ts";
import { appPort, mailboxPort, mailPort } from "./ports.ts";
import { e2eEnvironment, stateFile } from "./state.ts";

const root = path.resolve(import.meta.dirname, "../..");

async function waitForHealth(url: string, app: ChildProcess) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (app.exitCode !== null)
      throw new Error(`the app exited with ${app.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not become healthy at ${url}`);
}

/**
 * Starts what the journeys need: a fresh database, a real SMTP server and
 * the production server over a production build.
 */
export default async function globalSetup() {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(root, distDir, "BUILD_ID"))) {
    const build = spawnSync("npx", ["next", "build"], {
      cwd: root,
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const databaseUrl = testDatabaseUrl();
  let dataDir: string | undefined;
  if (databaseUrl) await createDatabase(databaseUrl);
  else dataDir = mkdtempSync(path.join(tmpdir(), "scim-console-e2e-"));

  const mail = await startMailServer(mailPort, mailboxPort);
  const env = e2eEnvironment({ databaseUrl, dataDir });
  mkdirSync(path.dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify(env, null, 2));

  // Its own process group, so that stopping it stops everything it started.
  const app = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env: { ...process.env, ...env, NEXT_DIST_DIR: distDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stop = (signal: NodeJS.Signals) => {
    try {
      process.kill(-app.pid!, signal);
    } catch {
      // already gone
    }
  };
  const logFile = path.join(root, "test-results", "e2e-app.log");
  const chunks: string[] = [];
  app.stdout?.on("data", (chunk) => chunks.push(String(chunk)));
  app.stderr?.on("data", (chunk) => chunks.push(String(chunk)));

  try {
    await waitForHealth(`http://localhost:${appPort}/api/health`, app);
  } catch (error) {
    console.error(chunks.join(""));
    stop("SIGKILL");
    throw error;
  }

  return async () => {
    if (app.exitCode === null) {
      const exited = new Promise((resolve) => app.once("exit", resolve));
      stop("SIGTERM");
      await exited;
    }
    writeFileSync(logFile, chunks.join(""));
    await mail.stop();
    if (databaseUrl) await dropDatabase(databaseUrl);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    rmSync(stateFile, { force: true });
  };
}
