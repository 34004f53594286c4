import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { databaseKind, db } from "@/db/client";
import { groupMembers, groups } from "@/db/schema";
import { encodeCursor } from "@/lib/console/cursor";
import {
  memberPageQuery,
  pageGroupsQuery,
  parseMemberListParams,
  searchCountQuery,
  statusCountsQuery,
} from "@/lib/console/members";
import { seedMembers } from "@/lib/console/seed-members";
import { queryRows } from "@/db/rows";
import { organizationWithPeople } from "./fixtures";

const MEMBERS = 100_000;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Total Time"?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function explain(statement: SQL) {
  const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
    db(),
    sql`explain (analyze, format json) ${statement}`,
  );
  const raw = row["QUERY PLAN"];
  const [result] = (typeof raw === "string" ? JSON.parse(raw) : raw) as {
    Plan: PlanNode;
    "Execution Time": number;
  }[];
  const all = nodes(result.Plan);
  return {
    milliseconds: result["Execution Time"],
    // The test's accounts and groups tables hold a handful of rows, where
    // reading them whole is the right plan; members and group_members must
    // never be read whole.
    largeSeqScans: all
      .filter(
        (node) =>
          node["Node Type"] === "Seq Scan" &&
          ["members", "group_members"].includes(node["Relation Name"] ?? ""),
      )
      .map((node) => node["Relation Name"]),
    indexes: all.flatMap((node) =>
      node["Index Name"] ? [node["Index Name"]] : [],
    ),
  };
}

let organizationId: string;
const timings: Record<string, number> = {};

beforeAll(async () => {
  const people = await organizationWithPeople();
  organizationId = people.organization.id;
  await seedMembers(db(), organizationId, MEMBERS);
  // Groups for the page's groups column: every member in one of two
  // groups, every tenth also in a third.
  const created = await db()
    .insert(groups)
    .values(
      ["Engineering", "Sales", "Okta admins"].map((displayName) => ({
        organizationId,
        displayName,
      })),
    )
    .returning();
  const [engineering, sales, admins] = created.map((group) => group.id);
  await db().execute(sql`insert into ${groupMembers} (group_id, member_id)
    select case when id::text < '8' then ${engineering}::uuid else ${sales}::uuid end, id
    from members where organization_id = ${organizationId}
    union all
    select ${admins}::uuid, id from members
    where organization_id = ${organizationId} and email like '%0@seed.example.com'`);
  // VACUUM sets the visibility map as autovacuum would on a live system, so
  // that the planner can count from the index alone; it also ANALYZEs.
  await db().execute(sql`vacuum analyze members`);
  await db().execute(sql`vacuum analyze group_members`);
}, 240_000);

async function cursorAt(sort: string, offset: number) {
  const [row] = await queryRows<{ id: string; key: string }>(
    db(),
    sort === "email"
      ? sql`select id, lower(email) as key from members where organization_id = ${organizationId}
          order by lower(email) offset ${offset} limit 1`
      : sql`select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as key
          from members where organization_id = ${organizationId}
          order by created_at desc, id desc offset ${offset} limit 1`,
  );
  return encodeCursor({ key: row.key, id: row.id });
}

describe(`the Members page at ${MEMBERS} members`, () => {
  it("counts members per status from an index", async () => {
    const plan = await explain(statusCountsQuery(organizationId));
    timings["count per status"] = plan.milliseconds;
    expect(plan.largeSeqScans).toEqual([]);
    // PostgreSQL reads the (organization_id, status) index alone; PGlite's
    // planner may pick another index leading with organization_id.
    expect(plan.indexes.join(",")).toMatch(
      databaseKind() === "postgres" ? /members_org_status_/ : /members_org_/,
    );
  });

  it.each([
    ["first page, newest first", {}, "members_org_created_idx"],
    ["first page, oldest first", { sort: "oldest" }, "members_org_created_idx"],
    ["first page, by email", { sort: "email" }, "members_org_email_key"],
    [
      "first page of a tab",
      { tab: "revoked" },
      "members_org_status_created_idx",
    ],
    [
      "a tab sorted by email",
      { tab: "needs-confirmation", sort: "email" },
      "members_org_status_email_idx",
    ],
    ["the last page", { last: "1" }, "members_org_created_idx"],
  ])("reads the %s from an index", async (label, params, index) => {
    const { statement } = memberPageQuery(
      organizationId,
      parseMemberListParams(params),
    );
    const plan = await explain(statement);
    timings[label] = plan.milliseconds;
    expect(plan.largeSeqScans).toEqual([]);
    expect(plan.indexes).toContain(index);
  });

  it("reads a late page by keyset from an index", async () => {
    const after = await cursorAt("newest", MEMBERS - 120);
    const { statement } = memberPageQuery(
      organizationId,
      parseMemberListParams({ after }),
    );
    const plan = await explain(statement);
    timings["late page (keyset, 99 880 rows in)"] = plan.milliseconds;
    expect(plan.largeSeqScans).toEqual([]);
    expect(plan.indexes).toContain("members_org_created_idx");

    const rows = await queryRows<{ id: string }>(db(), statement);
    expect(rows).toHaveLength(51);
  });

  it("reads a late page sorted by email from an index", async () => {
    const after = await cursorAt("email", MEMBERS - 120);
    const { statement } = memberPageQuery(
      organizationId,
      parseMemberListParams({ after, sort: "email" }),
    );
    const plan = await explain(statement);
    timings["late page by email"] = plan.milliseconds;
    expect(plan.largeSeqScans).toEqual([]);
    expect(plan.indexes).toContain("members_org_email_key");
  });

  it.each([
    ["an email prefix", "member4242"],
    ["a given name", "Grace"],
    ["a family name", "lovel"],
    ["a prefix matching nothing", "zzz"],
  ])("searches by %s through indexes", async (label, q) => {
    const params = parseMemberListParams({ q });
    const page = await explain(
      memberPageQuery(organizationId, params).statement,
    );
    const count = await explain(searchCountQuery(organizationId, params));
    timings[`search ${label} (page)`] = page.milliseconds;
    timings[`search ${label} (count)`] = count.milliseconds;
    for (const plan of [page, count]) {
      expect(plan.largeSeqScans).toEqual([]);
      expect(plan.indexes).toEqual(
        expect.arrayContaining([
          "members_org_email_pattern_idx",
          "members_org_given_name_pattern_idx",
          "members_org_family_name_pattern_idx",
        ]),
      );
    }
  });

  it("loads the groups of one page in one indexed query", async () => {
    const ids = await queryRows<{ id: string }>(
      db(),
      memberPageQuery(organizationId, parseMemberListParams({})).statement,
    );
    const plan = await explain(pageGroupsQuery(ids.map((row) => row.id)));
    timings["groups of one page"] = plan.milliseconds;
    expect(plan.indexes).toContain("group_members_member_idx");
    expect(plan.largeSeqScans).toEqual([]);
  });

  it("reports the timings", () => {
    console.info(
      `Members page queries at ${MEMBERS} members (EXPLAIN ANALYZE, ms):\n` +
        Object.entries(timings)
          .map(([label, ms]) => `  ${label}: ${ms.toFixed(2)}`)
          .join("\n"),
    );
    expect(Object.keys(timings).length).toBeGreaterThan(10);
  });
});
