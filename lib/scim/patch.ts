import { invalid } from "@/lib/errors";
import { MAX_PATCH_OPERATIONS } from "./limits";
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  USER_SCHEMA,
} from "./schemas";

export interface PatchOperation {
  op: "add" | "replace" | "remove";
  path?: string;
  value?: unknown;
}

const operations = new Set(["add", "replace", "remove"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The resource schemas a client may name in place of the PatchOp URN. */
const resourceSchemas = new Set(
  [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA].map((urn) =>
    urn.toLowerCase(),
  ),
);

/**
 * RFC 7644 §3.5.2 asks for the PatchOp URN in `schemas`. Bitwarden's clients
 * send `null`, `[]` or the resource's own schema instead; those are taken as
 * PatchOp too. A list naming anything else is refused.
 */
function acceptableSchemas(schemas: unknown): boolean {
  if (schemas === undefined || schemas === null) return true;
  if (!Array.isArray(schemas)) return false;
  if (schemas.includes(PATCH_OP_SCHEMA)) return true;
  return schemas.every(
    (urn) => typeof urn === "string" && resourceSchemas.has(urn.toLowerCase()),
  );
}

/**
 * A PatchOp request (RFC 7644 §3.5.2). Operation names are accepted in any
 * letter case (Entra sends "Replace"); `Operations` may be spelt in any case
 * as well. A missing, empty or resource-naming `schemas` is tolerated; one
 * naming another URN is not.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isObject(body)) {
    throw invalid(
      "A PATCH body must be a PatchOp JSON object",
      "invalidSyntax",
    );
  }
  const keys = new Map(
    Object.keys(body).map((key) => [key.toLowerCase(), key]),
  );
  if (!acceptableSchemas(body[keys.get("schemas") ?? "schemas"])) {
    throw invalid(`schemas must contain ${PATCH_OP_SCHEMA}`, "invalidSyntax");
  }

  const list = body[keys.get("operations") ?? "Operations"];
  if (!Array.isArray(list) || list.length === 0) {
    throw invalid("Operations must be a non-empty list", "invalidSyntax");
  }
  if (list.length > MAX_PATCH_OPERATIONS) {
    throw invalid(
      `A PATCH may hold at most ${MAX_PATCH_OPERATIONS} operations`,
      "invalidValue",
    );
  }

  return list.map((raw, index) => {
    if (!isObject(raw)) {
      throw invalid(`Operation ${index + 1} is not an object`, "invalidSyntax");
    }
    const fields = new Map(
      Object.entries(raw).map(([key, value]) => [key.toLowerCase(), value]),
    );
    const op = fields.get("op");
    if (typeof op !== "string" || !operations.has(op.toLowerCase())) {
      throw invalid(
        `Operation ${index + 1}: op must be add, replace or remove`,
        "invalidSyntax",
      );
    }
    const path = fields.get("path");
    if (path !== undefined && path !== null && typeof path !== "string") {
      throw invalid(
        `Operation ${index + 1}: path must be a string`,
        "invalidPath",
      );
    }
    const operation: PatchOperation = {
      op: op.toLowerCase() as PatchOperation["op"],
      value: fields.get("value"),
    };
    if (typeof path === "string" && path.trim()) operation.path = path.trim();
    if (operation.op === "remove" && !operation.path) {
      // RFC 7644 §3.5.2.2: remove without a path is an error.
      throw invalid(`Operation ${index + 1}: remove needs a path`, "noTarget");
    }
    if (operation.op !== "remove" && operation.value === undefined) {
      throw invalid(
        `Operation ${index + 1}: ${operation.op} needs a value`,
        "invalidValue",
      );
    }
    return operation;
  });
}

/** A boolean as SCIM clients send it: true/false, or Entra's "True"/"False". */
export function scimBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  throw invalid(`${attribute} must be true or false`, "invalidValue");
}
