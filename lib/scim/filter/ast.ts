/** The comparison operators of RFC 7644 §3.4.2.2, lower-cased. */
export type CompareOperator =
  "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

export type FilterValue = string | number | boolean | null;

/**
 * An attribute path (RFC 7644 §3.10): an optional schema URN, an attribute
 * name and an optional sub-attribute, as the client wrote them.
 */
export interface AttributePath {
  schema?: string;
  attribute: string;
  subAttribute?: string;
  /** Offset in the filter text, for error messages. */
  position: number;
}

export type FilterNode =
  | {
      kind: "compare";
      path: AttributePath;
      operator: CompareOperator;
      value: FilterValue;
    }
  | { kind: "present"; path: AttributePath }
  | { kind: "and"; left: FilterNode; right: FilterNode }
  | { kind: "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  /**
   * `emails[type eq "work"]`: the inner filter's paths are relative to the
   * attribute, and one value of the attribute must satisfy all of it.
   */
  | { kind: "valuePath"; path: AttributePath; filter: FilterNode };

export function formatPath(path: AttributePath): string {
  const name = path.subAttribute
    ? `${path.attribute}.${path.subAttribute}`
    : path.attribute;
  return path.schema ? `${path.schema}:${name}` : name;
}
