import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { closeDatabase, migrateDatabase } from "@/db/client";
import { resetSettings } from "@/lib/settings";

// Without a PostgreSQL server, each test file runs on an embedded database of
// its own in a temporary directory.
let embeddedDir: string | undefined;

beforeAll(async () => {
  if (!process.env.DATABASE_URL) {
    embeddedDir = mkdtempSync(path.join(tmpdir(), "scim-console-test-"));
    process.env.DATA_DIR = embeddedDir;
    resetSettings();
    await migrateDatabase();
  }
});

afterAll(async () => {
  await closeDatabase();
  if (embeddedDir) rmSync(embeddedDir, { recursive: true, force: true });
});
