type Level = "debug" | "info" | "warn" | "error";

const rank: Record<Level, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};

function threshold(): number {
  const level = process.env.LOG_LEVEL as Level | undefined;
  return rank[level ?? "info"] ?? rank.info;
}

function write(level: Level, msg: string, fields: Record<string, unknown>) {
  if (rank[level] < threshold()) return;
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    msg,
    ...fields,
  });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

/** Structured logs: one JSON object per line. Never pass secrets here. */
export const log = {
  debug: (msg: string, fields: Record<string, unknown> = {}) =>
    write("debug", msg, fields),
  info: (msg: string, fields: Record<string, unknown> = {}) =>
    write("info", msg, fields),
  warn: (msg: string, fields: Record<string, unknown> = {}) =>
    write("warn", msg, fields),
  error: (msg: string, fields: Record<string, unknown> = {}) =>
    write("error", msg, fields),
};

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error: error.message, errorName: error.name };
  }
  return { error: String(error) };
}
