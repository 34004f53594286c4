import type { SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * Runs a raw statement and returns its rows: postgres.js answers with an
 * array, PGlite with `{ rows }`.
 */
export async function queryRows<Row>(
  executor: Executor,
  statement: SQL,
): Promise<Row[]> {
  const result = (await executor.execute(statement)) as unknown;
  return (
    Array.isArray(result) ? result : (result as { rows: Row[] }).rows
  ) as Row[];
}
