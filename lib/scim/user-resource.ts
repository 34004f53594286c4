import { eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import {
  accounts,
  groupMembers,
  groups,
  members,
  type Member,
} from "@/db/schema";
import { metaOf, type ScimResourceBody } from "./response";
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from "./schemas";

interface GroupReference {
  value: string;
  display: string;
}

/** A member with what its User resource shows besides the row itself. */
export interface UserRow {
  member: Member;
  accountName: string | null;
  groups: GroupReference[] | null;
}

// The member's groups, read in the same statement as the member.
const groupsOfMember = sql<GroupReference[] | null>`(
  select json_agg(json_build_object('value', ${groups.id}, 'display', ${groups.displayName})
    order by ${groups.displayName}, ${groups.id})
  from ${groupMembers} join ${groups} on ${groups.id} = ${groupMembers.groupId}
  where ${groupMembers.memberId} = ${members.id})`;

/** Members as Users, optionally without their groups (excludedAttributes=groups). */
export function selectUsers(executor: Executor, withGroups: boolean) {
  return executor
    .select({
      member: members,
      accountName: accounts.name,
      groups: withGroups ? groupsOfMember : sql<null>`null`,
    })
    .from(members)
    .leftJoin(accounts, eq(accounts.id, members.accountId));
}

export async function findUser(
  executor: Executor,
  where: SQL,
  withGroups = true,
): Promise<UserRow | undefined> {
  const [row] = await selectUsers(executor, withGroups).where(where).limit(1);
  return row;
}

/**
 * The name of a member: as provisioned, or for someone who was never
 * provisioned (an owner, a member invited by hand) the account's name split
 * at its first space.
 */
function nameOf(member: Member, accountName: string | null) {
  const { givenName, familyName, formattedName } = member;
  if (givenName !== null || familyName !== null || formattedName !== null) {
    const name: Record<string, string> = {};
    if (givenName !== null) name.givenName = givenName;
    if (familyName !== null) name.familyName = familyName;
    name.formatted =
      formattedName ?? [givenName, familyName].filter(Boolean).join(" ");
    return name;
  }
  if (!accountName) return undefined;
  const space = accountName.indexOf(" ");
  return space === -1
    ? { givenName: accountName, formatted: accountName }
    : {
        givenName: accountName.slice(0, space),
        familyName: accountName.slice(space + 1),
        formatted: accountName,
      };
}

/** The User resource of a member (RFC 7643 §4.1, SPEC 3.4). */
export function userResource(row: UserRow, baseUrl: string): ScimResourceBody {
  const { member } = row;
  const resource: ScimResourceBody = {
    schemas: member.enterprise
      ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA]
      : [USER_SCHEMA],
    id: member.id,
  };
  if (member.externalId !== null) resource.externalId = member.externalId;
  resource.userName = member.userName;
  const name = nameOf(member, row.accountName);
  if (name) resource.name = name;
  const displayName = member.displayName ?? row.accountName;
  if (displayName) resource.displayName = displayName;
  resource.emails = [{ value: member.email, type: "work", primary: true }];
  resource.active = member.status !== "revoked";
  resource.groups = (row.groups ?? []).map((group) => ({
    value: group.value,
    display: group.display,
    $ref: `${baseUrl}/Groups/${group.value}`,
  }));
  if (member.enterprise) resource[ENTERPRISE_USER_SCHEMA] = member.enterprise;
  resource.meta = metaOf(
    baseUrl,
    "User",
    member.id,
    member.createdAt,
    member.updatedAt,
    member.version,
  );
  return resource;
}
