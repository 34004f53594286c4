import type { GroupFields } from "@/lib/groups";
import { invalid, isDomainError } from "@/lib/errors";
import { parseFilter, type FilterNode } from "./filter";
import {
  MAX_EXTERNAL_ID_LENGTH,
  MAX_MEMBERS_PER_OPERATION,
  MAX_NAME_LENGTH,
} from "./limits";
import type { PatchOperation } from "./patch";
import { GROUP_SCHEMA } from "./schemas";

/**
 * What Group requests ask for (SPEC 3.5): the body of a POST or PUT, and the
 * operations of a PATCH as the changes lib/groups.ts makes.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const groupPrefix = `${GROUP_SCHEMA.toLowerCase()}:`;

/** Attribute names are case-insensitive and may carry the schema URN (RFC 7644 §3.10). */
function attributeKey(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.startsWith(groupPrefix)
    ? lower.slice(groupPrefix.length)
    : lower;
}

function keyed(object: Json): Map<string, unknown> {
  return new Map(
    Object.entries(object).map(([key, value]) => [attributeKey(key), value]),
  );
}

function displayNameOf(value: unknown): string {
  if (value === undefined || value === null) {
    throw invalid("displayName is required");
  }
  if (typeof value !== "string") throw invalid("displayName must be a string");
  const trimmed = value.trim();
  if (!trimmed) throw invalid("displayName must not be blank");
  if (trimmed.length > MAX_NAME_LENGTH) {
    throw invalid(`displayName is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return trimmed;
}

function externalIdOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalid("externalId must be a string");
  const trimmed = value.trim();
  if (trimmed.length > MAX_EXTERNAL_ID_LENGTH) {
    throw invalid(
      `externalId is longer than ${MAX_EXTERNAL_ID_LENGTH} characters`,
    );
  }
  return trimmed || null;
}

/**
 * The member ids of a `members` value: a list of objects with a `value`
 * (`display`, `$ref` and `type` are ignored; Entra sends `"$ref": null`).
 */
function memberIdsOf(value: unknown, notListType: string): string[] {
  if (!Array.isArray(value)) {
    throw invalid(
      'members must be a list of objects such as [{"value": "<User id>"}]',
      notListType,
    );
  }
  if (value.length > MAX_MEMBERS_PER_OPERATION) {
    throw invalid(
      `At most ${MAX_MEMBERS_PER_OPERATION} members can be given at once; ${value.length} were`,
    );
  }
  return value.map((item, index) => {
    const id = isObject(item) ? keyed(item).get("value") : undefined;
    if (typeof id !== "string") {
      throw invalid(
        `members[${index}] must be an object with a string value (the User id)`,
      );
    }
    return id.trim();
  });
}

export interface GroupRequest extends GroupFields {
  /** undefined: leave the members alone. */
  memberIds?: string[];
}

/** The body of a POST or PUT; read-only and unknown attributes are ignored. */
export function parseGroupRequest(body: unknown): GroupRequest {
  if (!isObject(body)) {
    throw invalid(
      "The request body must be a Group JSON object",
      "invalidSyntax",
    );
  }
  const fields = keyed(body);
  const members = fields.get("members");
  return {
    displayName: displayNameOf(fields.get("displayname")),
    externalId: externalIdOf(fields.get("externalid")),
    memberIds:
      members === undefined
        ? undefined
        : members === null
          ? []
          : memberIdsOf(members, "invalidValue"),
  };
}

/** One step of a PATCH, in the order the operations were given. */
export type GroupChange =
  | { kind: "fields"; fields: Partial<GroupFields> }
  | { kind: "addMembers"; ids: string[] }
  | { kind: "removeMembers"; ids: string[] }
  | { kind: "removeAllMembers" }
  | { kind: "replaceMembers"; ids: string[] };

const readOnly = new Set(["id", "schemas", "meta"]);

/** `members[value eq "<id>"]`, or several joined by `or`: the ids it names. */
function memberFilterIds(path: string): string[] {
  let node: FilterNode;
  try {
    node = parseFilter(path);
  } catch (error) {
    if (isDomainError(error))
      throw invalid(`Invalid path: ${error.message}`, "invalidPath");
    throw error;
  }
  const unsupported = () =>
    invalid(
      `Unsupported path ${path.slice(0, 200)}: use members[value eq "<User id>"]`,
      "invalidPath",
    );
  if (
    node.kind !== "valuePath" ||
    node.path.attribute.toLowerCase() !== "members" ||
    node.path.subAttribute ||
    (node.path.schema && `${node.path.schema.toLowerCase()}:` !== groupPrefix)
  ) {
    throw unsupported();
  }

  const ids: string[] = [];
  const collect = (inner: FilterNode) => {
    if (inner.kind === "or") {
      collect(inner.left);
      collect(inner.right);
    } else if (
      inner.kind === "compare" &&
      inner.operator === "eq" &&
      inner.path.attribute.toLowerCase() === "value" &&
      !inner.path.subAttribute &&
      !inner.path.schema &&
      typeof inner.value === "string"
    ) {
      ids.push(inner.value);
    } else {
      throw unsupported();
    }
  };
  collect(node.filter);
  return ids;
}

/** Turns the operations of a PatchOp into group changes (SPEC 3.5). */
export function groupChanges(operations: PatchOperation[]): GroupChange[] {
  return operations.flatMap((operation, index) => {
    const where = `Operation ${index + 1}`;
    try {
      return operation.path
        ? [changeAtPath(operation)]
        : changesWithoutPath(operation);
    } catch (error) {
      if (isDomainError(error) && error.kind === "invalid") {
        throw invalid(`${where}: ${error.message}`, error.scimType);
      }
      throw error;
    }
  });
}

function changeAtPath(operation: PatchOperation): GroupChange {
  const path = operation.path!;
  const key = attributeKey(path);
  const { op, value } = operation;

  if (key === "displayname") {
    if (op === "remove") {
      throw invalid(
        "displayName is required and cannot be removed",
        "mutability",
      );
    }
    return { kind: "fields", fields: { displayName: displayNameOf(value) } };
  }
  if (key === "externalid") {
    return {
      kind: "fields",
      fields: { externalId: op === "remove" ? null : externalIdOf(value) },
    };
  }
  if (key === "members") {
    if (op === "add")
      return { kind: "addMembers", ids: memberIdsOf(value, "invalidPath") };
    if (op === "replace") {
      return {
        kind: "replaceMembers",
        ids: value === null ? [] : memberIdsOf(value, "invalidPath"),
      };
    }
    // SPEC 3.5: with a value list, only those go; without one, all do.
    return value === undefined || value === null
      ? { kind: "removeAllMembers" }
      : { kind: "removeMembers", ids: memberIdsOf(value, "invalidPath") };
  }
  if (key.startsWith("members[")) {
    const ids = memberFilterIds(path);
    if (op === "add") return { kind: "addMembers", ids };
    if (op === "remove") return { kind: "removeMembers", ids };
    throw invalid(
      `replace cannot target ${path.slice(0, 200)}: add or remove the member instead`,
      "invalidPath",
    );
  }
  throw invalid(
    `Unknown path ${path.slice(0, 200)}: Groups can be patched at displayName, externalId, members and members[value eq "<User id>"]`,
    "invalidPath",
  );
}

/** `add` or `replace` with a value object and no path (Okta's rename). */
function changesWithoutPath(operation: PatchOperation): GroupChange[] {
  if (!isObject(operation.value)) {
    throw invalid(`${operation.op} without a path needs an object value`);
  }
  const fields: Partial<GroupFields> = {};
  let members: string[] | undefined;
  for (const [key, value] of keyed(operation.value)) {
    if (key === "displayname") fields.displayName = displayNameOf(value);
    else if (key === "externalid") fields.externalId = externalIdOf(value);
    else if (key === "members") {
      members = value === null ? [] : memberIdsOf(value, "invalidPath");
    } else if (!readOnly.has(key)) {
      throw invalid(
        `Unknown attribute ${key.slice(0, 200)}: Groups can be patched at displayName, externalId and members`,
        "invalidPath",
      );
    }
  }
  const changes: GroupChange[] = [{ kind: "fields", fields }];
  if (members !== undefined) {
    changes.push(
      operation.op === "add"
        ? { kind: "addMembers", ids: members }
        : { kind: "replaceMembers", ids: members },
    );
  }
  return changes;
}

/**
 * RFC 7644 §3.5.2.1 asks `add` for a value, but `add` at
 * `members[value eq "<id>"]` names its member in the path; such operations
 * are given an empty value before the PatchOp is checked.
 */
export function withValueFilterAdds(body: unknown): unknown {
  if (!isObject(body)) return body;
  const key = Object.keys(body).find(
    (name) => name.toLowerCase() === "operations",
  );
  const list = key ? body[key] : undefined;
  if (!key || !Array.isArray(list)) return body;
  return {
    ...body,
    [key]: list.map((operation) => {
      if (!isObject(operation)) return operation;
      const fields = keyed(operation);
      const op = fields.get("op");
      const path = fields.get("path");
      if (
        typeof op === "string" &&
        op.toLowerCase() === "add" &&
        typeof path === "string" &&
        attributeKey(path).startsWith("members[") &&
        fields.get("value") === undefined
      ) {
        return { ...operation, value: null };
      }
      return operation;
    }),
  };
}
