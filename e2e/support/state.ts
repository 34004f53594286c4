import { readFileSync } from "node:fs";
import path from "node:path";
import { appPort, mailboxPort, mailPort } from "./ports.ts";

export const stateFile = path.resolve(
  import.meta.dirname,
  "../../test-results/e2e-state.json",
);

/** The environment the app under test runs with; the admin CLI in tests uses it too. */
export function e2eEnvironment({
  databaseUrl,
  dataDir,
}: {
  databaseUrl?: string;
  dataDir?: string;
}): Record<string, string> {
  return {
    NODE_ENV: "production",
    PORT: String(appPort),
    APP_URL: `http://localhost:${appPort}`,
    AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
    SMTP_URL: `smtp://127.0.0.1:${mailPort}`,
    LOG_LEVEL: "info",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir! }),
  };
}

export function e2eState(): Record<string, string> {
  return JSON.parse(readFileSync(stateFile, "utf8"));
}

export const mailboxUrl = `http://127.0.0.1:${mailboxPort}`;
