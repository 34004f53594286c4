import { invalid } from "@/lib/errors";
import { projectionFrom, queryParam, type Projection } from "./attributes";
import { isUnstorable } from "./body";
import { scimJson } from "./response";
import { LIST_RESPONSE_SCHEMA } from "./schemas";

/** The most resources one list page returns (advertised as filter.maxResults). */
export const MAX_RESULTS = 1000;
export const DEFAULT_COUNT = 100;

export interface ListParams {
  /** The raw filter text, not parsed yet. */
  filter?: string;
  startIndex: number;
  count: number;
  sortBy?: string;
  sortOrder: "ascending" | "descending";
  projection: Projection;
}

interface RawListParams {
  filter?: unknown;
  startIndex?: unknown;
  count?: unknown;
  sortBy?: unknown;
  sortOrder?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\s*[+-]?\d{1,15}\s*$/.test(value)
        ? Number(value)
        : NaN;
  // A JSON number may be an "integer" like 1e300, far past what PostgreSQL
  // takes as an offset or limit.
  if (!Number.isSafeInteger(number)) {
    throw invalid(`${name} must be an integer`);
  }
  return number;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(`${name} must be a string`);
  return value;
}

function attributeList(value: unknown, name: string): string | undefined {
  if (Array.isArray(value)) {
    if (!value.every((item) => typeof item === "string")) {
      throw invalid(`${name} must be a list of attribute names`);
    }
    return value.join(",");
  }
  return text(value, name);
}

function listParams(raw: RawListParams): ListParams {
  const filter = text(raw.filter, "filter");
  // A filter value becomes a SQL parameter, which cannot hold U+0000.
  if (filter !== undefined && isUnstorable(filter)) {
    throw invalid(
      "A filter must be valid Unicode text without the NUL character (U+0000)",
      "invalidFilter",
    );
  }

  // RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0.
  const startIndex = Math.max(1, integer(raw.startIndex, "startIndex") ?? 1);
  const count = Math.min(
    MAX_RESULTS,
    Math.max(0, integer(raw.count, "count") ?? DEFAULT_COUNT),
  );

  const sortOrderText = text(raw.sortOrder, "sortOrder")?.toLowerCase();
  if (
    sortOrderText !== undefined &&
    sortOrderText !== "ascending" &&
    sortOrderText !== "descending"
  ) {
    throw invalid('sortOrder must be "ascending" or "descending"');
  }

  return {
    filter: filter?.trim() ? filter : undefined,
    startIndex,
    count,
    sortBy: text(raw.sortBy, "sortBy")?.trim() || undefined,
    sortOrder: sortOrderText ?? "ascending",
    projection: projectionFrom(
      attributeList(raw.attributes, "attributes"),
      attributeList(raw.excludedAttributes, "excludedAttributes"),
    ),
  };
}

export function listParamsFromQuery(query: URLSearchParams): ListParams {
  return listParams({
    filter: queryParam(query, "filter"),
    startIndex: queryParam(query, "startIndex"),
    count: queryParam(query, "count"),
    sortBy: queryParam(query, "sortBy"),
    sortOrder: queryParam(query, "sortOrder"),
    attributes: queryParam(query, "attributes"),
    excludedAttributes: queryParam(query, "excludedAttributes"),
  });
}

/** The body of `POST .../.search` (RFC 7644 §3.4.3). */
export function listParamsFromSearch(body: unknown): ListParams {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalid("The search request must be a JSON object", "invalidSyntax");
  }
  return listParams(body as RawListParams);
}

export function pageOf(params: ListParams): { limit: number; offset: number } {
  return { limit: params.count, offset: params.startIndex - 1 };
}

export function listResponse(
  total: number,
  params: ListParams,
  resources: object[],
): Response {
  return scimJson(200, {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    startIndex: params.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  });
}
