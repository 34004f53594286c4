import { migrateDatabase } from "@/db/client";
import { log } from "@/lib/log";
import { settings, SettingsError } from "@/lib/settings";
import { startThrottlePruning } from "@/lib/throttle";

const startedKey = Symbol.for("scim-console.started");
const store = globalThis as { [startedKey]?: Promise<void> };

/**
 * Everything a process does once before serving: check the settings, apply
 * migrations, start pruning old throttle counters and start the outbox
 * worker. Safe to call from several entry points of one process.
 */
export function startApp(): Promise<void> {
  store[startedKey] ??= start();
  return store[startedKey];
}

async function start() {
  const config = checkedSettings();
  await migrateDatabase();
  startThrottlePruning();
  if (config.OUTBOX_WORKER === "on") {
    const { startOutboxWorker } = await import("@/lib/email/worker");
    startOutboxWorker();
  }
  log.info("app ready", {
    database: config.DATABASE_URL ? "postgres" : "embedded",
    appUrl: config.APP_URL,
    smtp: Boolean(config.SMTP_URL),
  });
}

/** The settings, or one clear line per problem and an exit. */
export function checkedSettings() {
  try {
    return settings();
  } catch (error) {
    if (error instanceof SettingsError) {
      for (const problem of error.problems) {
        process.stderr.write(`Invalid setting ${problem}\n`);
      }
      process.exit(1);
    }
    throw error;
  }
}
