import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

const givenNames = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Edsger",
  "Barbara",
  "Donald",
  "Frances",
  "Dennis",
  "Radia",
  "Ken",
  "Margaret",
  "John",
  "Hedy",
  "Tim",
  "Sophie",
  "Linus",
  "Anita",
  "Guido",
  "Shafi",
];
const familyNames = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Dijkstra",
  "Liskov",
  "Knuth",
  "Allen",
  "Ritchie",
  "Perlman",
  "Thompson",
  "Hamilton",
  "McCarthy",
  "Lamarr",
  "Berners-Lee",
  "Wilson",
  "Torvalds",
  "Borg",
  "Rossum",
  "Goldwasser",
  "Hoare",
  "Kay",
  "Lamport",
  "Backus",
  "Wirth",
  "Cerf",
  "Kahn",
  "Engelbart",
  "Sutherland",
  "Meyer",
];

export interface SeedOptions {
  /** Makes emails unique when one organization is seeded more than once. */
  prefix?: string;
}

/**
 * Adds `count` members to an organization in one INSERT … SELECT over
 * generate_series: a realistic mix of statuses (mostly confirmed, some
 * invited, needing confirmation, revoked and staged), half provisioned over
 * SCIM, one second apart in creation time. For benchmarks and EXPLAIN tests.
 */
export async function seedMembers(
  executor: Executor,
  organizationId: string,
  count: number,
  { prefix = "member" }: SeedOptions = {},
): Promise<void> {
  const given = sql.raw(
    `array[${givenNames.map((name) => `'${name}'`).join(",")}]`,
  );
  const family = sql.raw(
    `array[${familyNames.map((name) => `'${name}'`).join(",")}]`,
  );
  await executor.execute(sql`
    insert into members (organization_id, email, user_name, role, status,
      status_before_revocation, origin, external_id, given_name, family_name,
      display_name, created_at, updated_at)
    select ${organizationId}::uuid,
      ${prefix} || i || '@seed.example.com',
      ${prefix} || i || '@seed.example.com',
      'user',
      (case when i % 20 = 0 then 'revoked'
            when i % 10 = 1 then 'invited'
            when i % 10 = 2 then 'accepted'
            when i % 50 = 3 then 'staged'
            else 'confirmed' end)::member_status,
      (case when i % 20 = 0 then 'confirmed' end)::member_status,
      (case when i % 2 = 0 then 'scim' else 'console' end)::origin,
      case when i % 2 = 0 then ${prefix} || '-ext-' || i end,
      (${given})[1 + i % ${givenNames.length}],
      (${family})[1 + (i / ${givenNames.length}) % ${familyNames.length}],
      (${given})[1 + i % ${givenNames.length}] || ' ' ||
        (${family})[1 + (i / ${givenNames.length}) % ${familyNames.length}],
      now() - (${count} - i) * interval '1 second',
      now() - (${count} - i) * interval '1 second'
    from generate_series(1, ${count}) as i`);
}
