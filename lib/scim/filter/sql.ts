import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { qualified } from "@/db/rows";
import { groupMembers, groups, members } from "@/db/schema";
import {
  formatPath,
  type AttributePath,
  type CompareOperator,
  type FilterNode,
  type FilterValue,
} from "./ast";
import { filterError } from "./tokenize";

/** How one filterable attribute is stored, which decides its SQL. */
type Scalar =
  | { type: "string"; column: SQLWrapper; caseExact: boolean }
  | { type: "uuid"; column: SQLWrapper }
  | { type: "dateTime"; column: SQLWrapper }
  | { type: "active" }
  /** An attribute every resource has with this one value. */
  | { type: "constant"; value: string };

type Wrap = (condition: SQL) => SQL;

/**
 * A multi-valued attribute. `wrap` turns a condition on one value into a
 * condition on the resource: one value must satisfy all of it.
 */
interface MultiValued {
  subAttributes: Record<string, Scalar>;
  wrap: Wrap;
}

interface Resource {
  label: string;
  schema: string;
  /** Keys are lower-cased paths: "username", "name.givenname". */
  scalars: Record<string, Scalar>;
  multiValued: Record<string, MultiValued>;
}

const identity: Wrap = (condition) => condition;

const users: Resource = {
  label: "Users",
  schema: "urn:ietf:params:scim:schemas:core:2.0:user",
  scalars: {
    id: { type: "uuid", column: members.id },
    username: { type: "string", column: members.userName, caseExact: false },
    externalid: {
      type: "string",
      column: members.externalId,
      caseExact: true,
    },
    displayname: {
      type: "string",
      column: members.displayName,
      caseExact: false,
    },
    "name.givenname": {
      type: "string",
      column: members.givenName,
      caseExact: false,
    },
    "name.familyname": {
      type: "string",
      column: members.familyName,
      caseExact: false,
    },
    active: { type: "active" },
    "meta.created": { type: "dateTime", column: members.createdAt },
    "meta.lastmodified": { type: "dateTime", column: members.updatedAt },
  },
  multiValued: {
    // A member has exactly one email, of type "work" (SPEC §3.4), so a
    // condition on "an email" is a condition on the row itself.
    emails: {
      subAttributes: {
        value: { type: "string", column: members.email, caseExact: false },
        type: { type: "constant", value: "work" },
      },
      wrap: identity,
    },
  },
};

const groupResource: Resource = {
  label: "Groups",
  schema: "urn:ietf:params:scim:schemas:core:2.0:group",
  scalars: {
    id: { type: "uuid", column: groups.id },
    displayname: {
      type: "string",
      column: groups.displayName,
      caseExact: false,
    },
    externalid: { type: "string", column: groups.externalId, caseExact: true },
    "meta.created": { type: "dateTime", column: groups.createdAt },
    "meta.lastmodified": { type: "dateTime", column: groups.updatedAt },
  },
  multiValued: {
    members: {
      subAttributes: {
        value: { type: "uuid", column: groupMembers.memberId },
        type: { type: "constant", value: "User" },
      },
      wrap: (condition) =>
        sql`exists (select 1 from ${groupMembers} where ${qualified(groupMembers.groupId)} = ${qualified(groups.id)} and ${condition})`,
    },
  },
};

/** The condition on the `members` table that a Users filter means. */
export function userFilterSql(node: FilterNode): SQL {
  return translate(node, topLevel(users));
}

/** The condition on the `groups` table that a Groups filter means. */
export function groupFilterSql(node: FilterNode): SQL {
  return translate(node, topLevel(groupResource));
}

interface Target {
  scalar: Scalar;
  wrap: Wrap;
  name: string;
}

interface Scope {
  resolve(path: AttributePath): Target;
  valuePath(path: AttributePath): { wrap: Wrap; scope: Scope };
}

function translate(node: FilterNode, scope: Scope): SQL {
  switch (node.kind) {
    case "and":
      return sql`(${translate(node.left, scope)} and ${translate(node.right, scope)})`;
    case "or":
      return sql`(${translate(node.left, scope)} or ${translate(node.right, scope)})`;
    case "not":
      return negate(translate(node.operand, scope));
    case "present": {
      const target = scope.resolve(node.path);
      return target.wrap(present(target.scalar));
    }
    case "compare": {
      const target = scope.resolve(node.path);
      return target.wrap(compare(target, node.operator, node.value));
    }
    case "valuePath": {
      const { wrap, scope: inner } = scope.valuePath(node.path);
      return wrap(translate(node.filter, inner));
    }
  }
}

/**
 * SQL's three-valued logic would make `not (displayName eq "x")` skip rows
 * without a displayName; in SCIM they match.
 */
function negate(condition: SQL): SQL {
  return sql`not coalesce(${condition}, false)`;
}

function topLevel(resource: Resource): Scope {
  const filterable = [
    ...Object.keys(resource.scalars),
    ...Object.keys(resource.multiValued),
  ];

  const unknown = (path: AttributePath) =>
    filterError(
      `'${formatPath(path)}' is not a filterable attribute of ${resource.label}`,
    );

  const checkSchema = (path: AttributePath) => {
    if (path.schema && path.schema.toLowerCase() !== resource.schema) {
      throw unknown(path);
    }
  };

  return {
    resolve(path) {
      checkSchema(path);
      const attribute = path.attribute.toLowerCase();
      const sub = path.subAttribute?.toLowerCase();

      const multi = resource.multiValued[attribute];
      if (multi) {
        // RFC 7644 §3.4.2.2: a multi-valued attribute without a
        // sub-attribute is filtered on its "value".
        const scalar = multi.subAttributes[sub ?? "value"];
        if (!scalar) throw unknown(path);
        return { scalar, wrap: multi.wrap, name: formatPath(path) };
      }

      const scalar = resource.scalars[sub ? `${attribute}.${sub}` : attribute];
      if (!scalar) throw unknown(path);
      return { scalar, wrap: identity, name: formatPath(path) };
    },

    valuePath(path) {
      checkSchema(path);
      const attribute = path.attribute.toLowerCase();
      if (path.subAttribute) {
        throw filterError(
          `A value filter applies to an attribute, not to '${formatPath(path)}'`,
        );
      }

      const multi = resource.multiValued[attribute];
      const complex = filterable.some((key) => key.startsWith(`${attribute}.`));
      if (!multi && !complex) throw unknown(path);

      const inner: Scope = {
        resolve(innerPath) {
          const name = `${path.attribute}.${formatPath(innerPath)}`;
          if (innerPath.schema || innerPath.subAttribute) {
            throw filterError(
              `'${formatPath(innerPath)}' inside '${path.attribute}[...]' must be a sub-attribute name`,
            );
          }
          const sub = innerPath.attribute.toLowerCase();
          const scalar = multi
            ? multi.subAttributes[sub]
            : resource.scalars[`${attribute}.${sub}`];
          if (!scalar) {
            throw filterError(
              `'${name}' is not a filterable attribute of ${resource.label}`,
            );
          }
          return { scalar, wrap: identity, name };
        },
        valuePath() {
          // The parser rejects nested value filters already.
          throw filterError("Value filters cannot be nested");
        },
      };
      return { wrap: multi?.wrap ?? identity, scope: inner };
    },
  };
}

function present(scalar: Scalar): SQL {
  switch (scalar.type) {
    case "string":
      // RFC 7644 §3.4.2.2: pr means a non-empty value.
      return sql`(${scalar.column} is not null and ${scalar.column} <> '')`;
    case "uuid":
    case "dateTime":
      return sql`${scalar.column} is not null`;
    case "active":
    case "constant":
      return sql`true`;
  }
}

function compare(
  target: Target,
  operator: CompareOperator,
  value: FilterValue,
): SQL {
  if (operator === "ne") return negate(compare(target, "eq", value));

  const { scalar, name } = target;
  if (value === null) {
    // `eq null` asks for an attribute without a value.
    if (operator !== "eq") {
      throw filterError(
        `'${name}' cannot be compared with null using '${operator}'; use eq, ne or pr`,
      );
    }
    return scalar.type === "active" || scalar.type === "constant"
      ? sql`false`
      : sql`${scalar.column} is null`;
  }

  switch (scalar.type) {
    case "string":
      return compareString(scalar, operator, text(name, "string", value));
    case "uuid":
      return compareUuid(scalar.column, operator, text(name, "string", value));
    case "dateTime":
      return compareDateTime(scalar.column, operator, name, value);
    case "active":
      return compareActive(operator, name, value);
    case "constant":
      return compareConstant(
        scalar.value,
        operator,
        text(name, "string", value),
      )
        ? sql`true`
        : sql`false`;
  }
}

function text(name: string, type: string, value: FilterValue): string {
  if (typeof value === "string") return value;
  const hint = typeof value === "number" ? ` (quote it: "${value}")` : "";
  throw filterError(
    `'${name}' is a ${type} attribute and cannot be compared with the ${typeof value} ${JSON.stringify(value)}${hint}`,
  );
}

// The shapes below match the indexes of db/schema.ts: `lower(user_name) =
// lower($1)` uses members_org_user_name_key, `external_id = $1` uses
// members_org_external_id_key, and so on.
function compareString(
  scalar: Extract<Scalar, { type: "string" }>,
  operator: Exclude<CompareOperator, "ne">,
  value: string,
): SQL {
  const column = scalar.column;
  const folded = scalar.caseExact ? sql`${column}` : sql`lower(${column})`;
  const argument = scalar.caseExact ? sql`${value}` : sql`lower(${value})`;
  // `lower(email) like lower('ada%')` can use a text_pattern_ops index.
  const like = (pattern: string) =>
    scalar.caseExact
      ? sql`${column} like ${pattern}`
      : sql`lower(${column}) like lower(${pattern})`;

  switch (operator) {
    case "eq":
      return sql`${folded} = ${argument}`;
    case "co":
      return like(`%${escapeLike(value)}%`);
    case "sw":
      return like(`${escapeLike(value)}%`);
    case "ew":
      return like(`%${escapeLike(value)}`);
    case "gt":
      return sql`${folded} > ${argument}`;
    case "ge":
      return sql`${folded} >= ${argument}`;
    case "lt":
      return sql`${folded} < ${argument}`;
    case "le":
      return sql`${folded} <= ${argument}`;
  }
}

const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function compareUuid(
  column: SQLWrapper,
  operator: Exclude<CompareOperator, "ne">,
  value: string,
): SQL {
  const asText = sql`${column}::text`;
  switch (operator) {
    case "eq":
      // A malformed id names no resource; PostgreSQL would reject the cast.
      return uuidPattern.test(value)
        ? sql`${column} = ${value.toLowerCase()}::uuid`
        : sql`false`;
    case "co":
      return sql`${asText} like ${`%${escapeLike(value)}%`}`;
    case "sw":
      return sql`${asText} like ${`${escapeLike(value)}%`}`;
    case "ew":
      return sql`${asText} like ${`%${escapeLike(value)}`}`;
    case "gt":
      return sql`${asText} > ${value}`;
    case "ge":
      return sql`${asText} >= ${value}`;
    case "lt":
      return sql`${asText} < ${value}`;
    case "le":
      return sql`${asText} <= ${value}`;
  }
}

// RFC 3339 date-time (xsd:dateTime, RFC 7643 §2.3.5), or a plain date; a
// time without an offset is UTC.
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or NaN for anything but a real instant. */
function parseDateTime(text: string): number {
  const match = dateTimePattern.exec(text);
  if (!match) return NaN;
  const [, year, month, day, hour = "0", minute = "0", second = "0"] = match;
  const fraction = match[7] ?? "";
  const offset = match[8] ?? "Z";

  const fields = [year, month, day, hour, minute, second].map(Number);
  const local = Date.UTC(
    fields[0],
    fields[1] - 1,
    fields[2],
    fields[3],
    fields[4],
    fields[5],
    Number(fraction.slice(0, 3).padEnd(3, "0")),
  );
  // Date.UTC rolls 2024-02-30 over into March; a real date survives the trip.
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return NaN;
  }

  if (/^z$/i.test(offset)) return local;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return local - sign * minutes * 60_000;
}

/**
 * `meta` timestamps are returned with millisecond precision, so a filter value
 * names the whole millisecond: `eq` matches anything stored within it.
 */
function compareDateTime(
  column: SQLWrapper,
  operator: Exclude<CompareOperator, "ne">,
  name: string,
  value: FilterValue,
): SQL {
  if (operator === "co" || operator === "sw" || operator === "ew") {
    throw filterError(
      `'${name}' is a dateTime attribute; '${operator}' does not apply (use eq, ne, gt, ge, lt or le)`,
    );
  }
  const raw = text(name, "dateTime", value);
  const time = parseDateTime(raw);
  if (Number.isNaN(time)) {
    throw filterError(
      `'${name}' needs a date-time such as "2024-05-01T12:00:00Z", not ${JSON.stringify(raw)}`,
    );
  }
  const start = sql`${new Date(time).toISOString()}::timestamptz`;
  const end = sql`${new Date(time + 1).toISOString()}::timestamptz`;

  switch (operator) {
    case "eq":
      return sql`(${column} >= ${start} and ${column} < ${end})`;
    case "gt":
      return sql`${column} >= ${end}`;
    case "ge":
      return sql`${column} >= ${start}`;
    case "lt":
      return sql`${column} < ${start}`;
    case "le":
      return sql`${column} < ${end}`;
  }
}

function compareActive(
  operator: Exclude<CompareOperator, "ne">,
  name: string,
  value: FilterValue,
): SQL {
  // Booleans also arrive as the strings "True" and "False" (SPEC §3.4).
  const flag =
    typeof value === "string" && /^(true|false)$/i.test(value)
      ? value.toLowerCase() === "true"
      : value;
  if (typeof flag !== "boolean") {
    throw filterError(
      `'${name}' is a boolean attribute and cannot be compared with ${JSON.stringify(value)}; use true or false`,
    );
  }
  if (operator !== "eq") {
    throw filterError(
      `'${name}' is a boolean attribute; '${operator}' does not apply (use eq, ne or pr)`,
    );
  }
  // SPEC §1: active is true for every status except revoked.
  return flag
    ? sql`${members.status} <> 'revoked'`
    : sql`${members.status} = 'revoked'`;
}

function compareConstant(
  stored: string,
  operator: Exclude<CompareOperator, "ne">,
  value: string,
): boolean {
  const left = stored.toLowerCase();
  const right = value.toLowerCase();
  switch (operator) {
    case "eq":
      return left === right;
    case "co":
      return left.includes(right);
    case "sw":
      return left.startsWith(right);
    case "ew":
      return left.endsWith(right);
    case "gt":
      return left > right;
    case "ge":
      return left >= right;
    case "lt":
      return left < right;
    case "le":
      return left <= right;
  }
}

/** Backslash is PostgreSQL's default LIKE escape character. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, "\\$&");
}
