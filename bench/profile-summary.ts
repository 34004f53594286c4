/**
 * Reads the V8 CPU profiles that `--profile` writes (`node --cpu-prof`) and
 * tells where the time went: self time by area (our code, each package,
 * node internals, garbage collection) and the heaviest functions. Also
 * runnable alone: `npx tsx bench/profile-summary.ts <folder>`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function areaOf(url: string, functionName: string): string {
  if (functionName === "(garbage collector)") return "(garbage collector)";
  if (functionName === "(idle)" || functionName === "(program)") {
    return functionName;
  }
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith("node:") || url === "") return "(node internals)";
  const project = /\/work\/[^/]+\/[^/]+\/(.+)$/.exec(
    url.replace("file://", ""),
  );
  return project ? project[1].split("/").slice(0, 2).join("/") : url;
}

function summarizeProfile(file: string, top = 30): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfTime.set(
      id,
      (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0),
    );
  });

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of selfTime) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") {
      idle += micros;
      continue;
    }
    total += micros;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    const name = `${functionName || "(anonymous)"} ${area}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }

  const lines = [
    `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle`,
    "  self time by area:",
  ];
  const share = (micros: number) =>
    `${((100 * micros) / total).toFixed(1).padStart(5)}%`;
  for (const [area, micros] of [...areas]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)) {
    lines.push(`    ${share(micros)}  ${area}`);
  }
  lines.push("  heaviest functions (self time):");
  for (const [name, micros] of [...functions]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    lines.push(`    ${share(micros)}  ${name}`);
  }

  // Inclusive time of our own functions (stacks end at each await, so this
  // is the synchronous work each one does and calls).
  const inclusive = new Map<string, number>();
  const visit = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    let micros = selfTime.get(id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const own = url.includes("/work/") && !url.includes("node_modules");
    const name = `${functionName || "(anonymous)"} ${areaOf(url, functionName)}:${lineNumber + 1}`;
    const counted = own && !onStack.has(name);
    if (counted) onStack.add(name);
    for (const child of node.children ?? []) micros += visit(child, onStack);
    if (counted) {
      onStack.delete(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
    }
    return micros;
  };
  visit(profile.nodes[0].id, new Set());
  lines.push("  our functions, inclusive time:");
  for (const [name, micros] of [...inclusive]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)) {
    lines.push(`    ${share(micros)}  ${name}`);
  }
  return lines.join("\n");
}

/** Every `.cpuprofile` under the folder, summarized. */
export function summarizeProfiles(folder: string): string {
  const files: string[] = [];
  const visit = (entry: string) => {
    if (statSync(entry).isDirectory()) {
      for (const name of readdirSync(entry)) visit(path.join(entry, name));
    } else if (entry.endsWith(".cpuprofile")) {
      files.push(entry);
    }
  };
  visit(folder);
  // Each process also writes a profile of tsx's module-loader thread; only
  // the busiest profile of each folder (the main thread) is of interest.
  const busiest = new Map<string, { file: string; size: number }>();
  for (const file of files) {
    const size = statSync(file).size;
    const folderOf = path.dirname(file);
    if ((busiest.get(folderOf)?.size ?? -1) < size) {
      busiest.set(folderOf, { file, size });
    }
  }
  return [...busiest.values()]
    .map(({ file }) => file)
    .map(
      (file) =>
        `${path.relative(folder, path.dirname(file)) || "."}/${summarizeProfile(file)}`,
    )
    .join("\n\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${summarizeProfiles(process.argv[2] ?? ".")}\n`);
}
