export type {
  AttributePath,
  CompareOperator,
  FilterNode,
  FilterValue,
} from "./ast";
export { formatPath } from "./ast";
export { maxFilterBytes, parseFilter } from "./parse";
export { groupFilterSql, userFilterSql } from "./sql";
