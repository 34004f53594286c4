import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { groupMembers, groups, organizations } from "@/db/schema";
import { listParamsFromQuery } from "@/lib/scim/list";
import { queryRows } from "@/db/rows";
import { userListCondition, userPageQuery } from "@/lib/scim/users";

let organizationId: string;

// Members with the same creation time (one statement) so that the id breaks
// ties, half of them in a group so that every row has groups to build.
beforeAll(async () => {
  const [organization] = await db()
    .insert(organizations)
    .values({ name: "Paged" })
    .returning();
  organizationId = organization.id;
  await db().execute(sql`
    insert into members (organization_id, email, user_name, status, origin, display_name)
    select ${organizationId}::uuid, 'user' || n || '@example.com', 'User' || n || '@example.com',
      'invited', 'scim', 'User ' || (n % 37)
    from generate_series(1, 600) as n`);
  const [group] = await db()
    .insert(groups)
    .values({ organizationId, displayName: "Half" })
    .returning();
  await db().execute(sql`
    insert into ${groupMembers} (group_id, member_id)
    select ${group.id}::uuid, id from members
    where organization_id = ${organizationId} and user_name like 'User1%'`);
  await db().execute(sql`analyze members`);
});

function page(query: Record<string, string>) {
  const params = listParamsFromQuery(new URLSearchParams(query));
  return {
    params,
    query: userPageQuery(
      db(),
      userListCondition(organizationId, params),
      params,
    ),
  };
}

async function ids(query: Record<string, string>) {
  const rows = await page(query).query;
  return rows.map((row) => [row.member.id, row.groups?.length ?? 0]);
}

describe("Users pages past the first", () => {
  it.each([
    [{}],
    [{ sortBy: "displayName", sortOrder: "descending" }],
    [{ filter: 'userName sw "user1"', sortBy: "userName" }],
  ])("are the slices of the whole list (%o)", async (query) => {
    const whole = await ids({ ...query, count: "1000" });
    for (const startIndex of [2, 97, 251, whole.length]) {
      expect(
        await ids({ ...query, startIndex: String(startIndex), count: "50" }),
      ).toEqual(whole.slice(startIndex - 1, startIndex - 1 + 50));
    }
  });

  it("builds groups only for the rows they return", async () => {
    const { query } = page({ startIndex: "501", count: "20" });
    const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
      db(),
      sql`explain (analyze, format json) ${query}`,
    );
    const plan = JSON.stringify(
      typeof row["QUERY PLAN"] === "string"
        ? JSON.parse(row["QUERY PLAN"])
        : row["QUERY PLAN"],
    );
    // The groups subquery runs once per returned row, not once per skipped row.
    const loops = [
      ...plan.matchAll(
        /"Parent Relationship":"SubPlan"[^{}]*?"Actual Loops":(\d+)/g,
      ),
    ].map((match) => Number(match[1]));
    expect(loops.length).toBeGreaterThan(0);
    expect(Math.max(...loops)).toBeLessThanOrEqual(20);
  });
});
