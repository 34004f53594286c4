import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { members, type Group } from "@/db/schema";
import { invalid, notFound } from "@/lib/errors";
import {
  addMembers,
  createGroup,
  deleteGroup,
  findGroup,
  lockGroup,
  removeMembers,
  renameGroup,
} from "@/lib/groups";
import { queryRows } from "@/db/rows";
import {
  collectionsOf,
  collectionsOfGroup,
  setGroupCollections,
} from "@/lib/vault";
import { managerAccess, type ConsoleAccount } from "./access";
import {
  decodeCursor,
  encodeCursor,
  timestampKeyPattern,
  uuidPattern,
  type Cursor,
} from "./cursor";

export const GROUPS_PAGE_SIZE = 50;
export const GROUP_MEMBERS_PAGE_SIZE = 50;
/** Emails one "Add members" submission may name. */
export const MAX_EMAILS_PER_ADD = 500;

const firstValue = (value: unknown) =>
  Array.isArray(value) ? value[0] : value;

const pageSchema = z.object({
  after: z.preprocess(firstValue, z.string().optional().catch(undefined)),
  before: z.preprocess(firstValue, z.string().optional().catch(undefined)),
});

function pageCursor(input: unknown, isValid: (cursor: Cursor) => boolean) {
  const page = pageSchema.parse(input ?? {});
  const after = decodeCursor(page.after, isValid);
  const before = after ? undefined : decodeCursor(page.before, isValid);
  return { after, before };
}

export interface GroupListRow {
  id: string;
  displayName: string;
  externalId: string | null;
  origin: "scim" | "console";
  memberCount: number;
}

/** One page of groups by name (keyset on the unique lower(display_name)). */
export function groupPageQuery(
  organizationId: string,
  cursor?: { key: string; before: boolean },
): SQL {
  const where = [sql`organization_id = ${organizationId}`];
  if (cursor) {
    where.push(
      sql`lower(display_name) ${cursor.before ? sql`<` : sql`>`} ${cursor.key}`,
    );
  }
  return sql`select id, display_name, external_id, origin,
      lower(display_name) as sort_key
    from groups where ${sql.join(where, sql` and `)}
    order by lower(display_name) ${cursor?.before ? sql`desc` : sql`asc`}
    limit ${GROUPS_PAGE_SIZE + 1}`;
}

/** Member counts of the groups on one page, in one grouped query. */
export function groupCountsQuery(groupIds: string[]): SQL {
  return sql`select group_id, count(*)::int as count from group_members
    where group_id in (${sql.join(
      groupIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
    group by group_id`;
}

export async function groupsPage(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
) {
  await managerAccess(account, organizationId);
  const { after, before } = pageCursor(
    input,
    (cursor) => uuidPattern.test(cursor.id) && cursor.key.length <= 256,
  );
  const cursor = after ?? before;
  const found = await queryRows<{
    id: string;
    display_name: string;
    external_id: string | null;
    origin: "scim" | "console";
    sort_key: string;
  }>(
    db(),
    groupPageQuery(
      organizationId,
      cursor ? { key: cursor.key, before: Boolean(before) } : undefined,
    ),
  );
  const more = found.length > GROUPS_PAGE_SIZE;
  const page = found.slice(0, GROUPS_PAGE_SIZE);
  if (before) page.reverse();

  const counts = page.length
    ? await queryRows<{ group_id: string; count: number }>(
        db(),
        groupCountsQuery(page.map((row) => row.id)),
      )
    : [];
  const countOf = new Map(
    counts.map((row) => [row.group_id, Number(row.count)]),
  );
  const [{ total }] = await queryRows<{ total: number }>(
    db(),
    sql`select count(*)::int as total from groups where organization_id = ${organizationId}`,
  );

  const cursorOf = (row: (typeof page)[number]) =>
    encodeCursor({ key: row.sort_key, id: row.id });
  const hasNext = before ? true : more;
  const hasPrevious = before ? more : Boolean(after);
  return {
    total: Number(total),
    rows: page.map((row): GroupListRow => ({
      id: row.id,
      displayName: row.display_name,
      externalId: row.external_id,
      origin: row.origin,
      memberCount: countOf.get(row.id) ?? 0,
    })),
    nextCursor:
      hasNext && page.length ? cursorOf(page[page.length - 1]) : undefined,
    previousCursor: hasPrevious && page.length ? cursorOf(page[0]) : undefined,
  };
}

export interface GroupMemberRow {
  id: string;
  name: string | null;
  email: string;
  status: (typeof members.$inferSelect)["status"];
  origin: "scim" | "console";
}

/** A group's members in the order they were added (group_members_group_created_idx). */
export function groupMembersQuery(
  groupId: string,
  cursor?: { position: Cursor; before: boolean },
): SQL {
  const where = [sql`gm.group_id = ${groupId}`];
  if (cursor) {
    where.push(
      sql`(gm.created_at, gm.member_id) ${cursor.before ? sql`<` : sql`>`} (${cursor.position.key}::timestamptz, ${cursor.position.id}::uuid)`,
    );
  }
  const direction = cursor?.before ? sql`desc` : sql`asc`;
  return sql`select m.id, m.email, m.status, m.origin,
      to_char(gm.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key,
      coalesce(nullif(m.display_name, ''), nullif(m.formatted_name, ''),
        nullif(trim(concat_ws(' ', m.given_name, m.family_name)), ''),
        a.name) as name
    from group_members gm
    join members m on m.id = gm.member_id
    left join accounts a on a.id = m.account_id
    where ${sql.join(where, sql` and `)}
    order by gm.created_at ${direction}, gm.member_id ${direction}
    limit ${GROUP_MEMBERS_PAGE_SIZE + 1}`;
}

/** A group's page: the group, one page of its members, and its collections. */
export async function groupDetail(
  account: ConsoleAccount,
  organizationId: string,
  groupId: string,
  input: unknown,
) {
  await managerAccess(account, organizationId);
  const group = await findGroup(db(), organizationId, groupId);
  if (!group) throw notFound("Group not found");

  const { after, before } = pageCursor(
    input,
    (cursor) =>
      uuidPattern.test(cursor.id) && timestampKeyPattern.test(cursor.key),
  );
  const cursor = after ?? before;
  const [found, [{ count }], granted, collections] = await Promise.all([
    queryRows<GroupMemberRow & { sort_key: string }>(
      db(),
      groupMembersQuery(
        group.id,
        cursor ? { position: cursor, before: Boolean(before) } : undefined,
      ),
    ),
    queryRows<{ count: number }>(
      db(),
      sql`select count(*)::int as count from group_members where group_id = ${group.id}`,
    ),
    collectionsOfGroup(organizationId, group.id),
    collectionsOf(organizationId),
  ]);
  const more = found.length > GROUP_MEMBERS_PAGE_SIZE;
  const page = found.slice(0, GROUP_MEMBERS_PAGE_SIZE);
  if (before) page.reverse();
  const cursorOf = (row: (typeof page)[number]) =>
    encodeCursor({ key: row.sort_key, id: row.id });
  const hasNext = before ? true : more;
  const hasPrevious = before ? more : Boolean(after);

  return {
    group,
    memberCount: Number(count),
    members: page.map((row): GroupMemberRow => ({
      id: row.id,
      name: row.name,
      email: row.email,
      status: row.status,
      origin: row.origin,
    })),
    nextCursor:
      hasNext && page.length ? cursorOf(page[page.length - 1]) : undefined,
    previousCursor: hasPrevious && page.length ? cursorOf(page[0]) : undefined,
    /** Collection names are encrypted; the browser opens them with the organization key. */
    collections,
    grantedCollectionIds: granted.map((collection) => collection.id),
  };
}

export const groupNameSchema = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, "Enter a name for the group")
    .max(256, "A group name has at most 256 characters"),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw invalid(parsed.error.issues[0]?.message ?? "Invalid request");
  }
  return parsed.data;
}

async function withLockedGroup<T>(
  account: ConsoleAccount,
  organizationId: string,
  groupId: string,
  change: (
    tx: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0],
    group: Group,
    access: Awaited<ReturnType<typeof managerAccess>>,
  ) => Promise<T>,
): Promise<T> {
  const access = await managerAccess(account, organizationId);
  return db().transaction(async (tx) => {
    const group = await lockGroup(tx, organizationId, groupId);
    if (!group) {
      throw notFound("This group no longer exists. Go back to Groups.");
    }
    return change(tx, group, access);
  });
}

export async function createGroupByAdmin(
  account: ConsoleAccount,
  organizationId: string,
  input: unknown,
): Promise<Group> {
  const access = await managerAccess(account, organizationId);
  const { displayName } = parse(groupNameSchema, input);
  return db().transaction(async (tx) => {
    const { group } = await createGroup(
      tx,
      { organizationId, displayName, externalId: null, origin: "console" },
      access.actor,
    );
    return group;
  });
}

export function renameGroupByAdmin(
  account: ConsoleAccount,
  organizationId: string,
  groupId: string,
  input: unknown,
): Promise<Group> {
  const { displayName } = parse(groupNameSchema, input);
  return withLockedGroup(
    account,
    organizationId,
    groupId,
    (tx, group, access) => renameGroup(tx, group, displayName, access.actor),
  );
}

export function deleteGroupByAdmin(
  account: ConsoleAccount,
  organizationId: string,
  groupId: string,
): Promise<Group> {
  return withLockedGroup(
    account,
    organizationId,
    groupId,
    async (tx, group, access) => {
      await deleteGroup(tx, group, access.actor);
      return group;
    },
  );
}

export const addMembersSchema = z.object({
  emails: z
    .string()
    .max(MAX_EMAILS_PER_ADD * 256)
    .transform((text) => [
      ...new Set(
        text
          .split(/[\s,;]+/)
          .map((email) => email.trim().toLowerCase())
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(z.string())
        .min(1, "Enter the email address of at least one member")
        .max(
          MAX_EMAILS_PER_ADD,
          `Add at most ${MAX_EMAILS_PER_ADD} members at once`,
        ),
    ),
});

export interface AddMembersResult {
  added: number;
  alreadyIn: number;
  /** Emails that are not members of the organization. */
  notMembers: string[];
}

/** Adds members to a group by their email addresses. */
export function addGroupMembersByEmail(
  account: ConsoleAccount,
  organizationId: string,
  groupId: string,
  input: unknown,
): Promise<AddMembersResult> {
  const { emails } = parse(addMembersSchema, input);
  return withLockedGroup(
    account,
    organizationId,
    groupId,
    async (tx, group, access) => {
      const found = await tx
        .select({ id: members.id, email: members.email })
        .from(members)
        .where(
          and(
            eq(members.organizationId, organizationId),
            inArray(sql`lower(${members.email})`, emails),
          ),
        );
      const foundEmails = new Set(found.map((row) => row.email.toLowerCase()));
      const { change } = found.length
        ? await addMembers(
            tx,
            group,
            found.map((row) => row.id),
            access.actor,
          )
        : { change: { added: { count: 0 } } };
      return {
        added: change.added.count,
        alreadyIn: found.length - change.added.count,
        notMembers: emails.filter((email) => !foundEmails.has(email)),
      };
    },
  );
}

export const removeMembersSchema = z.object({
  memberIds: z.array(z.uuid()).min(1, "Select a member to remove").max(100),
});

export function removeGroupMembersByAdmin(
  account: ConsoleAccount,
  organizationId: string,
  groupId: string,
  input: unknown,
): Promise<number> {
  const { memberIds } = parse(removeMembersSchema, input);
  return withLockedGroup(
    account,
    organizationId,
    groupId,
    async (tx, group, access) => {
      const { change } = await removeMembers(
        tx,
        group,
        memberIds,
        access.actor,
      );
      return change.removed.count;
    },
  );
}

export const groupCollectionsSchema = z.object({
  collectionIds: z.array(z.uuid()).max(1000),
});

export async function setGroupCollectionsByAdmin(
  account: ConsoleAccount,
  organizationId: string,
  groupId: string,
  input: unknown,
): Promise<void> {
  const access = await managerAccess(account, organizationId);
  const { collectionIds } = parse(groupCollectionsSchema, input);
  await setGroupCollections(
    organizationId,
    groupId,
    collectionIds,
    access.actor,
  );
}
