import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, type Executor } from "@/db/client";
import type { MemberRole, MemberStatus } from "@/db/schema";
import { queryRows } from "@/db/rows";
import { managerAccess, type ConsoleAccount } from "./access";
import {
  decodeCursor,
  encodeCursor,
  timestampKeyPattern,
  uuidPattern,
  type Cursor,
} from "./cursor";

export const MEMBERS_PAGE_SIZE = 50;
/** Search results are counted up to this many; beyond it the page says "1000+". */
export const SEARCH_COUNT_LIMIT = 1000;
export const SEARCH_MAX_LENGTH = 100;

export const memberTabs = [
  "all",
  "invited",
  "needs-confirmation",
  "revoked",
  "staged",
] as const;
export type MemberTab = (typeof memberTabs)[number];

export const tabStatus: Record<Exclude<MemberTab, "all">, MemberStatus> = {
  invited: "invited",
  "needs-confirmation": "accepted",
  revoked: "revoked",
  staged: "staged",
};

export const memberSorts = ["newest", "oldest", "email", "email-desc"] as const;
export type MemberSort = (typeof memberSorts)[number];

const firstValue = (value: unknown) =>
  Array.isArray(value) ? value[0] : value;

/** The Members page's URL parameters; anything unusable falls back to the default. */
export const memberListSchema = z.object({
  tab: z.preprocess(firstValue, z.enum(memberTabs).catch("all")),
  q: z.preprocess(
    firstValue,
    z
      .string()
      .transform((q) => q.trim().slice(0, SEARCH_MAX_LENGTH))
      .catch(""),
  ),
  sort: z.preprocess(firstValue, z.enum(memberSorts).catch("newest")),
  after: z.preprocess(firstValue, z.string().optional().catch(undefined)),
  before: z.preprocess(firstValue, z.string().optional().catch(undefined)),
  last: z.preprocess(
    firstValue,
    z
      .string()
      .optional()
      .catch(undefined)
      .transform((value) => value === "1"),
  ),
});

export type MemberListParams = z.infer<typeof memberListSchema>;

export function parseMemberListParams(input: unknown): MemberListParams {
  return memberListSchema.parse(input ?? {});
}

export interface MemberRow {
  id: string;
  name: string | null;
  email: string;
  role: MemberRole;
  status: MemberStatus;
  origin: "scim" | "console";
  accountId: string | null;
  createdAt: Date;
  groups: { id: string; displayName: string }[];
}

export type StatusCounts = Record<MemberStatus, number> & { all: number };

interface SortSpec {
  /** The expression the rows are ordered by, and that a cursor holds. */
  key: SQL;
  /** The cursor's key as SQL text of the right type. */
  keyValue(cursor: Cursor): SQL;
  /** Whether the id follows the key (keys that are not unique). */
  withId: boolean;
  descending: boolean;
  isValidKey(key: string): boolean;
}

const byCreation: Omit<SortSpec, "descending"> = {
  key: sql`to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  keyValue: (cursor) => sql`${cursor.key}::timestamptz`,
  withId: true,
  isValidKey: (key) => timestampKeyPattern.test(key),
};

// lower(email) is unique in an organization (members_org_email_key).
const byEmail: Omit<SortSpec, "descending"> = {
  key: sql`lower(m.email)`,
  keyValue: (cursor) => sql`${cursor.key}`,
  withId: false,
  isValidKey: (key) => key.length <= 254,
};

const sorts: Record<MemberSort, SortSpec> = {
  newest: { ...byCreation, descending: true },
  oldest: { ...byCreation, descending: false },
  email: { ...byEmail, descending: false },
  "email-desc": { ...byEmail, descending: true },
};

/** Escapes LIKE's wildcards so that a search for "a_b" means exactly that. */
export function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The conditions of a search: each matches a prefix of the email, the
 * display name, the given name, the family name or the account's name, and
 * each is a range scan of a text_pattern_ops index. A "contains" search
 * would need a full scan (or the pg_trgm extension), so the console searches
 * prefixes.
 */
function searchBranches(q: string): { join?: SQL; where: SQL }[] {
  const pattern = likePrefix(q);
  return [
    { where: sql`lower(m.email) like ${pattern}` },
    { where: sql`lower(m.display_name) like ${pattern}` },
    { where: sql`lower(m.given_name) like ${pattern}` },
    { where: sql`lower(m.family_name) like ${pattern}` },
    {
      join: sql`join accounts sa on sa.id = m.account_id`,
      where: sql`lower(sa.name) like ${pattern}`,
    },
  ];
}

function filters(organizationId: string, params: MemberListParams): SQL[] {
  const where = [sql`m.organization_id = ${organizationId}`];
  if (params.tab !== "all") {
    where.push(sql`m.status = ${tabStatus[params.tab]}`);
  }
  return where;
}

/**
 * The rows that the conditions select: one indexed scan, or with a search
 * one per search branch, united (UNION drops a member found twice, as every
 * branch selects the same columns of the same row).
 */
function selection(
  params: MemberListParams,
  where: SQL[],
  columns: SQL,
  tail: SQL,
): SQL {
  if (!params.q) {
    return sql`select ${columns} from members m
      where ${sql.join(where, sql` and `)} ${tail}`;
  }
  const branches = searchBranches(params.q).map(
    (branch) => sql`select ${columns} from members m ${branch.join ?? sql``}
      where ${sql.join([...where, branch.where], sql` and `)}`,
  );
  return sql`${sql.join(branches, sql` union `)} ${tail}`;
}

interface PageRow {
  id: string;
  name: string | null;
  email: string;
  role: MemberRole;
  status: MemberStatus;
  origin: "scim" | "console";
  account_id: string | null;
  created_at: Date | string;
  sort_key: string;
}

/** The statement behind one page of the Members table (exported for EXPLAIN). */
export function memberPageQuery(
  organizationId: string,
  params: MemberListParams,
): { statement: SQL; reversed: boolean; cursor?: Cursor } {
  const spec = sorts[params.sort];
  const isValid = (cursor: Cursor) =>
    uuidPattern.test(cursor.id) && spec.isValidKey(cursor.key);
  const after = decodeCursor(params.after, isValid);
  const before = after ? undefined : decodeCursor(params.before, isValid);
  // Previous pages and the last page are read backwards, then flipped.
  const reversed = Boolean(before) || (!after && params.last);
  const descending = spec.descending !== reversed;
  const direction = descending ? sql`desc` : sql`asc`;

  const where = filters(organizationId, params);
  const cursor = after ?? before;
  if (cursor) {
    const comparator = descending ? sql`<` : sql`>`;
    where.push(
      spec.withId
        ? sql`(m.created_at, m.id) ${comparator} (${spec.keyValue(cursor)}, ${cursor.id}::uuid)`
        : sql`lower(m.email) ${comparator} ${spec.keyValue(cursor)}`,
    );
  }
  // ORDER BY names output columns, which are the indexed expressions.
  const order = spec.withId
    ? sql`created_at ${direction}, id ${direction}`
    : sql`email_key ${direction}`;

  const columns = sql`m.id, m.email, m.role, m.status, m.origin,
    m.account_id, m.created_at, lower(m.email) as email_key,
    ${spec.key} as sort_key, m.display_name, m.formatted_name, m.given_name,
    m.family_name`;
  const page = selection(
    params,
    where,
    columns,
    sql`order by ${order} limit ${MEMBERS_PAGE_SIZE + 1}`,
  );
  // Account names are joined for the page's rows only.
  const statement = sql`select p.id, p.email, p.role, p.status, p.origin,
      p.account_id, p.created_at, p.sort_key,
      coalesce(nullif(p.display_name, ''), nullif(p.formatted_name, ''),
        nullif(trim(concat_ws(' ', p.given_name, p.family_name)), ''),
        a.name) as name
    from (${page}) as p left join accounts a on a.id = p.account_id
    order by ${order}`;
  return { statement, reversed, cursor };
}

/**
 * Members per status: one index-only count per status over
 * members_org_status_created_idx, so the cost does not depend on other
 * organizations' members.
 */
export function statusCountsQuery(organizationId: string): SQL {
  return sql`select s.status, (select count(*)::int from members m
      where m.organization_id = ${organizationId} and m.status = s.status) as count
    from unnest(enum_range(null::member_status)) as s(status)`;
}

/** How many members a search finds, counted up to SEARCH_COUNT_LIMIT + 1. */
export function searchCountQuery(
  organizationId: string,
  params: MemberListParams,
): SQL {
  const found = selection(
    params,
    filters(organizationId, params),
    sql`m.id`,
    sql`limit ${SEARCH_COUNT_LIMIT + 1}`,
  );
  return sql`select count(*)::int as count from (${found}) as found`;
}

/** The groups of the members on one page, in one query (group_members_member_idx). */
export function pageGroupsQuery(memberIds: string[]): SQL {
  return sql`select gm.member_id, g.id, g.display_name
    from group_members gm join groups g on g.id = gm.group_id
    where gm.member_id in (${sql.join(
      memberIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
    order by lower(g.display_name), g.id`;
}

export async function statusCounts(
  executor: Executor,
  organizationId: string,
): Promise<StatusCounts> {
  const rows = await queryRows<{ status: MemberStatus; count: number }>(
    executor,
    statusCountsQuery(organizationId),
  );
  const counts: StatusCounts = {
    all: 0,
    invited: 0,
    accepted: 0,
    confirmed: 0,
    revoked: 0,
    staged: 0,
  };
  for (const row of rows) {
    counts[row.status] = Number(row.count);
    counts.all += Number(row.count);
  }
  return counts;
}

export interface MembersPage {
  rows: MemberRow[];
  counts: StatusCounts;
  /** Members the tab and search select: exact, or SEARCH_COUNT_LIMIT + 1 meaning "more". */
  matching: number;
  nextCursor?: string;
  previousCursor?: string;
  scimEnabled: boolean;
}

/** One page of the Members table, for an owner or admin. */
export async function membersPage(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<MembersPage> {
  await managerAccess(account, organizationId);
  const params = parseMemberListParams(input);
  const executor = db();

  const { statement, reversed, cursor } = memberPageQuery(
    organizationId,
    params,
  );
  const [found, counts, searchCount, scim] = await Promise.all([
    queryRows<PageRow>(executor, statement),
    statusCounts(executor, organizationId),
    params.q
      ? queryRows<{ count: number }>(
          executor,
          searchCountQuery(organizationId, params),
        )
      : Promise.resolve(undefined),
    queryRows<{ enabled: boolean }>(
      executor,
      sql`select enabled from scim_configs where organization_id = ${organizationId}`,
    ),
  ]);

  const more = found.length > MEMBERS_PAGE_SIZE;
  const page = found.slice(0, MEMBERS_PAGE_SIZE);
  if (reversed) page.reverse();

  const groups = page.length
    ? await queryRows<{ member_id: string; id: string; display_name: string }>(
        executor,
        pageGroupsQuery(page.map((row) => row.id)),
      )
    : [];
  const groupsOf = new Map<string, { id: string; displayName: string }[]>();
  for (const group of groups) {
    const list = groupsOf.get(group.member_id) ?? [];
    list.push({ id: group.id, displayName: group.display_name });
    groupsOf.set(group.member_id, list);
  }

  const cursorOf = (row: PageRow) =>
    encodeCursor({ key: row.sort_key, id: row.id });
  const first = page[0];
  const last = page[page.length - 1];
  // Reading forwards, a page after a cursor has a previous page; reading
  // backwards, one more row than a page means there is an earlier one.
  const hasNext = reversed ? Boolean(cursor) && !params.last : more;
  const hasPrevious = reversed ? more : Boolean(cursor);

  return {
    rows: page.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      role: row.role,
      status: row.status,
      origin: row.origin,
      accountId: row.account_id,
      createdAt: new Date(row.created_at),
      groups: groupsOf.get(row.id) ?? [],
    })),
    counts,
    matching: searchCount
      ? Number(searchCount[0]?.count ?? 0)
      : params.tab === "all"
        ? counts.all
        : counts[tabStatus[params.tab]],
    nextCursor: hasNext && last ? cursorOf(last) : undefined,
    previousCursor: hasPrevious && first ? cursorOf(first) : undefined,
    scimEnabled: scim[0]?.enabled ?? false,
  };
}
