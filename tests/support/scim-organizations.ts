import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { db, type Database, type Executor } from "@/db/client";
import * as schema from "@/db/schema";
import { organizations } from "@/db/schema";
import { enableScim } from "@/lib/scim/keys";

export interface ScimOrganization {
  organizationId: string;
  apiKey: string;
}

/** A new organization with SCIM enabled, written with the given executor. */
export async function scimOrganization(
  executor: Executor = db(),
  name = "Reliability",
): Promise<ScimOrganization> {
  const [organization] = await executor
    .insert(organizations)
    .values({ name })
    .returning();
  const apiKey = await enableScim(organization.id, executor);
  return { organizationId: organization.id, apiKey };
}

/** A Drizzle connection to another database than the run's (a test's own cluster). */
export function connectTo(url: string): {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
} {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  return {
    db: drizzle(sql, { schema }) as unknown as Database,
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}
