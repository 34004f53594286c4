import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { groupMembers, groups, members, organizations } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { groupFilterSql, parseFilter, userFilterSql } from "@/lib/scim/filter";

const user = "urn:ietf:params:scim:schemas:core:2.0:User";
const enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// Expected trees, without the positions the parser records.
const path = (attribute: string, subAttribute?: string, schema?: string) => ({
  attribute,
  ...(subAttribute ? { subAttribute } : {}),
  ...(schema ? { schema } : {}),
});
const cmp = (
  attribute: string,
  operator: string,
  value: unknown,
  subAttribute?: string,
) => ({
  kind: "compare",
  path: path(attribute, subAttribute),
  operator,
  value,
});
const pr = (attribute: string, subAttribute?: string) => ({
  kind: "present",
  path: path(attribute, subAttribute),
});
const andNode = (left: object, right: object) => ({ kind: "and", left, right });
const orNode = (left: object, right: object) => ({ kind: "or", left, right });
const notNode = (operand: object) => ({ kind: "not", operand });
const valuePath = (attribute: string, filter: object) => ({
  kind: "valuePath",
  path: path(attribute),
  filter,
});

function filterErrorOf(text: string): DomainError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe("parseFilter", () => {
  it.each([
    ...["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"].map(
      (operator) =>
        [`userName ${operator} "x"`, cmp("userName", operator, "x")] as const,
    ),
    ["userName pr", pr("userName")],
    ['userName EQ "x"', cmp("userName", "eq", "x")],
    ['USERNAME Eq "x"', cmp("USERNAME", "eq", "x")],
    ["title pR", pr("title")],
    ['name.givenName sw "A"', cmp("name", "sw", "A", "givenName")],
    [
      `${user}:userName eq "x"`,
      { kind: "compare", path: path("userName", undefined, user) },
    ],
    [
      `${user}:name.familyName eq "x"`,
      {
        kind: "compare",
        path: path("name", "familyName", user),
      },
    ],
    [
      `${enterprise}:employeeNumber eq "7"`,
      {
        kind: "compare",
        path: path("employeeNumber", undefined, enterprise),
        value: "7",
      },
    ],
    [
      `${enterprise}:manager.value eq "m"`,
      { kind: "compare", path: path("manager", "value", enterprise) },
    ],
    ["members.$ref pr", pr("members", "$ref")],
    // Values: strings with JSON escapes, literals, numbers, unquoted strings.
    [
      String.raw`title eq "a \"b\" \\ \/ \n\t\u00e9"`,
      cmp("title", "eq", 'a "b" \\ / \n\té'),
    ],
    ['title eq ""', cmp("title", "eq", "")],
    ['title eq "(and) [or]"', cmp("title", "eq", "(and) [or]")],
    ["active eq true", cmp("active", "eq", true)],
    ["active eq False", cmp("active", "eq", false)],
    ["externalId eq null", cmp("externalId", "eq", null)],
    ["age gt 42", cmp("age", "gt", 42)],
    ["age lt -1.5e3", cmp("age", "lt", -1500)],
    ["age le 0", cmp("age", "le", 0)],
    ["userName eq a@b.example", cmp("userName", "eq", "a@b.example")],
    ["userName eq 007", cmp("userName", "eq", "007")],
    ["userName eq trueish", cmp("userName", "eq", "trueish")],
    // Logic and precedence: not > and > or.
    [
      'a eq "1" and b eq "2"',
      andNode(cmp("a", "eq", "1"), cmp("b", "eq", "2")),
    ],
    [
      'a eq "1" or b eq "2" and c eq "3"',
      orNode(
        cmp("a", "eq", "1"),
        andNode(cmp("b", "eq", "2"), cmp("c", "eq", "3")),
      ),
    ],
    [
      'a eq "1" and b eq "2" or c eq "3"',
      orNode(
        andNode(cmp("a", "eq", "1"), cmp("b", "eq", "2")),
        cmp("c", "eq", "3"),
      ),
    ],
    [
      'a eq "1" and (b eq "2" or c eq "3")',
      andNode(
        cmp("a", "eq", "1"),
        orNode(cmp("b", "eq", "2"), cmp("c", "eq", "3")),
      ),
    ],
    [
      'a eq "1" or b eq "2" or c eq "3"',
      orNode(
        orNode(cmp("a", "eq", "1"), cmp("b", "eq", "2")),
        cmp("c", "eq", "3"),
      ),
    ],
    ["a pr AND b pr OR c pr", orNode(andNode(pr("a"), pr("b")), pr("c"))],
    ['not (a eq "1")', notNode(cmp("a", "eq", "1"))],
    ['NOT(a eq "1")', notNode(cmp("a", "eq", "1"))],
    ['not a eq "1" and b pr', andNode(notNode(cmp("a", "eq", "1")), pr("b"))],
    [
      "not (a pr or b pr) and c pr",
      andNode(notNode(orNode(pr("a"), pr("b"))), pr("c")),
    ],
    ["not not a pr", notNode(notNode(pr("a")))],
    ['((a eq "1"))', cmp("a", "eq", "1")],
    ["(a pr)and(b pr)", andNode(pr("a"), pr("b"))],
    ['  a   eq\t"1"  ', cmp("a", "eq", "1")],
    // Value paths.
    [
      'emails[type eq "work" and value co "@acme"]',
      valuePath(
        "emails",
        andNode(cmp("type", "eq", "work"), cmp("value", "co", "@acme")),
      ),
    ],
    [
      'emails[type eq "work"].value eq "x"',
      valuePath(
        "emails",
        andNode(cmp("type", "eq", "work"), cmp("value", "eq", "x")),
      ),
    ],
    ['members[value eq "id"]', valuePath("members", cmp("value", "eq", "id"))],
    [
      'emails[not (type eq "home")] and userName pr',
      andNode(
        valuePath("emails", notNode(cmp("type", "eq", "home"))),
        pr("userName"),
      ),
    ],
    [
      'userName eq "a" or emails[value ew "@b" or value ew "@c"]',
      orNode(
        cmp("userName", "eq", "a"),
        valuePath(
          "emails",
          orNode(cmp("value", "ew", "@b"), cmp("value", "ew", "@c")),
        ),
      ),
    ],
    [
      `${user}:emails[type eq "work"]`,
      {
        kind: "valuePath",
        path: path("emails", undefined, user),
        filter: cmp("type", "eq", "work"),
      },
    ],
  ] as [string, object][])("parses %s", (text, expected) => {
    expect(parseFilter(text)).toMatchObject(expected);
  });

  it("accepts a filter of exactly 4096 bytes", () => {
    const prefix = 'userName eq "';
    const text = `${prefix}${"a".repeat(4096 - prefix.length - 1)}"`;
    expect(text.length).toBe(4096);
    expect(parseFilter(text)).toMatchObject({ kind: "compare" });
  });

  it.each([
    // [filter, a phrase the detail must contain]
    ["", "empty"],
    ["   ", "empty"],
    [`userName eq "${"a".repeat(4096)}"`, "longer than 4096 bytes"],
    [`userName eq "${"é".repeat(2045)}"`, "longer than 4096 bytes"],
    ['userName eq "abc', "Unterminated string starting at character 13"],
    ['userName eq "abc\\"', "Unterminated string"],
    ['userName eq "a\\x"', "Invalid escape '\\x'"],
    ['userName eq "\\u12"', "four hexadecimal digits"],
    ["userName eq", "Expected a value after 'eq' at character 12"],
    ["userName eq )", "Expected a value after 'eq'"],
    ['userName eq "a" and', "after 'and' at character 20"],
    ['userName eq "a" or', "after 'or'"],
    ['and userName eq "a"', "Expected an attribute name or '('"],
    ['userName eq "a" and or b pr', "after 'and'"],
    ["userName", "Expected an operator after 'userName'"],
    ['userName "a"', "Expected an operator after 'userName'"],
    ['userName like "a"', "Unknown operator 'like' at character 10"],
    ['userName = "a"', "Unknown operator '='"],
    ['userName pr "a"', 'Unexpected the string "a"'],
    ['userName eq "a" "b"', "Unexpected"],
    ['userName eq "a" userName eq "b"', "Unexpected 'userName'"],
    ['(userName eq "a"', "Expected ')' to close the '(' at character 1"],
    ['((userName eq "a")', "Expected ')'"],
    ['userName eq "a")', "Unexpected ')' at character 16"],
    ["()", "Expected an attribute name or '('"],
    ['emails[type eq "work"', "Expected ']' to close the '[' at character 7"],
    ['emails[type eq "work"))', "Expected ']'"],
    ["emails[]", "Empty value filter"],
    ['emails]type eq "work"', "Expected an operator after 'emails'"],
    ['userName eq "a"]', "Unexpected ']'"],
    ['emails[type eq "work"].', "Invalid sub-attribute '.' after ']'"],
    ['emails[type eq "work"].value', "Expected an operator after '.value'"],
    ['emails[value[type eq "x"] pr]', "cannot be nested"],
    ["not", "Expected an expression after 'not'"],
    ["not ()", "Expected an attribute name or '('"],
    ["@@@ eq 1", "'@@@' at character 1 is not an attribute path"],
    ["1abc eq 1", "is not an attribute path"],
    ["a.b.c eq 1", "is not an attribute path"],
    ['user:Name eq "x"', "is not an attribute path"],
    [`${user}: eq "x"`, "is not an attribute path"],
    ["[", "Expected an attribute name or '('"],
    ['userName eq "a\u0000"', "NUL character at character 15"],
    ['userName eq "a\\u0000"', "contains a NUL character"],
    [`${"(".repeat(40)}a pr${")".repeat(40)}`, "levels deep"],
    [`${"not ".repeat(40)}a pr`, "levels deep"],
    [`userName eq "a" ${"or b pr ".repeat(10)}garbage`, "Unexpected 'garbage'"],
  ])("rejects %j", (text, phrase) => {
    const error = filterErrorOf(text);
    expect(error.kind).toBe("invalid");
    expect(error.scimType).toBe("invalidFilter");
    expect(error.message).toContain(phrase);
  });

  it("never throws anything but an invalidFilter error on arbitrary input", () => {
    const pieces = [
      '"',
      "(",
      ")",
      "[",
      "]",
      "eq",
      "and",
      "or",
      "not",
      "pr",
      "a",
      "\\",
      " ",
      ".",
      ":",
      "urn:",
    ];
    let seed = 7;
    for (let run = 0; run < 3000; run++) {
      let text = "";
      const length = run % 12;
      for (let i = 0; i < length; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        text += pieces[seed % pieces.length];
      }
      try {
        parseFilter(text);
      } catch (error) {
        expect(error, text).toBeInstanceOf(DomainError);
        expect((error as DomainError).scimType).toBe("invalidFilter");
      }
    }
  });
});

function rowsOf<T>(result: unknown): T[] {
  // postgres.js returns the rows; PGlite returns { rows }.
  return (
    Array.isArray(result) ? result : (result as { rows: T[] }).rows
  ) as T[];
}

describe("userFilterSql", () => {
  let organizationId: string;

  beforeAll(async () => {
    const [org, other] = await db()
      .insert(organizations)
      .values([{ name: "Acme" }, { name: "Other" }])
      .returning();
    organizationId = org.id;

    await db()
      .insert(members)
      .values([
        {
          organizationId,
          userName: "Ada.Lovelace@Example.com",
          email: "ada@example.com",
          externalId: "ext-Ada",
          displayName: "Ada Lovelace",
          givenName: "Ada",
          familyName: "Lovelace",
          status: "confirmed",
          createdAt: new Date("2024-01-01T00:00:00.000Z"),
          updatedAt: new Date("2024-06-01T00:00:00.000Z"),
        },
        {
          organizationId,
          userName: "bob",
          email: "bob@acme.test",
          externalId: "EXT-bob",
          givenName: "Bob",
          familyName: "Builder",
          status: "revoked",
          createdAt: new Date("2024-02-01T00:00:00.000Z"),
          updatedAt: new Date("2024-02-01T00:00:00.000Z"),
        },
        {
          organizationId,
          userName: "cy_100%",
          email: "cy@acme.test",
          displayName: "C\\Y",
          status: "invited",
          createdAt: new Date("2024-03-01T12:00:00.123Z"),
          updatedAt: new Date("2024-03-01T12:00:00.123Z"),
        },
        {
          organizationId: other.id,
          userName: "bob",
          email: "bob@acme.test",
          externalId: "EXT-bob",
          status: "invited",
        },
      ]);
    // Microseconds that the returned meta (milliseconds) does not show.
    await db().execute(
      sql`update ${members} set created_at = '2024-03-01T12:00:00.123456Z' where ${members.userName} = 'cy_100%'`,
    );
  });

  async function matching(filter: string): Promise<string[]> {
    const rows = await db()
      .select({ userName: members.userName })
      .from(members)
      .where(
        and(
          eq(members.organizationId, organizationId),
          userFilterSql(parseFilter(filter)),
        ),
      )
      .orderBy(asc(members.createdAt));
    return rows.map((row) => row.userName);
  }

  const ada = "Ada.Lovelace@Example.com";
  const bob = "bob";
  const cy = "cy_100%";

  it.each([
    ['userName eq "ada.lovelace@example.com"', [ada]],
    ['USERNAME EQ "BOB"', [bob]],
    ["userName eq ada.lovelace@example.com", [ada]],
    [`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob"`, [bob]],
    ['userName ne "bob"', [ada, cy]],
    ['userName co "LOVE"', [ada]],
    ['userName sw "b"', [bob]],
    ['userName ew ".COM"', [ada]],
    // LIKE wildcards in values are literal.
    ['userName co "%"', [cy]],
    ['userName co "_"', [cy]],
    ['userName sw "cy_"', [cy]],
    ['userName sw "c_"', []],
    ['displayName co "\\\\"', [cy]],
    ['userName gt "b"', [bob, cy]],
    ['userName ge "bob"', [bob, cy]],
    ['userName lt "b"', [ada]],
    ['userName le "bob"', [ada, bob]],
    ["userName pr", [ada, bob, cy]],
    ['externalId eq "ext-Ada"', [ada]],
    ['externalId eq "EXT-ADA"', []],
    ['externalId eq "EXT-bob"', [bob]],
    ['externalId ne "ext-Ada"', [bob, cy]],
    ['externalId sw "ext"', [ada]],
    ["externalId pr", [ada, bob]],
    ["externalId eq null", [cy]],
    ["externalId ne null", [ada, bob]],
    ['displayName eq "ada lovelace"', [ada]],
    ["displayName pr", [ada, cy]],
    ["not (displayName pr)", [bob]],
    ['not (displayName eq "Ada Lovelace")', [bob, cy]],
    ['displayName ne "Ada Lovelace"', [bob, cy]],
    ['name.givenName eq "ADA"', [ada]],
    ['name.familyName sw "b"', [bob]],
    ['NAME.FAMILYNAME eq "builder"', [bob]],
    ['name[givenName eq "bob"]', [bob]],
    ['emails eq "BOB@acme.test"', [bob]],
    ['emails.value eq "ada@EXAMPLE.com"', [ada]],
    ['emails co "@acme"', [bob, cy]],
    ['emails[type eq "work" and value co "@acme"]', [bob, cy]],
    ['emails[type eq "home" and value co "@acme"]', []],
    ['emails[type eq "work"].value eq "cy@acme.test"', [cy]],
    ['emails[TYPE EQ "WORK"].VALUE EQ "CY@ACME.TEST"', [cy]],
    ['emails.type eq "work"', [ada, bob, cy]],
    ['emails.type ne "work"', []],
    ["emails pr", [ada, bob, cy]],
    ["active eq true", [ada, cy]],
    ["active eq false", [bob]],
    ["active ne true", [bob]],
    ['active eq "False"', [bob]],
    ["active pr", [ada, bob, cy]],
    ['meta.created gt "2024-01-15T00:00:00Z"', [bob, cy]],
    ['meta.created ge "2024-02-01T00:00:00Z"', [bob, cy]],
    ['meta.created lt "2024-02-01T00:00:00Z"', [ada]],
    ['meta.created le "2024-02-01T00:00:00.000Z"', [ada, bob]],
    ['meta.created eq "2024-03-01T12:00:00.123Z"', [cy]],
    ['meta.created eq "2024-03-01T14:00:00.123+02:00"', [cy]],
    ['meta.created gt "2024-03-01T12:00:00.123Z"', []],
    ['meta.created ne "2024-01-01T00:00:00Z"', [bob, cy]],
    ['meta.lastModified gt "2024-05-01"', [ada]],
    ['meta.created lt "2024-01-01T00:00:00.001"', [ada]],
    ['meta.created lt "2024-01-01 01:00:00.001+01:00"', [ada]],
    ['meta.created gt "2024-02-29T23:59:59-01:00"', [cy]],
    ['userName eq "bob" or userName eq "cy_100%"', [bob, cy]],
    ['userName eq "bob" and active eq true', []],
    ['userName sw "a" or userName sw "b" and active eq true', [ada]],
    ['(userName sw "a" or userName sw "b") and active eq false', [bob]],
    ['not (userName eq "bob" or userName eq "cy_100%")', [ada]],
    ['not userName eq "bob" and not userName eq "cy_100%"', [ada]],
    // A malformed id names nothing; no database error.
    ['id eq "010101001010101011001010101011"', []],
    ['id ne "not-a-uuid"', [ada, bob, cy]],
    ['id eq "00000000-0000-0000-0000-000000000000"', []],
    ["id pr", [ada, bob, cy]],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it("finds a member by id, in any letter case", async () => {
    const [row] = await db()
      .select({ id: members.id })
      .from(members)
      .where(
        and(
          eq(members.organizationId, organizationId),
          eq(members.userName, "bob"),
        ),
      );
    expect(await matching(`id eq "${row.id}"`)).toEqual([bob]);
    expect(await matching(`id eq "${row.id.toUpperCase()}"`)).toEqual([bob]);
    expect(await matching(`id sw "${row.id.slice(0, 8)}"`)).toContain(bob);
  });

  it.each([
    ['title eq "x"', "'title' is not a filterable attribute of Users"],
    ["password pr", "'password' is not a filterable attribute"],
    ["emails.primary eq true", "'emails.primary' is not a filterable"],
    ["emails[primary eq true]", "'emails.primary' is not a filterable"],
    ['emails[value.x eq "a"]', "must be a sub-attribute name"],
    ['name.middleName eq "x"', "'name.middleName' is not a filterable"],
    [
      `${enterprise}:employeeNumber eq "7"`,
      `'${enterprise}:employeeNumber' is not a filterable attribute`,
    ],
    [
      'urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"',
      "is not a filterable attribute of Users",
    ],
    ['members[value eq "x"]', "'members' is not a filterable"],
    ['userName[value eq "x"]', "'userName' is not a filterable"],
    ['name.givenName[value eq "x"]', "applies to an attribute"],
    ["userName eq 5", 'cannot be compared with the number 5 (quote it: "5")'],
    ["userName eq true", "cannot be compared with the boolean true"],
    ["externalId co 12", "string attribute"],
    ["userName gt null", "cannot be compared with null using 'gt'"],
    ["active gt true", "'active' is a boolean attribute; 'gt' does not apply"],
    ['active eq "yes"', "'active' is a boolean attribute"],
    ["active eq 1", "'active' is a boolean attribute"],
    ['meta.created eq "yesterday"', "needs a date-time"],
    ['meta.created gt "2024-13-45T00:00:00Z"', "needs a date-time"],
    ['meta.created gt "2024-02-30T00:00:00Z"', "needs a date-time"],
    ['meta.created gt "2024-02-01T24:00:00Z"', "needs a date-time"],
    ["meta.created gt 2024", "dateTime attribute and cannot be compared"],
    ['meta.created co "2024"', "'co' does not apply"],
    ["id eq 5", "'id' is a string attribute"],
  ])("rejects %s", (filter, phrase) => {
    let error: unknown;
    try {
      userFilterSql(parseFilter(filter));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).scimType).toBe("invalidFilter");
    expect((error as DomainError).message).toContain(phrase);
  });
});

describe("groupFilterSql", () => {
  let organizationId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const [org] = await db()
      .insert(organizations)
      .values({ name: "Groups Inc" })
      .returning();
    organizationId = org.id;

    const people = await db()
      .insert(members)
      .values(
        ["ada", "bob", "cy"].map((name) => ({
          organizationId,
          userName: name,
          email: `${name}@example.com`,
          status: "invited" as const,
        })),
      )
      .returning();
    for (const person of people) ids[person.userName] = person.id;

    const rows = await db()
      .insert(groups)
      .values([
        {
          organizationId,
          displayName: "Engineering",
          externalId: "G-eng",
          createdAt: new Date("2024-01-01T00:00:00Z"),
          updatedAt: new Date("2024-01-01T00:00:00Z"),
        },
        {
          organizationId,
          displayName: "Sales_EU",
          createdAt: new Date("2024-02-01T00:00:00Z"),
          updatedAt: new Date("2024-07-01T00:00:00Z"),
        },
        {
          organizationId,
          displayName: "Empty",
          createdAt: new Date("2024-03-01T00:00:00Z"),
          updatedAt: new Date("2024-03-01T00:00:00Z"),
        },
      ])
      .returning();
    for (const row of rows) ids[row.displayName] = row.id;

    await db()
      .insert(groupMembers)
      .values([
        { groupId: ids.Engineering, memberId: ids.ada },
        { groupId: ids.Engineering, memberId: ids.bob },
        { groupId: ids.Sales_EU, memberId: ids.cy },
      ]);
  });

  async function matching(filter: string): Promise<string[]> {
    const rows = await db()
      .select({ displayName: groups.displayName })
      .from(groups)
      .where(
        and(
          eq(groups.organizationId, organizationId),
          groupFilterSql(parseFilter(filter)),
        ),
      )
      .orderBy(asc(groups.createdAt));
    return rows.map((row) => row.displayName);
  }

  it.each([
    ['displayName eq "engineering"', ["Engineering"]],
    ['DISPLAYNAME eq "X"', []],
    ['displayName co "_"', ["Sales_EU"]],
    ['displayName sw "e"', ["Engineering", "Empty"]],
    ['externalId eq "G-eng"', ["Engineering"]],
    ['externalId eq "g-eng"', []],
    ["externalId pr", ["Engineering"]],
    ['meta.lastModified gt "2024-06-01T00:00:00Z"', ["Sales_EU"]],
    ['meta.created lt "2024-02-01T00:00:00Z"', ["Engineering"]],
    ["members pr", ["Engineering", "Sales_EU"]],
    ["not (members pr)", ["Empty"]],
    ['members.value eq "not-a-uuid"', []],
    ['members eq "00000000-0000-0000-0000-000000000000"', []],
    ['members[value eq "010101001010101011001010101011"]', []],
    ['members[type eq "User"]', ["Engineering", "Sales_EU"]],
    ['members[type eq "Group"]', []],
    [
      `urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Empty"`,
      ["Empty"],
    ],
  ])("%s", async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it("finds a member's groups by members.value, members and members[value eq]", async () => {
    for (const form of [
      `members.value eq "${ids.ada}"`,
      `members eq "${ids.ada}"`,
      `members[value eq "${ids.ada}"]`,
      `MEMBERS[VALUE EQ "${ids.ada.toUpperCase()}"]`,
    ]) {
      expect(await matching(form)).toEqual(["Engineering"]);
    }
    expect(await matching(`members.value eq "${ids.cy}"`)).toEqual([
      "Sales_EU",
    ]);
    expect(
      await matching(
        `members.value eq "${ids.ada}" or members.value eq "${ids.cy}"`,
      ),
    ).toEqual(["Engineering", "Sales_EU"]);
    // One member must satisfy the whole value filter.
    expect(
      await matching(
        `members[value eq "${ids.ada}" and value eq "${ids.bob}"]`,
      ),
    ).toEqual([]);
    expect(
      await matching(
        `members.value eq "${ids.ada}" and members.value eq "${ids.bob}"`,
      ),
    ).toEqual(["Engineering"]);
    expect(await matching(`not (members.value eq "${ids.ada}")`)).toEqual([
      "Sales_EU",
      "Empty",
    ]);
    expect(await matching(`id eq "${ids.Empty}"`)).toEqual(["Empty"]);
  });

  it.each([
    ['userName eq "x"', "'userName' is not a filterable attribute of Groups"],
    ['members.display eq "x"', "'members.display' is not a filterable"],
    ['members[display eq "x"]', "'members.display' is not a filterable"],
    ["members.value eq 5", "string attribute"],
    ['emails eq "x"', "'emails' is not a filterable"],
    [`${user}:displayName eq "x"`, "is not a filterable attribute of Groups"],
    ["displayName gt false", "cannot be compared with the boolean false"],
  ])("rejects %s", (filter, phrase) => {
    expect(() => groupFilterSql(parseFilter(filter))).toThrow(phrase);
  });
});

describe("filter plans", () => {
  let organizationId: string;

  beforeAll(async () => {
    const [org] = await db()
      .insert(organizations)
      .values({ name: "Large" })
      .returning();
    organizationId = org.id;
    await db().execute(sql`
      insert into ${members}
        (organization_id, user_name, email, external_id, display_name, status)
      select ${organizationId}::uuid, 'User' || n || '@Large.example',
             'user' || n || '@large.example', 'ext-' || n, 'User ' || n,
             'invited'
      from generate_series(1, 5000) as n`);
    await db().execute(sql`analyze ${members}`);
  });

  async function plan(condition: SQL): Promise<string> {
    const result = await db().execute(
      sql`explain select ${members.id} from ${members} where ${members.organizationId} = ${organizationId} and ${condition}`,
    );
    return rowsOf<Record<string, string>>(result)
      .map((row) => Object.values(row).join(" "))
      .join("\n");
  }

  // Any index on the filtered expression will do: the unique index, or the
  // console's text_pattern_ops index on the same lower(column).
  it.each([
    ['userName eq "user42@large.example"', "members_org_user_name_key"],
    ['externalId eq "ext-42"', "members_org_external_id_key"],
    ['emails.value eq "USER42@large.example"', "members_org_email_"],
    ['emails eq "user42@large.example"', "members_org_email_"],
    [
      'emails[type eq "work"].value eq "user42@large.example"',
      "members_org_email_",
    ],
    ['displayName eq "user 42"', "members_org_display_name_"],
    ['emails sw "user42@"', "members_org_email_pattern_idx"],
  ])("%s uses %s", async (filter, index) => {
    const text = await plan(userFilterSql(parseFilter(filter)));
    expect(text).toMatch(/(Index Scan|Bitmap Index Scan|Index Only Scan)/);
    expect(text).toContain(index);
    expect(text).not.toMatch(/Seq Scan/);
  });

  it("members.value eq looks the member's groups up by index", async () => {
    await db().execute(sql`
      insert into ${groups} (organization_id, display_name)
      select ${organizationId}::uuid, 'Group ' || n
      from generate_series(1, 5000) as n`);
    // One member per group, paired by position.
    await db().execute(sql`
      insert into ${groupMembers} (group_id, member_id)
      select g.id, m.id
      from (select id, row_number() over (order by id) as n from ${groups}
            where organization_id = ${organizationId}) as g
      join (select id, row_number() over (order by id) as n from ${members}
            where organization_id = ${organizationId}) as m using (n)`);
    await db().execute(sql`analyze ${groups}`);
    await db().execute(sql`analyze ${groupMembers}`);
    const [membership] = await db()
      .select({
        groupId: groupMembers.groupId,
        memberId: groupMembers.memberId,
      })
      .from(groupMembers)
      .innerJoin(groups, eq(groups.id, groupMembers.groupId))
      .where(eq(groups.organizationId, organizationId))
      .limit(1);
    const member = { id: membership.memberId };

    const condition = groupFilterSql(
      parseFilter(`members.value eq "${member.id}"`),
    );
    const result = await db().execute(
      sql`explain select ${groups.id} from ${groups} where ${groups.organizationId} = ${organizationId} and ${condition}`,
    );
    const text = rowsOf<Record<string, string>>(result)
      .map((row) => Object.values(row).join(" "))
      .join("\n");
    expect(text).toMatch(/group_members_member_idx|group_members_pkey/);
    expect(text).not.toMatch(/Seq Scan on group_members/);

    const rows = await db()
      .select({ id: groups.id })
      .from(groups)
      .where(and(eq(groups.organizationId, organizationId), condition));
    expect(rows).toEqual([{ id: membership.groupId }]);
  });

  it("still finds the row the plan looks up", async () => {
    const rows = await db()
      .select({ userName: members.userName })
      .from(members)
      .where(
        and(
          eq(members.organizationId, organizationId),
          userFilterSql(parseFilter('userName eq "user4242@large.example"')),
        ),
      );
    expect(rows).toEqual([{ userName: "User4242@Large.example" }]);
  });
});
