import fc from "fast-check";
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from "@/lib/scim/schemas";

/**
 * Generators of hostile SCIM requests: shapes an identity provider sends,
 * then bent out of shape (wrong types, huge and odd strings, deep nesting,
 * mutated filters and paths), and plain garbage.
 */

export interface IdPool {
  /** Ids of Users and Groups that exist (or existed) in the fuzzed organization. */
  users: string[];
  groups: string[];
  /** Ids of another organization's resources: never reachable from this one. */
  foreignUsers: string[];
  foreignGroups: string[];
}

export interface FuzzRequest {
  method: string;
  /** Path below the organization's SCIM base URL, or a raw path from the host root. */
  path: string;
  rootPath?: boolean;
  headers: Record<string, string>;
  /** undefined: no body; a string or bytes are sent as they are. */
  body?: string | Uint8Array;
  /** The key to send: the organization's, none, or a wrong one. */
  auth: "valid" | "none" | "wrong" | "foreign" | "malformed";
  /** A deliberately broken request (bad framing, bad key, garbage). */
  fault: boolean;
  /** What it is, for the report. */
  kind: string;
}

// ---------------------------------------------------------------- strings

const oddCharacters = [
  "\u0000",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u200b",
  "\u202e",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udfff",
  "\ud83d\ude00",
  "é",
  "e\u0301",
  "ß",
  "İ",
  "ﬃ",
  "\u2028",
  "\\",
  '"',
  "'",
  "%",
  "_",
  "*",
  "\n",
  "\r",
  "\t",
  " ",
  "<script>",
  "${x}",
  "'; drop table members; --",
  "../",
  "\u0130",
  "Ω",
  "\u{10ffff}",
];

const oddString = fc
  .array(fc.constantFrom(...oddCharacters), { minLength: 1, maxLength: 8 })
  .map((parts) => parts.join(""));

/** Strings a service must survive: empty, blank, odd Unicode, long, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 30, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 10, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 10, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 15, arbitrary: oddString },
  {
    weight: 8,
    arbitrary: fc.constantFrom("", " ", "   ", "null", "true", "0"),
  },
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom(254, 255, 256, 257, 300, 301),
        fc.constantFrom("a", "é", "\ud83d\ude00"),
      )
      .map(([length, unit]) => unit.repeat(length)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1_000, max: 5_000 }),
        fc.constantFrom("x", "é", "\u0000", "\ud83d\ude00"),
      )
      .map(([length, unit]) => unit.repeat(length)),
  },
);

/** A string too long for any attribute, sometimes close to the body limit. */
export const hugeString = fc
  .integer({ min: 20_000, max: 500_000 })
  .map((length) => "x".repeat(length));

const emailLike = fc.oneof(
  fc.emailAddress(),
  fc
    .tuple(
      hostileString,
      fc.constantFrom("@example.com", "@", "@@x", "@ex ample.com", ""),
    )
    .map(([local, domain]) => local + domain),
  fc
    .tuple(fc.emailAddress(), fc.constantFrom("A", "é", " ", "\u0000"))
    .map(([email, extra]) => extra + email.toUpperCase()),
);

// ---------------------------------------------------------------- JSON

/** Any JSON value, including ones no schema expects. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        hostileString,
        fc.constantFrom(
          "value",
          "type",
          "primary",
          "display",
          "$ref",
          "op",
          "path",
        ),
      ),
      tie("value"),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/** Something nested far deeper than any real payload (stack exhaustion). */
export const deepJson = fc
  .tuple(
    fc.integer({ min: 1_000, max: 120_000 }),
    fc.constantFrom("array", "object"),
  )
  .map(([depth, shape]) =>
    shape === "array"
      ? "[".repeat(depth) + "]".repeat(depth)
      : '{"a":'.repeat(depth) + "1" + "}".repeat(depth),
  );

/** A JSON value that is sometimes of the wrong type for the attribute. */
function valueOr<T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 40, arbitrary: right },
    { weight: 6, arbitrary: anyJson },
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: hugeString.map((text) => text.slice(0, 8_000)) },
  );
}

const booleanish = fc.oneof(
  fc.boolean(),
  fc.constantFrom(
    "True",
    "False",
    "true",
    "false",
    "TRUE",
    "yes",
    "1",
    1,
    0,
    null,
    "",
  ),
);

function userBody(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      schemas: fc.oneof(
        fc.constant([USER_SCHEMA]),
        fc.constant([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]),
        anyJson,
      ),
      userName: valueOr(emailLike),
      externalId: valueOr(hostileString),
      displayName: valueOr(hostileString),
      active: booleanish,
      name: valueOr(
        fc.record(
          {
            givenName: valueOr(hostileString),
            familyName: valueOr(hostileString),
            formatted: valueOr(hostileString),
            middleName: valueOr(hostileString),
          },
          { requiredKeys: [] },
        ),
      ),
      emails: valueOr(
        fc.array(
          fc.record(
            {
              value: valueOr(emailLike),
              type: valueOr(fc.constantFrom("work", "home", "other", "WORK")),
              primary: booleanish,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 4 },
        ),
      ),
      password: valueOr(hostileString),
      groups: anyJson,
      id: anyJson,
      meta: anyJson,
      [ENTERPRISE_USER_SCHEMA]: valueOr(
        fc.record(
          {
            employeeNumber: valueOr(hostileString),
            department: valueOr(hostileString),
            manager: valueOr(
              fc.record(
                { value: valueOr(hostileString) },
                { requiredKeys: [] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      extra: anyJson,
    },
    { requiredKeys: ["userName"] },
  );
}

/** What Okta and Entra really send: valid, with the odd Unicode name. */
const wellFormedUser = fc.record(
  {
    schemas: fc.constant([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]),
    userName: fc.emailAddress().filter((email) => email.length <= 254),
    externalId: fc.uuid(),
    displayName: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
    active: booleanish,
    name: fc.record({
      givenName: fc.string({ unit: "grapheme", maxLength: 30 }),
      familyName: fc.string({ unit: "grapheme", maxLength: 30 }),
    }),
    emails: fc.constant(undefined),
    [ENTERPRISE_USER_SCHEMA]: fc.record(
      {
        department: fc.string({ maxLength: 30 }),
        employeeNumber: fc.nat().map(String),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["schemas", "userName"] },
);

function anyUserBody() {
  return fc.oneof(
    { weight: 2, arbitrary: wellFormedUser },
    { weight: 3, arbitrary: userBody() },
  );
}

function memberList(pool: () => IdPool) {
  return fc.array(
    fc.oneof(
      { weight: 5, arbitrary: userId(pool).map((value) => ({ value })) },
      {
        weight: 1,
        arbitrary: fc.record(
          { value: anyJson, display: anyJson, $ref: anyJson },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: anyJson },
    ),
    { maxLength: 6 },
  );
}

function groupBody(pool: () => IdPool): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    {
      schemas: fc.oneof(fc.constant([GROUP_SCHEMA]), anyJson),
      displayName: valueOr(hostileString),
      externalId: valueOr(hostileString),
      members: valueOr(memberList(pool)),
      id: anyJson,
    },
    { requiredKeys: ["displayName"] },
  );
}

// ---------------------------------------------------------------- ids

const malformedIds = [
  "010101001010101011001010101011",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "%00",
  "%2e%2e",
  "..",
  "%E2%80%AE",
  "x".repeat(5_000),
  "1 or 1=1",
  "%ZZ",
  ".search",
  "",
];

function pick(list: () => string[]) {
  return fc.nat().map((n) => {
    const items = list();
    return items.length > 0 ? items[n % items.length] : crypto.randomUUID();
  });
}

function userId(pool: () => IdPool) {
  return fc.oneof(
    { weight: 8, arbitrary: pick(() => pool().users) },
    { weight: 1, arbitrary: pick(() => pool().foreignUsers) },
    { weight: 1, arbitrary: pick(() => pool().groups) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...malformedIds) },
  );
}

function groupId(pool: () => IdPool) {
  return fc.oneof(
    { weight: 8, arbitrary: pick(() => pool().groups) },
    { weight: 1, arbitrary: pick(() => pool().foreignGroups) },
    { weight: 1, arbitrary: pick(() => pool().users) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...malformedIds) },
  );
}

const loneSurrogate =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes a path segment; a URL cannot carry a lone surrogate. */
function encoded(text: string) {
  return encodeURIComponent(text.replace(loneSurrogate, "\ufffd"));
}

/** Encodes an id for a path segment, except the ones that are already encoded. */
function segment(id: string) {
  return /%/.test(id) ? id : encoded(id);
}

// ---------------------------------------------------------------- filters

const userAttributes = [
  "id",
  "userName",
  "externalId",
  "displayName",
  "name.givenName",
  "name.familyName",
  "emails",
  "emails.value",
  "emails.type",
  "active",
  "meta.created",
  "meta.lastModified",
  "urn:ietf:params:scim:schemas:core:2.0:User:userName",
  "title",
  "password",
  "groups",
  "name",
  "meta",
];
const groupAttributes = [
  "id",
  "displayName",
  "externalId",
  "members",
  "members.value",
  "members.display",
  "meta.created",
  "meta.lastModified",
  "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
];
const operators = [
  "eq",
  "ne",
  "co",
  "sw",
  "ew",
  "gt",
  "ge",
  "lt",
  "le",
  "EQ",
  "Sw",
  "pr",
];

const filterValue = fc.oneof(
  hostileString.map((s) => JSON.stringify(s.slice(0, 300))),
  fc.constantFrom(
    "true",
    "false",
    "null",
    "1",
    "-1.5e3",
    "1e999",
    '"2024-01-01T00:00:00Z"',
    '"2024-13-45"',
    "a@b.example",
    '"\\u0000"',
    '"unterminated',
  ),
  fc.integer().map(String),
);

/** Filters from the RFC 7644 §3.4.2.2 grammar, over a resource's attributes. */
function grammarFilter(attributes: string[]): fc.Arbitrary<string> {
  const attribute = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...attributes) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...attributes).map((a) => a.toUpperCase()),
    },
    { weight: 1, arbitrary: hostileString.map((s) => s.slice(0, 30)) },
  );
  return fc.letrec<{ filter: string }>((tie) => ({
    filter: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc
        .tuple(attribute, fc.constantFrom(...operators), filterValue)
        .map(([a, op, v]) =>
          op.toLowerCase() === "pr" ? `${a} pr` : `${a} ${op} ${v}`,
        ),
      fc
        .tuple(
          tie("filter"),
          fc.constantFrom("and", "or", "AND", "Or"),
          tie("filter"),
        )
        .map(([l, op, r]) => `${l} ${op} ${r}`),
      tie("filter").map((f) => `not (${f})`),
      tie("filter").map((f) => `(${f})`),
      fc
        .tuple(fc.constantFrom("emails", "members", "name"), tie("filter"))
        .map(([a, f]) => `${a}[${f}]`),
      fc
        .tuple(
          fc.constantFrom(
            'emails[type eq "work"].value',
            "emails[primary eq true].value",
          ),
          fc.constantFrom("eq", "co", "sw"),
          filterValue,
        )
        .map(([p, op, v]) => `${p} ${op} ${v}`),
    ),
  })).filter;
}

/** A filter with a few characters deleted, inserted, swapped or cut. */
function mutated(filter: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      filter,
      fc.array(
        fc.tuple(
          fc.constantFrom("delete", "insert", "duplicate", "truncate"),
          fc.nat(),
          fc.constantFrom(
            "(",
            ")",
            "[",
            "]",
            '"',
            "\\",
            " ",
            "and",
            "not",
            ".",
            ":",
            "\u0000",
            "ﬃ",
          ),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([text, edits]) => {
      let out = text;
      for (const [edit, at, piece] of edits) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (edit === "delete") out = out.slice(0, i) + out.slice(i + 1);
        if (edit === "insert") out = out.slice(0, i) + piece + out.slice(i);
        if (edit === "duplicate")
          out = out.slice(0, i) + out.slice(i, i + 10) + out.slice(i);
        if (edit === "truncate") out = out.slice(0, i);
      }
      return out;
    });
}

function anyFilter(attributes: string[]) {
  return fc.oneof(
    { weight: 4, arbitrary: grammarFilter(attributes) },
    { weight: 3, arbitrary: mutated(grammarFilter(attributes)) },
    { weight: 1, arbitrary: hostileString.map((text) => text.slice(0, 1_000)) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 30, max: 1_500 })
        .map((n) => "(".repeat(n) + 'userName eq "a"' + ")".repeat(n)),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 4_000, max: 5_000 })
        .map((n) => `userName eq "${"a".repeat(n)}"`),
    },
  );
}

// ---------------------------------------------------------------- queries

const queryNumber = fc.oneof(
  fc.integer({ min: -5, max: 2_000 }).map(String),
  fc.constantFrom(
    "",
    "abc",
    "1e3",
    "0x10",
    "-0",
    "99999999999999999999",
    "1.5",
    " 3",
    "NaN",
    "Infinity",
  ),
);

function listQuery(attributes: string[]) {
  return fc
    .record(
      {
        filter: anyFilter(attributes),
        startIndex: queryNumber,
        count: queryNumber,
        sortBy: fc.oneof(fc.constantFrom(...attributes), hostileString),
        sortOrder: fc.constantFrom(
          "ascending",
          "descending",
          "DESCENDING",
          "sideways",
          "",
        ),
        attributes: fc.oneof(
          fc.constantFrom(
            ...attributes,
            "members",
            "groups",
            "emails.value,name",
          ),
          hostileString,
        ),
        excludedAttributes: fc.oneof(
          fc.constantFrom(...attributes, "members", "groups"),
          hostileString,
        ),
      },
      { requiredKeys: [] },
    )
    .chain((params) =>
      fc.boolean().map((plus) => {
        // Node refuses request heads over 16 KB (431) before any handler
        // runs: parameters stay short enough, except for the filter, which
        // goes past the 4 KB filter limit.
        const capped = Object.fromEntries(
          Object.entries(params).map(([name, value]) => [
            name,
            value.slice(0, name === "filter" ? 5_000 : 200),
          ]),
        );
        const query = new URLSearchParams(capped).toString();
        // SPEC 3.3: both + and %20 are the space of a query string.
        return plus ? query : query.replace(/\+/g, "%20");
      }),
    );
}

function searchBody(attributes: string[]) {
  return fc.record(
    {
      schemas: fc.oneof(
        fc.constant(["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]),
        anyJson,
      ),
      filter: valueOr(anyFilter(attributes)),
      startIndex: valueOr(fc.integer({ min: -3, max: 3_000 })),
      count: valueOr(fc.integer({ min: -3, max: 3_000 })),
      sortBy: valueOr(fc.constantFrom(...attributes)),
      sortOrder: valueOr(fc.constantFrom("ascending", "descending")),
      attributes: valueOr(
        fc.array(fc.constantFrom(...attributes), { maxLength: 3 }),
      ),
      excludedAttributes: valueOr(
        fc.array(fc.constantFrom(...attributes), { maxLength: 3 }),
      ),
    },
    { requiredKeys: [] },
  );
}

// ---------------------------------------------------------------- PATCH

const userPaths = [
  "active",
  "externalId",
  "displayName",
  "name.givenName",
  "name.familyName",
  "name.formatted",
  "name",
  "userName",
  'emails[type eq "work"].value',
  "emails",
  `${ENTERPRISE_USER_SCHEMA}:employeeNumber`,
  `${ENTERPRISE_USER_SCHEMA}:manager`,
  `${ENTERPRISE_USER_SCHEMA}:manager.value`,
  ENTERPRISE_USER_SCHEMA,
  `${USER_SCHEMA}:displayName`,
  "title",
  "id",
  "meta",
  "groups",
  "members",
];
const groupPaths = [
  "displayName",
  "externalId",
  "members",
  'members[value eq "ID"]',
  'members[value eq "ID" or value eq "ID"]',
  'members[display eq "x"]',
  "members.value",
  `${GROUP_SCHEMA}:displayName`,
  "id",
];

function patchBody(
  paths: string[],
  value: fc.Arbitrary<unknown>,
  ids: fc.Arbitrary<string>,
): fc.Arbitrary<unknown> {
  const path = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...paths), ids, ids)
        .map(([p, a, b]) => p.replace("ID", a).replace("ID", b)),
    },
    { weight: 2, arbitrary: mutated(fc.constantFrom(...paths)) },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: anyJson },
  );
  const operation = fc.record(
    {
      op: fc.oneof(
        {
          weight: 6,
          arbitrary: fc.constantFrom(
            "add",
            "replace",
            "remove",
            "Add",
            "Replace",
            "Remove",
            "REPLACE",
          ),
        },
        { weight: 1, arbitrary: anyJson },
      ),
      path,
      value,
    },
    { requiredKeys: ["op"] },
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record(
        {
          schemas: fc.oneof(
            { weight: 5, arbitrary: fc.constant([PATCH_OP_SCHEMA]) },
            { weight: 1, arbitrary: anyJson },
          ),
          Operations: fc.array(operation, { minLength: 1, maxLength: 5 }),
        },
        { requiredKeys: ["Operations"] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        schemas: fc.constant([PATCH_OP_SCHEMA]),
        Operations: anyJson,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 999, max: 1_002 }).map((n) => ({
        schemas: [PATCH_OP_SCHEMA],
        Operations: Array.from({ length: n }, () => ({
          op: "replace",
          path: "displayName",
          value: "x",
        })),
      })),
    },
    { weight: 1, arbitrary: anyJson },
  );
}

function userPatchValue(pool: () => IdPool) {
  return fc.oneof(
    booleanish,
    hostileString,
    userBody(),
    fc.record(
      {
        active: booleanish,
        displayName: valueOr(hostileString),
        "name.givenName": valueOr(hostileString),
      },
      { requiredKeys: [] },
    ),
    memberList(pool),
    anyJson,
  );
}

function groupPatchValue(pool: () => IdPool) {
  return fc.oneof(
    { weight: 3, arbitrary: memberList(pool) },
    { weight: 2, arbitrary: hostileString },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          id: anyJson,
          displayName: valueOr(hostileString),
          externalId: valueOr(hostileString),
          members: valueOr(memberList(pool)),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: anyJson },
  );
}

// ---------------------------------------------------------------- requests

const userAgents = [
  "Okta SCIM Client 1.0.0",
  "Azure AD SCIM Client",
  "Microsoft.Online.SCIM",
  "curl/8",
  "",
  "\u0000",
  "x".repeat(3_000),
];

const contentTypes = [
  "application/scim+json",
  "application/scim+json; charset=utf-8",
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/scim+json; charset=latin1",
  "",
];

const shortHostile = hostileString.map((text) => text.slice(0, 500));

const extraHeaders = fc.record(
  {
    "user-agent": fc.constantFrom(...userAgents),
    "content-type": fc.constantFrom(...contentTypes),
    "if-match": fc.oneof(
      fc.constantFrom(
        'W/"1"',
        'W/"2"',
        "*",
        '"1"',
        "garbage",
        'W/"99999999999999999999"',
      ),
      shortHostile,
    ),
    "if-none-match": fc.oneof(
      fc.constantFrom('W/"1"', "*", 'W/"2"'),
      shortHostile,
    ),
    adscimversion: fc.constantFrom("1.0", ""),
    accept: fc.constantFrom("application/scim+json", "text/html", "*/*", ""),
    "x-request-id": fc.oneof(fc.uuid(), shortHostile),
  },
  { requiredKeys: [] },
);

/** Headers fetch would refuse to send are dropped (\0, newlines, non-Latin-1). */
function sendableHeaders(
  headers: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([, value]) =>
      /^[\t\x20-\x7e\x80-\xff]*$/.test(value),
    ),
  );
}

function jsonRequest(
  kind: string,
  method: string,
  path: fc.Arbitrary<string>,
  body: fc.Arbitrary<unknown> | undefined,
): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      path,
      body ?? fc.constant(undefined),
      extraHeaders,
      fc.nat({ max: 19 }),
    )
    .map(([p, b, headers, roll]) => ({
      kind,
      method,
      path: p,
      // Most requests carry what Okta sends; some get random headers.
      headers: sendableHeaders(
        roll < 14
          ? {
              "content-type": "application/scim+json; charset=utf-8",
              "user-agent": "Okta SCIM Client 1.0.0",
            }
          : headers,
      ),
      body: b === undefined ? undefined : JSON.stringify(b),
      auth: "valid" as const,
      fault: false,
    }));
}

/** Bodies that are not JSON, or not UTF-8, or too large, or too deep. */
const brokenBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "{",
      '{"userName":',
      "[",
      "nul",
      "{'a':1}",
      '{"a":1}}',
      "\u0000",
      '{"a":"\\ud800"}',
      '{"userName":"a@b.c"}garbage',
    ),
  },
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: deepJson },
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]),
      new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1_048_000, max: 1_049_500 })
      .map((n) => `{"userName":"${"a".repeat(n)}"}`),
  },
  {
    weight: 1,
    arbitrary: hugeString.map((text) =>
      JSON.stringify({
        userName: "huge@example.com",
        displayName: text,
        members: [{ value: text }],
      }),
    ),
  },
);

const methods = [
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "get",
];

/** Paths below the base URL that are not the endpoints, or almost are. */
const oddPath = fc.oneof(
  fc.constantFrom(
    "",
    "/",
    "/Users/",
    "/users",
    "/USERS",
    "/groups",
    "/Groups/.search",
    "/Users/.search",
    "/Bulk",
    "/Me",
    "/ServiceProviderConfig",
    "/ResourceTypes",
    "/ResourceTypes/User",
    "/ResourceTypes/Nope",
    "/Schemas",
    `/Schemas/${USER_SCHEMA}`,
    "/Schemas/urn:nope",
    "/Users/a/b",
    "/Users//x",
    "/Users/%",
    "/Users/%ZZ",
    "/Users/%00",
    "/../../etc/passwd",
    "/Users?filter",
    "/Users?count=%",
  ),
  fc
    .array(
      hostileString.map((s) => encoded(s.slice(0, 40))),
      { minLength: 1, maxLength: 4 },
    )
    .map((parts) => "/" + parts.join("/")),
);

/** Paths from the host root: other organizations, no organization, not SCIM. */
const rootPaths = fc.oneof(
  fc.uuid().map((id) => `/scim/v2/${id}/Users`),
  fc.constantFrom(
    "/scim/v2/",
    "/scim/v2",
    "/scim/v2/not-a-uuid/Users",
    "/scim/v2/%ZZ/Users",
    "/scim/v2/../Users",
  ),
);

export function fuzzRequest(pool: () => IdPool): fc.Arbitrary<FuzzRequest> {
  const users = (suffix: fc.Arbitrary<string>) =>
    suffix.map((s) => `/Users${s}`);
  const groupsPath = (suffix: fc.Arbitrary<string>) =>
    suffix.map((s) => `/Groups${s}`);
  const oneUser = userId(pool).map((id) => `/${segment(id)}`);
  const oneGroup = groupId(pool).map((id) => `/${segment(id)}`);
  const withQuery = (path: fc.Arbitrary<string>, attributes: string[]) =>
    fc
      .tuple(path, fc.option(listQuery(attributes), { nil: undefined }))
      .map(([p, q]) => (q ? `${p}?${q}` : p));

  const valid = fc.oneof(
    {
      weight: 8,
      arbitrary: jsonRequest(
        "POST /Users",
        "POST",
        withQuery(fc.constant("/Users"), userAttributes),
        anyUserBody(),
      ),
    },
    {
      weight: 3,
      arbitrary: jsonRequest(
        "GET /Users/{id}",
        "GET",
        withQuery(users(oneUser), userAttributes),
        undefined,
      ),
    },
    {
      weight: 5,
      arbitrary: jsonRequest(
        "PUT /Users/{id}",
        "PUT",
        users(oneUser),
        anyUserBody(),
      ),
    },
    {
      weight: 8,
      arbitrary: jsonRequest(
        "PATCH /Users/{id}",
        "PATCH",
        users(oneUser),
        patchBody(userPaths, userPatchValue(pool), userId(pool)),
      ),
    },
    {
      weight: 2,
      arbitrary: jsonRequest(
        "DELETE /Users/{id}",
        "DELETE",
        users(oneUser),
        undefined,
      ),
    },
    {
      weight: 6,
      arbitrary: jsonRequest(
        "GET /Users",
        "GET",
        withQuery(fc.constant("/Users"), userAttributes),
        undefined,
      ),
    },
    {
      weight: 2,
      arbitrary: jsonRequest(
        "POST /Users/.search",
        "POST",
        fc.constant("/Users/.search"),
        searchBody(userAttributes),
      ),
    },
    {
      weight: 5,
      arbitrary: jsonRequest(
        "POST /Groups",
        "POST",
        fc.constant("/Groups"),
        groupBody(pool),
      ),
    },
    {
      weight: 2,
      arbitrary: jsonRequest(
        "GET /Groups/{id}",
        "GET",
        withQuery(groupsPath(oneGroup), groupAttributes),
        undefined,
      ),
    },
    {
      weight: 3,
      arbitrary: jsonRequest(
        "PUT /Groups/{id}",
        "PUT",
        groupsPath(oneGroup),
        groupBody(pool),
      ),
    },
    {
      weight: 8,
      arbitrary: jsonRequest(
        "PATCH /Groups/{id}",
        "PATCH",
        withQuery(groupsPath(oneGroup), groupAttributes),
        patchBody(groupPaths, groupPatchValue(pool), userId(pool)),
      ),
    },
    {
      weight: 1,
      arbitrary: jsonRequest(
        "DELETE /Groups/{id}",
        "DELETE",
        groupsPath(oneGroup),
        undefined,
      ),
    },
    {
      weight: 4,
      arbitrary: jsonRequest(
        "GET /Groups",
        "GET",
        withQuery(fc.constant("/Groups"), groupAttributes),
        undefined,
      ),
    },
    {
      weight: 1,
      arbitrary: jsonRequest(
        "POST /Groups/.search",
        "POST",
        fc.constant("/Groups/.search"),
        searchBody(groupAttributes),
      ),
    },
  );

  const broken = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            "POST /Users",
            "PUT /Users/{id}",
            "PATCH /Users/{id}",
            "POST /Groups",
            "PATCH /Groups/{id}",
            "POST /Users/.search",
          ),
          oneUser,
          oneGroup,
          brokenBody,
          fc.constantFrom(...contentTypes),
        )
        .map(([kind, u, g, body, contentType]) => {
          const [method, template] = kind.split(" ");
          const path = template
            .replace("/Users/{id}", `/Users${u}`)
            .replace("/Groups/{id}", `/Groups${g}`);
          return {
            kind: `${kind} (broken body)`,
            method,
            path,
            headers: sendableHeaders({ "content-type": contentType }),
            body,
            auth: "valid" as const,
            fault: true,
          };
        }),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...methods),
          oddPath,
          fc.option(brokenBody, { nil: undefined }),
          extraHeaders,
        )
        .map(([method, path, body, headers]) => ({
          kind: "random method and path",
          method:
            method === "HEAD" || method === "GET" || method === "get"
              ? method.toUpperCase()
              : method,
          path,
          headers: sendableHeaders(headers),
          body:
            method === "GET" || method === "HEAD" || method === "get"
              ? undefined
              : body,
          auth: "valid" as const,
          fault: true,
        })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            "none",
            "wrong",
            "foreign",
            "malformed",
          ) as fc.Arbitrary<FuzzRequest["auth"]>,
          fc.constantFrom("GET", "POST", "PATCH", "DELETE"),
          fc.oneof(
            fc.constant("/Users"),
            users(oneUser),
            fc.constant("/Groups"),
          ),
        )
        .map(([auth, method, path]) => ({
          kind: `auth ${auth}`,
          method,
          path,
          headers: {},
          body:
            method === "POST"
              ? '{"userName":"intruder@example.com"}'
              : undefined,
          auth,
          fault: true,
        })),
    },
    {
      weight: 1,
      arbitrary: rootPaths.map((path) => ({
        kind: "other organization or no organization",
        method: "GET",
        path,
        rootPath: true,
        headers: {},
        auth: "valid" as const,
        fault: true,
      })),
    },
  );

  return fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 1, arbitrary: broken },
  );
}
