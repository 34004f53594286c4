import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { violatedUniqueConstraint } from "@/db/errors";
import {
  accounts,
  groupMembers,
  groups,
  members,
  type Group,
} from "@/db/schema";
import { conflict } from "@/lib/errors";
import { recordEvent, type Actor } from "@/lib/events";
import { isUuid } from "@/lib/scim/ids";
import { queryRows } from "@/db/rows";

/**
 * Groups and their memberships, shared by SCIM and the console. Each function
 * runs on the caller's transaction and writes its event there; callers lock
 * the group row (`lockGroup`) first. Membership is rows: a change is a few
 * statements whose number does not depend on the size of the group, and no
 * function loads a group's member list to change it.
 */

/** Events name at most this many member ids; counts are always complete. */
export const EVENT_ID_SAMPLE = 20;
/** Ids per INSERT when adding a list of members. */
const INSERT_BATCH = 1000;

export interface GroupFields {
  displayName: string;
  externalId: string | null;
}

/** The members a change added or removed: how many, and the first ids. */
export interface IdSample {
  count: number;
  ids: string[];
}

export interface MembershipChange {
  added: IdSample;
  removed: IdSample;
  /** Requested ids that are malformed or not members of the organization. */
  skipped: string[];
}

export interface GroupMember {
  id: string;
  /** displayName, else the formatted or account name, else the email. */
  display: string;
}

export interface MemberGroup {
  id: string;
  displayName: string;
}

const noIds = (): IdSample => ({ count: 0, ids: [] });

function target(group: Pick<Group, "id" | "displayName">) {
  return { type: "group", id: group.id, label: group.displayName };
}

function bumped() {
  return { version: sql`${groups.version} + 1`, updatedAt: new Date() };
}

/** The unique indexes of `groups` as a 409 that names the value. */
function groupConflict(error: unknown, fields: Partial<GroupFields>): never {
  const constraint = violatedUniqueConstraint(error);
  if (constraint === "groups_org_display_name_key") {
    throw conflict(
      `A group named "${fields.displayName}" already exists in this organization`,
    );
  }
  if (constraint === "groups_org_external_id_key") {
    throw conflict(
      `A group with externalId "${fields.externalId}" already exists in this organization`,
    );
  }
  throw error;
}

/**
 * A malformed id as an event can keep it: shortened, and without the NUL
 * characters and lone surrogates that PostgreSQL's jsonb refuses.
 */
function printableId(id: string): string {
  return id
    .slice(0, 64)
    .replace(
      /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      "\uFFFD",
    );
}

/** Splits requested ids into well-formed (lower-cased, once each) and malformed. */
function partitionIds(ids: readonly string[]) {
  const wellFormed = new Set<string>();
  const malformed = new Set<string>();
  for (const id of ids) {
    if (isUuid(id)) wellFormed.add(id.toLowerCase());
    else malformed.add(printableId(id));
  }
  return { wellFormed: [...wellFormed], malformed: [...malformed] };
}

/**
 * A list of uuids as one parameter, whatever its length. Statements that
 * insert memberships lock the members they found (`for key share`), so that a
 * member removed meanwhile is left out instead of failing the foreign key.
 */
function idTable(ids: readonly string[]) {
  return sql`(select distinct value::uuid as id from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

function sampleDetails(change: MembershipChange) {
  const details: Record<string, unknown> = {};
  if (change.added.count > 0) details.added = change.added;
  if (change.removed.count > 0) details.removed = change.removed;
  if (change.skipped.length > 0) {
    details.skipped = {
      count: change.skipped.length,
      ids: change.skipped.slice(0, EVENT_ID_SAMPLE),
    };
  }
  return details;
}

function mergeSample(into: IdSample, from: IdSample) {
  into.count += from.count;
  into.ids.push(...from.ids.slice(0, EVENT_ID_SAMPLE - into.ids.length));
}

interface ChangeRow {
  skipped: string[] | null;
  added_count: number | null;
  added_ids: string[] | null;
  removed_count: number | null;
  removed_ids: string[] | null;
}

function changeOf(row: ChangeRow | undefined): MembershipChange {
  return {
    skipped: row?.skipped ?? [],
    added: { count: row?.added_count ?? 0, ids: row?.added_ids ?? [] },
    removed: { count: row?.removed_count ?? 0, ids: row?.removed_ids ?? [] },
  };
}

/** `count` and the first ids of a data-modifying CTE's returned member_id. */
function summary(cte: string) {
  return sql.raw(`(select count(*)::int from ${cte}) as ${cte}_count,
    (select coalesce(json_agg(member_id), '[]'::json)
       from (select member_id from ${cte} limit ${EVENT_ID_SAMPLE}) as first) as ${cte}_ids`);
}

export async function findGroup(
  executor: Executor,
  organizationId: string,
  groupId: string,
): Promise<Group | undefined> {
  if (!isUuid(groupId)) return undefined;
  const [group] = await executor
    .select()
    .from(groups)
    .where(
      and(eq(groups.id, groupId), eq(groups.organizationId, organizationId)),
    );
  return group;
}

/** The group, locked for the rest of the transaction. */
export async function lockGroup(
  executor: Executor,
  organizationId: string,
  groupId: string,
): Promise<Group | undefined> {
  if (!isUuid(groupId)) return undefined;
  const [group] = await executor
    .select()
    .from(groups)
    .where(
      and(eq(groups.id, groupId), eq(groups.organizationId, organizationId)),
    )
    .for("update");
  return group;
}

export async function createGroup(
  executor: Executor,
  input: GroupFields & {
    organizationId: string;
    origin: Group["origin"];
    memberIds?: readonly string[];
  },
  actor: Actor,
): Promise<{ group: Group; change: MembershipChange }> {
  let group: Group;
  try {
    [group] = await executor
      .insert(groups)
      .values({
        organizationId: input.organizationId,
        displayName: input.displayName,
        externalId: input.externalId,
        origin: input.origin,
      })
      .returning();
  } catch (error) {
    groupConflict(error, input);
  }

  const change = input.memberIds?.length
    ? await insertMembers(executor, group, input.memberIds)
    : { added: noIds(), removed: noIds(), skipped: [] };

  await recordEvent(executor, {
    organizationId: group.organizationId,
    type: "group.created",
    actor,
    target: target(group),
    details: {
      displayName: group.displayName,
      externalId: group.externalId,
      ...sampleDetails(change),
    },
  });
  return { group, change };
}

/**
 * Changes the displayName and/or externalId. Nothing changes, and no event
 * is written, when the values are the ones stored.
 */
export async function updateGroup(
  executor: Executor,
  group: Group,
  fields: Partial<GroupFields>,
  actor: Actor,
): Promise<Group> {
  const changes: Record<string, { from: string | null; to: string | null }> =
    {};
  if (
    fields.displayName !== undefined &&
    fields.displayName !== group.displayName
  ) {
    changes.displayName = { from: group.displayName, to: fields.displayName };
  }
  if (
    fields.externalId !== undefined &&
    fields.externalId !== group.externalId
  ) {
    changes.externalId = { from: group.externalId, to: fields.externalId };
  }
  if (Object.keys(changes).length === 0) return group;

  let updated: Group;
  try {
    [updated] = await executor
      .update(groups)
      .set({
        ...(changes.displayName ? { displayName: fields.displayName } : {}),
        ...(changes.externalId ? { externalId: fields.externalId } : {}),
        ...bumped(),
      })
      .where(eq(groups.id, group.id))
      .returning();
  } catch (error) {
    groupConflict(error, fields);
  }

  await recordEvent(executor, {
    organizationId: group.organizationId,
    type: changes.displayName ? "group.renamed" : "group.updated",
    actor,
    target: target(updated),
    details: changes,
  });
  return updated;
}

export function renameGroup(
  executor: Executor,
  group: Group,
  displayName: string,
  actor: Actor,
): Promise<Group> {
  return updateGroup(executor, group, { displayName }, actor);
}

/** Deletes the group; its memberships and collection grants go with it. */
export async function deleteGroup(
  executor: Executor,
  group: Group,
  actor: Actor,
): Promise<void> {
  const [{ count }] = await queryRows<{ count: number }>(
    executor,
    sql`with deleted as (
          delete from ${groups} where ${groups.id} = ${group.id} returning id
        )
        select count(*)::int as count from ${groupMembers}
        where ${groupMembers.groupId} in (select id from deleted)`,
  );
  await recordEvent(executor, {
    organizationId: group.organizationId,
    type: "group.deleted",
    actor,
    target: target(group),
    details: { displayName: group.displayName, memberCount: count },
  });
}

/**
 * Adds members, skipping those already in. Ids that are malformed or name no
 * member of the group's organization are skipped and named in the event.
 */
export async function addMembers(
  executor: Executor,
  group: Group,
  memberIds: readonly string[],
  actor: Actor,
): Promise<{ group: Group; change: MembershipChange }> {
  const change = await insertMembers(executor, group, memberIds);
  return recordChange(executor, group, change, actor);
}

/** Removes the listed members; ids that are not in the group change nothing. */
export async function removeMembers(
  executor: Executor,
  group: Group,
  memberIds: readonly string[],
  actor: Actor,
): Promise<{ group: Group; change: MembershipChange }> {
  const { wellFormed, malformed } = partitionIds(memberIds);
  let removed = noIds();
  if (wellFormed.length > 0) {
    const [row] = await queryRows<ChangeRow>(
      executor,
      sql`with removed as (
            delete from ${groupMembers}
            where ${groupMembers.groupId} = ${group.id}
              and ${groupMembers.memberId} in ${idTable(wellFormed)}
            returning member_id
          )
          select ${summary("removed")}`,
    );
    removed = changeOf(row).removed;
  }
  return recordChange(
    executor,
    group,
    { added: noIds(), removed, skipped: malformed },
    actor,
  );
}

/** Removes every member of the group. */
export async function removeAllMembers(
  executor: Executor,
  group: Group,
  actor: Actor,
): Promise<{ group: Group; change: MembershipChange }> {
  const [row] = await queryRows<ChangeRow>(
    executor,
    sql`with removed as (
          delete from ${groupMembers}
          where ${groupMembers.groupId} = ${group.id}
          returning member_id
        )
        select ${summary("removed")}`,
  );
  return recordChange(executor, group, changeOf(row), actor);
}

/**
 * Makes the list the group's members: one statement deletes the members not
 * in the list and inserts the missing ones, so the difference is computed by
 * PostgreSQL and only changed rows are written.
 */
export async function replaceMembers(
  executor: Executor,
  group: Group,
  memberIds: readonly string[],
  actor: Actor,
): Promise<{ group: Group; change: MembershipChange }> {
  const { wellFormed, malformed } = partitionIds(memberIds);
  const [row] = await queryRows<ChangeRow>(
    executor,
    sql`with wanted as ${idTable(wellFormed)},
        valid as (
          select ${members.id} as id from ${members}
          where ${members.organizationId} = ${group.organizationId}
            and ${members.id} in (select id from wanted)
          for key share
        ),
        removed as (
          delete from ${groupMembers}
          where ${groupMembers.groupId} = ${group.id}
            and ${groupMembers.memberId} not in (select id from valid)
          returning member_id
        ),
        added as (
          insert into ${groupMembers} (group_id, member_id)
          select ${group.id}::uuid, id from valid
          on conflict do nothing
          returning member_id
        )
        select
          (select coalesce(json_agg(id), '[]'::json) from wanted
            where id not in (select id from valid)) as skipped,
          ${summary("added")},
          ${summary("removed")}`,
  );
  const change = changeOf(row);
  change.skipped = [...malformed, ...change.skipped];
  return recordChange(executor, group, change, actor);
}

/** Inserts members in batches, restricted to members of the organization. */
async function insertMembers(
  executor: Executor,
  group: Group,
  memberIds: readonly string[],
): Promise<MembershipChange> {
  const { wellFormed, malformed } = partitionIds(memberIds);
  const change: MembershipChange = {
    added: noIds(),
    removed: noIds(),
    skipped: [...malformed],
  };

  for (let start = 0; start < wellFormed.length; start += INSERT_BATCH) {
    const batch = wellFormed.slice(start, start + INSERT_BATCH);
    const [row] = await queryRows<ChangeRow>(
      executor,
      sql`with wanted as ${idTable(batch)},
          valid as (
            select ${members.id} as id from ${members}
            where ${members.organizationId} = ${group.organizationId}
              and ${members.id} in (select id from wanted)
            for key share
          ),
          added as (
            insert into ${groupMembers} (group_id, member_id)
            select ${group.id}::uuid, id from valid
            on conflict do nothing
            returning member_id
          )
          select
            (select coalesce(json_agg(id), '[]'::json) from wanted
              where id not in (select id from valid)) as skipped,
            ${summary("added")}`,
    );
    const batchChange = changeOf(row);
    change.skipped.push(...batchChange.skipped);
    mergeSample(change.added, batchChange.added);
  }
  return change;
}

/** Bumps the group's version when members changed, and writes the event. */
async function recordChange(
  executor: Executor,
  group: Group,
  change: MembershipChange,
  actor: Actor,
): Promise<{ group: Group; change: MembershipChange }> {
  const changed = change.added.count > 0 || change.removed.count > 0;
  if (!changed && change.skipped.length === 0) return { group, change };

  let current = group;
  if (changed) {
    [current] = await executor
      .update(groups)
      .set(bumped())
      .where(eq(groups.id, group.id))
      .returning();
  }
  await recordEvent(executor, {
    organizationId: group.organizationId,
    type: "group.members_changed",
    actor,
    target: target(current),
    details: sampleDetails(change),
  });
  return { group: current, change };
}

/** The members of each group, in one query, in the order they were added. */
export async function membersOfGroups(
  executor: Executor,
  groupIds: readonly string[],
): Promise<Map<string, GroupMember[]>> {
  const byGroup = new Map<string, GroupMember[]>(
    groupIds.map((id) => [id, []]),
  );
  if (groupIds.length === 0) return byGroup;

  const rows = await executor
    .select({
      groupId: groupMembers.groupId,
      id: members.id,
      display: sql<string>`coalesce(
        nullif(${members.displayName}, ''),
        nullif(${members.formattedName}, ''),
        nullif(trim(concat_ws(' ', ${members.givenName}, ${members.familyName})), ''),
        nullif(${accounts.name}, ''),
        ${members.email})`,
    })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .leftJoin(accounts, eq(accounts.id, members.accountId))
    .where(inArray(groupMembers.groupId, [...groupIds]))
    .orderBy(asc(groupMembers.createdAt), asc(groupMembers.memberId));

  for (const row of rows) {
    byGroup.get(row.groupId)?.push({ id: row.id, display: row.display });
  }
  return byGroup;
}

/** The groups of each member (a User's `groups`), in one query, by name. */
export async function groupsOfMembers(
  executor: Executor,
  memberIds: readonly string[],
): Promise<Map<string, MemberGroup[]>> {
  const byMember = new Map<string, MemberGroup[]>(
    memberIds.map((id) => [id, []]),
  );
  if (memberIds.length === 0) return byMember;

  const rows = await executor
    .select({
      memberId: groupMembers.memberId,
      id: groups.id,
      displayName: groups.displayName,
    })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(inArray(groupMembers.memberId, [...memberIds]))
    .orderBy(asc(sql`lower(${groups.displayName})`), asc(groups.id));

  for (const row of rows) {
    byMember
      .get(row.memberId)
      ?.push({ id: row.id, displayName: row.displayName });
  }
  return byMember;
}

/** The organization's groups with their member counts, by name (the console's list). */
export async function groupsWithMemberCounts(
  executor: Executor,
  organizationId: string,
) {
  return executor
    .select({
      id: groups.id,
      displayName: groups.displayName,
      externalId: groups.externalId,
      origin: groups.origin,
      memberCount: sql<number>`(select count(*)::int from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`,
      createdAt: groups.createdAt,
    })
    .from(groups)
    .where(eq(groups.organizationId, organizationId))
    .orderBy(asc(sql`lower(${groups.displayName})`), asc(groups.id));
}
