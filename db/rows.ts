import { getTableName, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
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

/**
 * A column named with its table. Drizzle leaves the table out when a query
 * reads only one, so inside a correlated subquery a bare `id` would mean the
 * subquery's own column rather than the outer row's.
 */
export const qualified = (column: AnyPgColumn): SQL =>
  sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
