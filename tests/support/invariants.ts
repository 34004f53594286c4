import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { queryRows } from "@/db/rows";

function idList(ids: string[]) {
  return sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

/**
 * What must hold in the database whatever requests came before: each check
 * is a query returning the rows that break it.
 */
const checks: {
  name: string;
  query: (orgs: string[]) => ReturnType<typeof sql>;
}[] = [
  {
    name: "no two members of an organization share an email",
    query: (orgs) => sql`select organization_id, lower(email) from members
      where organization_id in ${idList(orgs)}
      group by 1, 2 having count(*) > 1`,
  },
  {
    name: "no two members of an organization share a userName",
    query: (orgs) => sql`select organization_id, lower(user_name) from members
      where organization_id in ${idList(orgs)}
      group by 1, 2 having count(*) > 1`,
  },
  {
    name: "no two members of an organization share an externalId",
    query: (orgs) => sql`select organization_id, external_id from members
      where organization_id in ${idList(orgs)} and external_id is not null
      group by 1, 2 having count(*) > 1`,
  },
  {
    name: "no two groups of an organization share a displayName or externalId",
    query: (orgs) => sql`select organization_id, lower(display_name) from groups
      where organization_id in ${idList(orgs)}
      group by 1, 2 having count(*) > 1
      union all
      select organization_id, external_id from groups
      where organization_id in ${idList(orgs)} and external_id is not null
      group by 1, 2 having count(*) > 1`,
  },
  {
    name: "every group membership joins a group and a member of one organization",
    query: (orgs) => sql`select gm.group_id, gm.member_id from group_members gm
      left join groups g on g.id = gm.group_id
      left join members m on m.id = gm.member_id
      where (g.organization_id in ${idList(orgs)} or m.organization_id in ${idList(orgs)}
          or g.id is null or m.id is null)
        and (g.id is null or m.id is null or g.organization_id <> m.organization_id)`,
  },
  {
    name: "statusBeforeRevocation is set exactly when the member is revoked, and is not revoked",
    query: (
      orgs,
    ) => sql`select id, status, status_before_revocation from members
      where organization_id in ${idList(orgs)}
        and ((status = 'revoked') <> (status_before_revocation is not null)
          or status_before_revocation = 'revoked')`,
  },
  {
    name: "members provisioned over SCIM are users, in a status SCIM can reach",
    query: (orgs) => sql`select id, role, status from members
      where organization_id in ${idList(orgs)} and origin = 'scim'
        and (role <> 'user' or status not in ('invited', 'staged', 'revoked', 'accepted', 'confirmed')
          or (status = 'revoked' and status_before_revocation not in ('invited', 'staged', 'accepted', 'confirmed')))`,
  },
  {
    name: "stored values are within the SCIM limits, emails lower-cased",
    query: (orgs) => sql`select id from members
      where organization_id in ${idList(orgs)}
        and (email <> lower(email) or length(email) > 254 or length(external_id) > 300
          or length(display_name) > 256 or length(given_name) > 256
          or length(family_name) > 256 or length(formatted_name) > 256)
      union all
      select id from groups
      where organization_id in ${idList(orgs)}
        and (length(display_name) > 256 or length(display_name) = 0 or length(external_id) > 300)`,
  },
  {
    name: "every change of a member's version has its event",
    // Each revoke, restore and update bumps the version once and writes one event.
    query: (
      orgs,
    ) => sql`select m.id, m.version, count(e.id) as events from members m
      left join events e on e.organization_id = m.organization_id and e.target_id = m.id::text
        and e.type in ('member.revoked', 'member.restored', 'member.updated')
      where m.organization_id in ${idList(orgs)} and m.origin = 'scim'
      group by m.id, m.version having m.version - 1 <> count(e.id)`,
  },
  {
    name: "every change of a group's version has its event",
    query: (
      orgs,
    ) => sql`select g.id, g.version, count(e.id) as events from groups g
      left join events e on e.organization_id = g.organization_id and e.target_id = g.id::text
        and e.type in ('group.renamed', 'group.updated', 'group.members_changed')
      where g.organization_id in ${idList(orgs)}
      group by g.id, g.version having g.version - 1 > count(e.id)`,
  },
  {
    name: "every SCIM-provisioned member has its provisioning event",
    query: (orgs) => sql`select m.id from members m
      where m.organization_id in ${idList(orgs)} and m.origin = 'scim'
        and not exists (select 1 from events e where e.target_id = m.id::text
          and e.type = 'member.provisioned')`,
  },
  {
    name: "an invited SCIM member has an invitation and its email queued",
    query: (orgs) => sql`select m.id from members m
      where m.organization_id in ${idList(orgs)} and m.origin = 'scim' and m.status = 'invited'
        and (not exists (select 1 from invitations i where i.member_id = m.id)
          or not exists (select 1 from email_outbox o where o.recipient = m.email
            and o.kind = 'invitation'))`,
  },
];

export interface InvariantReport {
  checked: number;
  violations: string[];
}

export async function checkInvariants(
  executor: Executor,
  organizationIds: string[],
): Promise<InvariantReport> {
  const violations: string[] = [];
  for (const check of checks) {
    const rows = await queryRows<Record<string, unknown>>(
      executor,
      check.query(organizationIds),
    );
    if (rows.length > 0) {
      violations.push(`${check.name}: ${JSON.stringify(rows.slice(0, 5))}`);
    }
  }
  return { checked: checks.length, violations };
}

/** Events of a type, per organization: to compare with acknowledged writes. */
export async function countEvents(
  executor: Executor,
  organizationId: string,
): Promise<Record<string, number>> {
  const rows = await queryRows<{ type: string; count: number }>(
    executor,
    sql`select type, count(*)::int as count from events
      where organization_id = ${organizationId} and actor_type = 'scim' group by type`,
  );
  return Object.fromEntries(rows.map((row) => [row.type, row.count]));
}
