import path from "node:path";
import { defineConfig } from "vitest/config";
import { testDatabaseUrl } from "./tests/support/database-url.ts";

// With a PostgreSQL server (TEST_DATABASE_URL or DATABASE_URL) the run gets a
// fresh database of its own; without one, each test file gets a fresh
// embedded database.
const databaseUrl = testDatabaseUrl();

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-file.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      OUTBOX_WORKER: "off",
      APP_URL: "http://console.test",
      AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
  },
});
