/**
 * The processes under test: the app (`server.ts`, as `npm start` runs it) and
 * the floor (`bench/floor.ts`), each a node process whose memory is sampled
 * from /proc.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";

export interface ServerProcess {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /**
   * Resets the peak-memory mark, then samples until `stop()`: peak resident
   * memory in MB and CPU time used in ms.
   */
  sample(): { stop(): { rssMb: number; cpuMs: number } };
  stderrTail(): string;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, "..");

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU time of a process, in ms (/proc/<pid>/stat fields 14 and 15). */
function cpuTime(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after the command name start at field 3; clock ticks are 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so each workload gets its own peak. */
function resetPeak(pid: number) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Without permission the peak is the sampled maximum only.
  }
}

export async function startServer(input: {
  name: string;
  script: string;
  port: number;
  env: Record<string, string>;
  nodeFlags?: string[];
  readyPath: string;
}): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [...(input.nodeFlags ?? []), "--import", "tsx", input.script],
    {
      cwd: root,
      env: { ...process.env, ...input.env, PORT: String(input.port) },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });

  const url = `http://127.0.0.1:${input.port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `${input.name} exited with ${child.exitCode} before it was ready:\n${stderr}`,
      );
    }
    try {
      const response = await fetch(url + input.readyPath);
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${input.name} was not ready after 120 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const pid = child.pid!;
  return {
    name: input.name,
    port: input.port,
    url,
    child,
    sample() {
      resetPeak(pid);
      const cpuAtStart = cpuTime(pid);
      let peak = statusField(pid, "VmRSS");
      const timer = setInterval(() => {
        peak = Math.max(peak, statusField(pid, "VmRSS"));
      }, 100);
      return {
        stop() {
          clearInterval(timer);
          return {
            rssMb: Math.max(peak, statusField(pid, "VmHWM")),
            cpuMs: cpuTime(pid) - cpuAtStart,
          };
        },
      };
    },
    stderrTail: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      // SIGTERM lets the app close and node write its --cpu-prof profile.
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; its stdout, or an error with its stderr. */
export async function runCommand(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<string> {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk) => (stdout += chunk));
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited with ${code}:\n${stderr}`,
    );
  }
  return stdout;
}

export { root as projectRoot };
