/**
 * `npm run worker`: delivers the outbox without serving pages, for a
 * deployment that runs the app with OUTBOX_WORKER=off. Any number of workers
 * may run against one PostgreSQL database; each row is claimed by one.
 */
import { closeDatabase, migrateDatabase } from "@/db/client";
import { startOutboxWorker } from "@/lib/email/worker";
import { log } from "@/lib/log";
import { checkedSettings } from "@/lib/startup";

const config = checkedSettings();
await migrateDatabase();
const worker = startOutboxWorker();
log.info("worker ready", {
  database: config.DATABASE_URL ? "postgres" : "embedded",
  smtp: Boolean(config.SMTP_URL),
});

// The timers are unref'd; this keeps the process alive until a signal.
const keepAlive = setInterval(() => {}, 60_000);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    clearInterval(keepAlive);
    await worker.stop();
    await closeDatabase();
    process.exit(0);
  });
}
