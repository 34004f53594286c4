/**
 * The benchmark's own database: created fresh on the server named by the
 * connection URL, seeded in bulk through the project's schema, dropped at the
 * end.
 */
import { sql, type AnyColumn } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { accounts, groupMembers, groups, members } from "@/db/schema";

export type BenchDatabase = PostgresJsDatabase<typeof schema>;

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(serverUrl: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const name = `bench_${stamp}_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return name;
}

export async function dropDatabase(serverUrl: string, name: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

export function openDatabase(url: string) {
  const client = postgres(url, { max: 2, onnotice: () => {} });
  return {
    db: drizzle(client, { schema }),
    client,
    close: () => client.end({ timeout: 5 }),
  };
}

const column = (c: AnyColumn) => sql.identifier(c.name);
const columns = (...list: AnyColumn[]) =>
  sql.join(list.map(column), sql.raw(", "));

/** userName and email of the i-th seeded member of an organization. */
export function seededUserName(tag: string, index: number) {
  return `user${index}@${tag}.bench.example`;
}

/**
 * Seeds `count` members as an identity provider would have left them: every
 * twentieth revoked, a tenth accepted or confirmed with an account (so the
 * console shows account names), the rest invited. Creation times are a
 * millisecond apart, oldest first, like a real import.
 */
export async function seedMembers(
  db: BenchDatabase,
  organizationId: string,
  tag: string,
  from: number,
  count: number,
) {
  const to = from + count - 1;
  const withAccount = sql`(i % 20) between 1 and 2`;
  const confirmed = sql`(i % 20) = 2`;
  await db.execute(sql`
    insert into ${accounts} (${columns(
      accounts.email,
      accounts.name,
      accounts.kdfIterations,
      accounts.authHash,
      accounts.publicKey,
      accounts.wrappedPrivateKey,
    )})
    select 'user' || i || '@' || ${tag} || '.bench.example',
      'Given' || i || ' Family' || i, 600000, 'seeded', 'seeded', 'seeded'
    from generate_series(${from}::int, ${to}::int) as i
    where ${withAccount}`);

  await db.execute(sql`
    insert into ${members} (${columns(
      members.organizationId,
      members.accountId,
      members.email,
      members.role,
      members.status,
      members.statusBeforeRevocation,
      members.organizationKey,
      members.origin,
      members.userName,
      members.externalId,
      members.givenName,
      members.familyName,
      members.formattedName,
      members.displayName,
      members.createdAt,
      members.updatedAt,
    )})
    select ${organizationId}::uuid,
      case when ${withAccount} then a.id end,
      s.email, 'user', 
      (case when i % 20 = 0 then 'revoked' when ${confirmed} then 'confirmed'
        when ${withAccount} then 'accepted' else 'invited' end)::member_status,
      (case when i % 20 = 0 then 'invited' end)::member_status,
      case when ${confirmed} then 'seeded-organization-key' end,
      'scim', s.email, ${tag} || '-' || i,
      'Given' || i, 'Family' || i, 'Given' || i || ' Family' || i,
      'Given' || i || ' Family' || i,
      s.created, s.created
    from generate_series(${from}::int, ${to}::int) as i
    cross join lateral (select 'user' || i || '@' || ${tag} || '.bench.example' as email,
      now() - interval '1 day' + i * interval '1 millisecond' as created) as s
    left join ${accounts} a on a.email = s.email`);
}

/** A SCIM group holding the given members (a slice of the seeded ones, by creation order). */
export async function seedGroup(
  db: BenchDatabase,
  organizationId: string,
  displayName: string,
  memberIds: readonly string[],
): Promise<string> {
  const [group] = await db
    .insert(groups)
    .values({ organizationId, displayName, origin: "scim" })
    .returning({ id: groups.id });
  for (let start = 0; start < memberIds.length; start += 20_000) {
    const batch = memberIds.slice(start, start + 20_000);
    await db.execute(sql`
      insert into ${groupMembers} (${columns(groupMembers.groupId, groupMembers.memberId)})
      select ${group.id}::uuid, value::uuid
      from jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb)`);
  }
  return group.id;
}

export interface SeededMember {
  id: string;
  userName: string;
}

/** The organization's members, oldest first. */
export async function membersOf(
  db: BenchDatabase,
  organizationId: string,
): Promise<SeededMember[]> {
  const rows = await db.execute<{ id: string; user_name: string }>(sql`
    select id, user_name from ${members}
    where organization_id = ${organizationId} order by created_at, id`);
  return rows.map((row) => ({ id: row.id, userName: row.user_name }));
}

/**
 * Bulk loads leave the planner without statistics and the visibility map
 * empty; a real database has had autovacuum run over months.
 */
export async function settle(db: BenchDatabase) {
  for (const table of [accounts, members, groups, groupMembers]) {
    await db.execute(sql`vacuum analyze ${table}`);
  }
}
