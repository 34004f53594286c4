/**
 * Load generation with autocannon, in this process (so on the same machine
 * as the servers). Latencies are taken from autocannon's per-response
 * timings (high-resolution, in ms) rather than its histogram, which rounds
 * to whole milliseconds.
 */
import { createRequire } from "node:module";

export interface RequestSpec {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (
    request: RequestSpec,
    context: Record<string, unknown>,
  ) => RequestSpec;
  onResponse?: (
    status: number,
    body: string,
    context: Record<string, unknown>,
  ) => void;
}

interface AutocannonResult {
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(
    event: "response",
    listener: (
      client: unknown,
      statusCode: number,
      bytes: number,
      responseTime: number,
    ) => void,
  ): void;
}

type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Responses by status, plus "socket" errors and "timeout"s. */
  statuses: Record<string, number>;
  /** Latencies in ms, kept to merge rounds; dropped from the JSON output. */
  latencies: number[];
  /** CPU time of this process (the load generator) while it ran, in ms. */
  generatorCpuMs: number;
}

export function percentile(sorted: readonly number[], fraction: number) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil(fraction * sorted.length) - 1),
  );
  return sorted[index];
}

export function summarize(
  latencies: number[],
  seconds: number,
  statuses: Record<string, number>,
  generatorCpuMs = 0,
): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  const list = Array.from(sorted);
  return {
    requests: list.length,
    seconds,
    rps: seconds > 0 ? list.length / seconds : 0,
    p50: percentile(list, 0.5),
    p90: percentile(list, 0.9),
    p99: percentile(list, 0.99),
    max: list.at(-1) ?? NaN,
    statuses,
    latencies: list,
    generatorCpuMs,
  };
}

/** Merges rounds of one workload on one side into one result. */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  const statuses: Record<string, number> = {};
  for (const result of results) {
    for (const [status, count] of Object.entries(result.statuses)) {
      statuses[status] = (statuses[status] ?? 0) + count;
    }
  }
  return summarize(
    results.flatMap((result) => result.latencies),
    results.reduce((sum, result) => sum + result.seconds, 0),
    statuses,
    results.reduce((sum, result) => sum + result.generatorCpuMs, 0),
  );
}

export async function runLoad(input: {
  url: string;
  connections: number;
  /** Seconds to run; or a fixed number of requests with `amount`. */
  duration?: number;
  amount?: number;
  headers: Record<string, string>;
  requests: RequestSpec[];
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let last = 0;
  const instance = autocannon({
    url: input.url,
    connections: input.connections,
    ...(input.amount ? { amount: input.amount } : { duration: input.duration }),
    headers: input.headers,
    requests: input.requests,
    timeout: 30,
    excludeErrorStats: false,
  });
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  instance.on("response", (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
    last = performance.now();
  });
  const result = await instance;

  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
    statuses[status] = count;
  }
  if (result.errors > result.timeouts) {
    statuses.socket = result.errors - result.timeouts;
  }
  if (result.timeouts) statuses.timeout = result.timeouts;
  // With `amount`, autocannon waits for its next 1 s tick before it
  // returns; time runs from the start to the last response instead.
  const seconds = ((last || performance.now()) - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  return summarize(
    latencies,
    seconds,
    statuses,
    (cpu.user + cpu.system) / 1000,
  );
}
