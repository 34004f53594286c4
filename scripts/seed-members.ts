/**
 * Seeds members into an organization, for benchmarks:
 *   npx tsx scripts/seed-members.ts --org <id> --count 100000 [--prefix bench]
 * Prints {"organizationId": "...", "seeded": N} on stdout.
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { closeDatabase, db, migrateDatabase } from "@/db/client";
import { seedMembers } from "@/lib/console/seed-members";

const { values } = parseArgs({
  options: {
    org: { type: "string" },
    count: { type: "string", default: "100000" },
    prefix: { type: "string", default: "member" },
  },
});

const count = Number(values.count);
if (!values.org || !/^[0-9a-f-]{36}$/i.test(values.org)) {
  console.error("--org must be an organization id");
  process.exit(2);
}
if (!Number.isInteger(count) || count < 1 || count > 10_000_000) {
  console.error("--count must be a whole number between 1 and 10000000");
  process.exit(2);
}
if (!/^[a-z0-9-]{1,32}$/.test(values.prefix!)) {
  console.error("--prefix must be 1-32 lower-case letters, digits or dashes");
  process.exit(2);
}

await migrateDatabase();
await seedMembers(db(), values.org, count, { prefix: values.prefix });
await db().execute(sql`analyze members`);
console.log(JSON.stringify({ organizationId: values.org, seeded: count }));
await closeDatabase();
