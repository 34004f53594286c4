import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "./schemas";

/** `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), applied to built resources. */
export interface Projection {
  /** Whether a top-level attribute ("groups", "members", "meta") is returned. */
  wants(attribute: string): boolean;
  /** Applies the projection to a full resource; `schemas` and `id` always stay. */
  apply<T extends object>(resource: T): Partial<T>;
}

/** Attribute references by top-level name (lower case) → sub-attributes, or all. */
type Selection = Map<string, Set<string> | "all">;

const enterprisePrefix = ENTERPRISE_USER_SCHEMA.toLowerCase();
const corePrefixes = [USER_SCHEMA, GROUP_SCHEMA].map(
  (urn) => urn.toLowerCase() + ":",
);
const alwaysReturned = new Set(["schemas", "id"]);

/**
 * Splits an attribute reference into its top-level name and sub-attribute,
 * in lower case (attribute names are case-insensitive, RFC 7643 §2.1). A
 * core schema URN prefix is dropped; the enterprise extension is one
 * top-level attribute named by its URN.
 */
export function attributeReference(text: string): {
  top: string;
  sub?: string;
} {
  let reference = text.trim().toLowerCase();
  if (reference.startsWith(enterprisePrefix)) {
    const rest = reference.slice(enterprisePrefix.length + 1);
    return rest
      ? { top: enterprisePrefix, sub: rest.split(".")[0] }
      : { top: enterprisePrefix };
  }
  const core = corePrefixes.find((prefix) => reference.startsWith(prefix));
  if (core) reference = reference.slice(core.length);
  const dot = reference.indexOf(".");
  return dot === -1
    ? { top: reference }
    : { top: reference.slice(0, dot), sub: reference.slice(dot + 1) };
}

function selection(list: string | undefined): Selection | undefined {
  if (!list) return undefined;
  const selected: Selection = new Map();
  for (const item of list.split(",")) {
    if (!item.trim()) continue;
    const { top, sub } = attributeReference(item);
    const current = selected.get(top);
    if (!sub) selected.set(top, "all");
    else if (current === undefined) selected.set(top, new Set([sub]));
    else if (current !== "all") current.add(sub);
  }
  return selected.size > 0 ? selected : undefined;
}

function pick(value: unknown, subs: Set<string>, keep: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, subs, keep));
  if (value === null || typeof value !== "object")
    return keep ? undefined : value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (subs.has(key.toLowerCase()) === keep) out[key] = inner;
  }
  return out;
}

const everything: Projection = {
  wants: () => true,
  apply: (resource) => resource,
};

export function projectionFrom(
  attributes?: string | null,
  excludedAttributes?: string | null,
): Projection {
  const included = selection(attributes ?? undefined);
  // RFC 7644 §3.4.2.5: with both given, `attributes` wins.
  const excluded = included
    ? undefined
    : selection(excludedAttributes ?? undefined);
  if (included) {
    return {
      wants: (attribute) => included.has(attribute.toLowerCase()),
      apply(resource) {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(resource)) {
          const lower = key.toLowerCase();
          const wanted = included.get(lower);
          if (alwaysReturned.has(lower) || wanted === "all") out[key] = value;
          else if (wanted) out[key] = pick(value, wanted, true);
        }
        return out as Partial<typeof resource>;
      },
    };
  }
  if (excluded) {
    return {
      wants: (attribute) => excluded.get(attribute.toLowerCase()) !== "all",
      apply(resource) {
        const out: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(resource)) {
          const lower = key.toLowerCase();
          const unwanted = excluded.get(lower);
          if (alwaysReturned.has(lower) || unwanted === undefined)
            out[key] = value;
          else if (unwanted !== "all") out[key] = pick(value, unwanted, false);
        }
        return out as Partial<typeof resource>;
      },
    };
  }
  return everything;
}

/** The projection asked for in a request's query string. */
export function queryProjection(query: URLSearchParams): Projection {
  return projectionFrom(
    queryParam(query, "attributes"),
    queryParam(query, "excludedAttributes"),
  );
}

/** Query parameter names are matched case-insensitively, for lenient clients. */
export function queryParam(
  query: URLSearchParams,
  name: string,
): string | undefined {
  const exact = query.get(name);
  if (exact !== null) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of query) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}
