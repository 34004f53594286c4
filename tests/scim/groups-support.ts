import { and, count, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { events, groupMembers, groups, members } from "@/db/schema";

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export function patchBody(...operations: object[]) {
  return { schemas: [PATCH_SCHEMA], Operations: operations };
}

/** The member ids of a group, read from the table. */
export async function memberIdsOf(groupId: string): Promise<string[]> {
  const rows = await db()
    .select({ id: groupMembers.memberId })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId));
  return rows.map((row) => row.id).sort();
}

export async function groupEvents(groupId: string) {
  return db()
    .select()
    .from(events)
    .where(eq(events.targetId, groupId))
    .orderBy(events.id);
}

/** Everything a refused request must leave as it was. */
export async function snapshot(organizationId: string) {
  const groupRows = await db()
    .select()
    .from(groups)
    .where(eq(groups.organizationId, organizationId))
    .orderBy(groups.id);
  const [{ value: memberships }] = await db()
    .select({ value: count() })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groups.organizationId, organizationId));
  const [{ value: eventCount }] = await db()
    .select({ value: count() })
    .from(events)
    .where(eq(events.organizationId, organizationId));
  return { groups: groupRows, memberships, events: eventCount };
}

/** Inserts `n` members of the organization by SQL and returns their ids. */
export async function seedMembers(
  organizationId: string,
  n: number,
  prefix: string,
): Promise<void> {
  await db().execute(sql`
    insert into ${members} (organization_id, user_name, email, status)
    select ${organizationId}::uuid, ${prefix} || n || '@seed.example',
           ${prefix} || n || '@seed.example', 'invited'
    from generate_series(1, ${n}::int) as n`);
}

/** Puts every seeded member with the prefix into the group, by SQL. */
export async function seedMemberships(
  organizationId: string,
  groupId: string,
  prefix: string,
): Promise<void> {
  await db().execute(sql`
    insert into ${groupMembers} (group_id, member_id)
    select ${groupId}::uuid, ${members.id} from ${members}
    where ${and(
      eq(members.organizationId, organizationId),
      sql`${members.userName} like ${`${prefix}%`}`,
    )}`);
}

interface LoggerLike {
  logQuery(query: string, params: unknown[]): void;
}
interface SessionLike {
  logger: LoggerLike;
  options: { logger?: LoggerLike };
}

/**
 * Records every SQL statement drizzle sends from now on, in this process
 * (the test's HTTP server included), through drizzle's logger hook. A
 * transaction's session takes its logger from the options of the session
 * that opened it, so both are set.
 */
export function recordStatements() {
  const session = (db() as unknown as { session: SessionLike }).session;
  const saved = { own: session.logger, options: session.options.logger };
  const statements: string[] = [];
  const logger: LoggerLike = { logQuery: (query) => statements.push(query) };
  session.logger = logger;
  session.options.logger = logger;
  return {
    statements,
    stop() {
      session.logger = saved.own;
      session.options.logger = saved.options;
    },
  };
}
