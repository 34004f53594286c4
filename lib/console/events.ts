import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { queryRows } from "@/db/rows";
import { managerAccess, type ConsoleAccount } from "./access";
import { csvLine } from "./csv";
import {
  decodeCursor,
  encodeCursor,
  timestampKeyPattern,
  type Cursor,
} from "./cursor";
import { describeEventDetails, describeEventType } from "./event-wording";

export const EVENTS_PAGE_SIZE = 50;
/** The CSV export reads the filtered events in batches of this many. */
export const EXPORT_BATCH_SIZE = 1000;

const firstValue = (value: unknown) =>
  Array.isArray(value) ? value[0] : value;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)));

/** The Event log's filters, from the URL; unusable values are dropped. */
export const eventFilterSchema = z.object({
  type: z.preprocess(
    firstValue,
    z
      .string()
      .regex(/^[a-z_]+\.[a-z_]+$/)
      .max(64)
      .optional()
      .catch(undefined),
  ),
  from: z.preprocess(firstValue, isoDate.optional().catch(undefined)),
  to: z.preprocess(firstValue, isoDate.optional().catch(undefined)),
  after: z.preprocess(firstValue, z.string().optional().catch(undefined)),
  before: z.preprocess(firstValue, z.string().optional().catch(undefined)),
});

export type EventFilter = z.infer<typeof eventFilterSchema>;

export function parseEventFilter(input: unknown): EventFilter {
  return eventFilterSchema.parse(input ?? {});
}

export interface EventRow {
  id: string;
  createdAt: Date;
  actorType: "account" | "scim" | "system";
  actorLabel: string;
  type: string;
  event: string;
  targetType: string | null;
  targetLabel: string | null;
  targetId: string | null;
  details: string;
}

interface RawEvent {
  id: string | number;
  created_at: Date | string;
  sort_key: string;
  actor_type: EventRow["actorType"];
  actor_label: string;
  type: string;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  details: Record<string, unknown> | null;
}

const isEventCursor = (cursor: Cursor) =>
  /^\d{1,19}$/.test(cursor.id) && timestampKeyPattern.test(cursor.key);

/** The filter as SQL; dates are whole days in UTC, both ends included. */
function filterSql(organizationId: string, filter: EventFilter): SQL[] {
  const where = [sql`e.organization_id = ${organizationId}`];
  if (filter.type) where.push(sql`e.type = ${filter.type}`);
  if (filter.from) {
    where.push(
      sql`e.created_at >= (${filter.from}::date)::timestamp at time zone 'UTC'`,
    );
  }
  if (filter.to) {
    where.push(
      sql`e.created_at < (${filter.to}::date + 1)::timestamp at time zone 'UTC'`,
    );
  }
  return where;
}

/** Newest first, keyset on (created_at, id) over events_org_created_idx. */
export function eventPageQuery(
  organizationId: string,
  filter: EventFilter,
  limit: number,
  cursor?: { position: Cursor; direction: "after" | "before" },
): SQL {
  const where = filterSql(organizationId, filter);
  const reversed = cursor?.direction === "before";
  if (cursor) {
    where.push(
      sql`(e.created_at, e.id) ${reversed ? sql`>` : sql`<`} (${cursor.position.key}::timestamptz, ${cursor.position.id}::bigint)`,
    );
  }
  const direction = reversed ? sql`asc` : sql`desc`;
  return sql`select e.id, e.created_at,
      to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key,
      e.actor_type, e.actor_label, e.type, e.target_type, e.target_id,
      e.target_label, e.details
    from events e
    where ${sql.join(where, sql` and `)}
    order by e.created_at ${direction}, e.id ${direction}
    limit ${limit}`;
}

function toRow(raw: RawEvent): EventRow {
  return {
    id: String(raw.id),
    createdAt: new Date(raw.created_at),
    actorType: raw.actor_type,
    actorLabel: raw.actor_label,
    type: raw.type,
    event: describeEventType(raw.type),
    targetType: raw.target_type,
    targetId: raw.target_id,
    targetLabel: raw.target_label,
    details: describeEventDetails(raw.type, raw.details),
  };
}

export interface EventsPage {
  rows: EventRow[];
  nextCursor?: string;
  previousCursor?: string;
  /** A filter problem to show, such as a date range that ends before it starts. */
  problem?: string;
}

/** One page of the Event log, for an owner or admin. */
export async function eventsPage(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<EventsPage> {
  await managerAccess(account, organizationId);
  const filter = parseEventFilter(input);
  if (filter.from && filter.to && filter.from > filter.to) {
    return {
      rows: [],
      problem:
        "The From date is after the To date. Choose a From date on or before the To date.",
    };
  }

  const after = decodeCursor(filter.after, isEventCursor);
  const before = after ? undefined : decodeCursor(filter.before, isEventCursor);
  const cursor = after
    ? { position: after, direction: "after" as const }
    : before
      ? { position: before, direction: "before" as const }
      : undefined;
  const found = await queryRows<RawEvent>(
    db(),
    eventPageQuery(organizationId, filter, EVENTS_PAGE_SIZE + 1, cursor),
  );
  const more = found.length > EVENTS_PAGE_SIZE;
  const page = found.slice(0, EVENTS_PAGE_SIZE);
  if (before) page.reverse();

  const cursorOf = (raw: RawEvent) =>
    encodeCursor({ key: raw.sort_key, id: String(raw.id) });
  const hasNext = before ? true : more;
  const hasPrevious = before ? more : Boolean(after);
  return {
    rows: page.map(toRow),
    nextCursor:
      hasNext && page.length ? cursorOf(page[page.length - 1]) : undefined,
    previousCursor: hasPrevious && page.length ? cursorOf(page[0]) : undefined,
  };
}

export const CSV_HEADER = [
  "Time (UTC)",
  "Actor",
  "Event",
  "Event type",
  "Target",
  "Target type",
  "Target id",
  "Details",
];

/**
 * The filtered events as CSV lines, read in keyset batches so that the
 * export of a long log streams with constant memory. Authorization happens
 * before the first line.
 */
export async function eventsCsv(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<AsyncGenerator<string>> {
  await managerAccess(account, organizationId);
  const filter = parseEventFilter(input);
  return (async function* lines() {
    yield csvLine(CSV_HEADER);
    if (filter.from && filter.to && filter.from > filter.to) return;
    let position: Cursor | undefined;
    for (;;) {
      const batch: RawEvent[] = await queryRows<RawEvent>(
        db(),
        eventPageQuery(
          organizationId,
          filter,
          EXPORT_BATCH_SIZE,
          position ? { position, direction: "after" } : undefined,
        ),
      );
      for (const raw of batch) {
        const row = toRow(raw);
        yield csvLine([
          row.createdAt.toISOString(),
          row.actorLabel,
          row.event,
          row.type,
          row.targetLabel,
          row.targetType,
          row.targetId,
          row.details,
        ]);
      }
      if (batch.length < EXPORT_BATCH_SIZE) return;
      const last = batch[batch.length - 1];
      position = { key: last.sort_key, id: String(last.id) };
    }
  })();
}
