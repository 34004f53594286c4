import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { organizations } from "@/db/schema";
import { listParamsFromQuery } from "@/lib/scim/list";
import { queryRows } from "@/db/rows";
import { userListCondition, userPageQuery } from "@/lib/scim/users";

let organizationId: string;

// A few thousand members in this organization and in others, with
// statistics, so that the planner's choice is the one production would make.
beforeAll(async () => {
  const inserted = await db()
    .insert(organizations)
    .values([{ name: "Indexed" }, { name: "Other A" }, { name: "Other B" }])
    .returning();
  organizationId = inserted[0].id;
  for (const organization of inserted) {
    await db().execute(sql`
      insert into members (organization_id, email, user_name, external_id, status, origin, display_name)
      select ${organization.id}::uuid, 'user' || n || '@example.com', 'User' || n || '@Example.com',
        'ext-' || n, 'invited', 'scim', 'User ' || n
      from generate_series(1, 3000) as n`);
  }
  await db().execute(sql`analyze members`);
}, 120_000);

async function plan(filter: string): Promise<string> {
  const params = listParamsFromQuery(
    new URLSearchParams({ filter, count: "100" }),
  );
  const query = userPageQuery(
    db(),
    userListCondition(organizationId, params),
    params,
  );
  const rows = await queryRows<{ "QUERY PLAN": string }>(
    db(),
    sql`explain (costs off) ${query}`,
  );
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

describe("Users filters", () => {
  it.each([
    [
      'userName eq "user1234@example.com"',
      /members_org_user_name_(key|pattern_idx)/,
    ],
    ['externalId eq "ext-1234"', /members_org_external_id_key/],
    [
      'emails.value eq "USER1234@example.com"',
      /members_org_email_(key|pattern_idx)/,
    ],
    [
      'emails[type eq "work"].value eq "user1234@example.com"',
      /members_org_email_(key|pattern_idx)/,
    ],
  ])("%s uses an index", async (filter, index) => {
    const text = await plan(filter);
    expect(text).toMatch(index);
    expect(text).not.toMatch(/Seq Scan on members/);
  });

  it("finds exactly the one member", async () => {
    const params = listParamsFromQuery(
      new URLSearchParams({ filter: 'userName eq "user1234@example.com"' }),
    );
    const rows = await userPageQuery(
      db(),
      userListCondition(organizationId, params),
      params,
    );
    expect(rows.map((row) => row.member.userName)).toEqual([
      "User1234@Example.com",
    ]);
  });
});
