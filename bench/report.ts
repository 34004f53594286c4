/** The table on stdout and the JSON under bench/results/. */
import type { LoadResult } from "./load";

export interface SideResult extends Omit<LoadResult, "latencies"> {
  /** Peak resident memory of the server process during the workload, MB. */
  rssMb?: number;
  /** CPU time of the server process per request, ms (user + system). */
  cpuMsPerRequest?: number;
  /** CPU used by the load generator (this process), % of one core. */
  generatorCpuPercent: number;
  rounds?: { rps: number; p50: number; p99: number }[];
}

export interface WorkloadResult {
  id: string;
  name: string;
  size: string;
  app?: SideResult;
  floor?: SideResult;
  /** Why a side was not measured ("not available": the app answers 404). */
  note?: string;
  extra?: Record<string, unknown>;
}

export interface Target {
  name: string;
  limit: string;
  value: string;
  met: boolean | undefined;
}

export function side(
  result: LoadResult,
  server: { rssMb: number; cpuMs: number } | undefined,
  rounds: LoadResult[] = [],
): SideResult {
  const { latencies: _latencies, ...rest } = result;
  void _latencies;
  return {
    ...rest,
    rssMb: server?.rssMb,
    cpuMsPerRequest:
      server && result.requests > 0
        ? server.cpuMs / result.requests
        : undefined,
    generatorCpuPercent:
      result.seconds > 0 ? result.generatorCpuMs / (result.seconds * 10) : 0,
    rounds: rounds.map((round) => ({
      rps: round.rps,
      p50: round.p50,
      p99: round.p99,
    })),
  };
}

const fixed = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);

const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value)
    ? "-"
    : value < 10
      ? value.toFixed(2)
      : value.toFixed(1);

/** Statuses that are not the expected success, e.g. "409×3 socket×1". */
export function errorsOf(result: SideResult | undefined): string {
  if (!result) return "";
  const bad = Object.entries(result.statuses).filter(
    ([status]) => !/^[23]\d\d$/.test(status),
  );
  return bad.length === 0
    ? "none"
    : bad.map(([status, count]) => `${status}×${count}`).join(" ");
}

export function ratio(result: WorkloadResult): number | undefined {
  if (!result.app || !result.floor || result.floor.rps === 0) return undefined;
  return result.app.rps / result.floor.rps;
}

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, column) =>
    Math.max(...cells.map((row) => row[column].length)),
  );
  return cells
    .map((row) =>
      row
        .map((cell, column) =>
          column < 2
            ? cell.padEnd(widths[column])
            : cell.padStart(widths[column]),
        )
        .join("  "),
    )
    .join("\n");
}

export function table(results: readonly WorkloadResult[]): string {
  const header = [
    "workload",
    "size",
    "app req",
    "app req/s",
    "p50 ms",
    "p99 ms",
    "floor req/s",
    "p50 ms",
    "p99 ms",
    "app/floor",
    "CPU ms/req app",
    "floor",
    "app RSS MB",
    "errors app | floor",
  ];
  const rows = results.map((result) => [
    `${result.id} ${result.name}`,
    result.size,
    result.app ? String(result.app.requests) : (result.note ?? "-"),
    fixed(result.app?.rps, 0),
    ms(result.app?.p50),
    ms(result.app?.p99),
    fixed(result.floor?.rps, 0),
    ms(result.floor?.p50),
    ms(result.floor?.p99),
    ratio(result) === undefined ? "-" : ratio(result)!.toFixed(2),
    fixed(result.app?.cpuMsPerRequest, 2),
    fixed(result.floor?.cpuMsPerRequest, 2),
    fixed(result.app?.rssMb, 0),
    result.floor
      ? `${errorsOf(result.app)} | ${errorsOf(result.floor)}`
      : errorsOf(result.app),
  ]);
  return pad([header, ...rows]);
}

export function targetTable(targets: readonly Target[]): string {
  return pad([
    ["target", "limit", "measured", "met"],
    ...targets.map((target) => [
      target.name,
      target.limit,
      target.value,
      target.met === undefined ? "n/a" : target.met ? "yes" : "NO",
    ]),
  ]);
}
