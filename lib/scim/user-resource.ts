import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { qualified } from "@/db/rows";
import { groupMembers, groups, members, type Member } from "@/db/schema";
import { metaOf, type ScimResourceBody } from "./response";
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from "./schemas";

interface GroupReference {
  value: string;
  display: string;
}

/** A member with what its User resource shows besides the row itself. */
export interface UserRow {
  member: Member;
  groups: GroupReference[] | null;
}

// The member's groups, read in the same statement as the member.
const groupsOfMember = sql<GroupReference[] | null>`(
  select json_agg(json_build_object('value', ${qualified(groups.id)}, 'display', ${qualified(groups.displayName)})
    order by ${qualified(groups.displayName)}, ${qualified(groups.id)})
  from ${groupMembers} join ${groups} on ${qualified(groups.id)} = ${qualified(groupMembers.groupId)}
  where ${qualified(groupMembers.memberId)} = ${qualified(members.id)})`;

/** Members as Users, optionally without their groups (excludedAttributes=groups). */
export function selectUsers(executor: Executor, withGroups: boolean) {
  return executor
    .select({
      member: members,
      groups: withGroups ? groupsOfMember : sql<null>`null`,
    })
    .from(members);
}

export async function findUser(
  executor: Executor,
  where: SQL,
  withGroups = true,
): Promise<UserRow | undefined> {
  const [row] = await selectUsers(executor, withGroups).where(where).limit(1);
  return row;
}

/** The name of a member; `formatted` is made from the parts when not given. */
function nameOf({ givenName, familyName, formattedName }: Member) {
  if (givenName === null && familyName === null && formattedName === null)
    return undefined;
  const name: Record<string, string> = {};
  if (givenName !== null) name.givenName = givenName;
  if (familyName !== null) name.familyName = familyName;
  name.formatted =
    formattedName ?? [givenName, familyName].filter(Boolean).join(" ");
  return name;
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
  const name = nameOf(member);
  if (name) resource.name = name;
  if (member.displayName !== null) resource.displayName = member.displayName;
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
