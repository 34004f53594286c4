import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default(".data"),
  AUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (openssl rand -base64 32)")
    .optional(),
  APP_URL: z
    .url("must be an absolute URL such as https://console.example.com")
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z
    .string()
    .min(3)
    .default("Organization Console <console@localhost>"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  OUTBOX_WORKER: z.enum(["on", "off"]).default("on"),
  TRUSTED_PROXIES: z.coerce
    .number("must be a number of reverse proxies, such as 1")
    .int("must be a whole number of reverse proxies")
    .min(0, "must be 0 or more")
    .max(10, "must be at most 10")
    .default(0),
});

export type Settings = z.infer<typeof schema> & {
  AUTH_SECRET: string;
  APP_URL: string;
};

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const cacheKey = Symbol.for("scim-console.settings");
const cache = globalThis as { [cacheKey]?: Settings };

/**
 * Reads and checks the environment once per process. Every problem becomes
 * one line of the error, naming the variable.
 */
export function settings(): Settings {
  cache[cacheKey] ??= parseSettings(process.env);
  return cache[cacheKey];
}

export function parseSettings(
  env: Record<string, string | undefined>,
): Settings {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== ""),
  );
  const parsed = schema.safeParse(blankless);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join(".")}: ${issue.message}`,
      ),
    );
  }

  const values = parsed.data;
  const problems: string[] = [];
  let authSecret = values.AUTH_SECRET;
  if (!authSecret) {
    if (values.NODE_ENV === "production") {
      problems.push(
        "AUTH_SECRET: required in production (openssl rand -base64 32)",
      );
    } else {
      authSecret = developmentSecret(values.DATA_DIR);
    }
  }
  if (problems.length > 0) throw new SettingsError(problems);

  return {
    ...values,
    AUTH_SECRET: authSecret!,
    APP_URL: (values.APP_URL ?? `http://localhost:${values.PORT}`).replace(
      /\/+$/,
      "",
    ),
  };
}

/**
 * The embedded setup needs no configuration: a secret is generated once and
 * kept beside the embedded database.
 */
function developmentSecret(dataDir: string): string {
  const file = path.resolve(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();

  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  console.warn(
    JSON.stringify({
      level: "warn",
      msg: `AUTH_SECRET is not set; generated a development secret in ${file}`,
    }),
  );
  return secret;
}

/** Forgets the cached settings, for tests that change the environment. */
export function resetSettings() {
  cache[cacheKey] = undefined;
}
