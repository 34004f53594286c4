import { randomBytes } from "node:crypto";

const key = "SCIM_CONSOLE_TEST_DATABASE_URL";

/**
 * The URL of this test run's own database on the configured server, or
 * undefined to use the embedded database. Computed once per run and kept in
 * the environment so that the global setup and the workers agree.
 */
export function testDatabaseUrl(): string | undefined {
  if (process.env[key]) return process.env[key];
  const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!server) return undefined;

  const url = new URL(server);
  url.pathname = `/test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  process.env[key] = url.toString();
  return url.toString();
}

/** The same server's maintenance database, for CREATE and DROP DATABASE. */
export function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}
