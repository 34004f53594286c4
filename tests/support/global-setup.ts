import { testDatabaseUrl } from "./database-url";
import { createDatabase, dropDatabase } from "./databases";

/** Creates the run's database and migrates it once; drops it at the end. */
export default async function setup() {
  const url = testDatabaseUrl();
  if (!url) return;

  await createDatabase(url);
  process.env.DATABASE_URL = url;
  const { migrateDatabase, closeDatabase } = await import("@/db/client");
  await migrateDatabase();
  await closeDatabase();

  return async () => {
    await dropDatabase(url);
  };
}
