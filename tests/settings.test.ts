import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSettings, SettingsError } from "@/lib/settings";

function problems(env: Record<string, string>): string[] {
  try {
    parseSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseSettings", () => {
  it("needs nothing for the embedded development setup", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "settings-"));
    const settings = parseSettings({ DATA_DIR: dataDir });

    expect(settings.DATABASE_URL).toBeUndefined();
    expect(settings.APP_URL).toBe("http://localhost:3000");
    expect(settings.AUTH_SECRET).toBe(
      readFileSync(path.join(dataDir, "auth-secret"), "utf8"),
    );
    expect(parseSettings({ DATA_DIR: dataDir }).AUTH_SECRET).toBe(
      settings.AUTH_SECRET,
    );
  });

  it("requires AUTH_SECRET in production", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      "AUTH_SECRET: required in production (openssl rand -base64 32)",
    ]);
  });

  it.each([
    ["DATABASE_URL", "mysql://x", "DATABASE_URL: must be a postgres:// URL"],
    ["APP_URL", "console.example.com", "APP_URL: must be an absolute URL"],
    ["PORT", "seventy", "PORT:"],
    ["SMTP_URL", "http://mail", "SMTP_URL: must be an smtp:// or smtps:// URL"],
    ["AUTH_SECRET", "short", "AUTH_SECRET: must be at least 32 characters"],
    ["TRUSTED_PROXIES", "nginx", "TRUSTED_PROXIES: must be a number"],
    ["TRUSTED_PROXIES", "-1", "TRUSTED_PROXIES: must be 0 or more"],
  ])("names %s when it is invalid", (name, value, message) => {
    const found = problems({ [name]: value, DATA_DIR: tmpdir() });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  it("reports every problem, one line each", () => {
    expect(
      problems({ DATABASE_URL: "nope", PORT: "0", LOG_LEVEL: "loud" }),
    ).toHaveLength(3);
  });

  it("drops a trailing slash from APP_URL", () => {
    const settings = parseSettings({
      APP_URL: "https://console.example.com/",
      AUTH_SECRET: "x".repeat(32),
    });
    expect(settings.APP_URL).toBe("https://console.example.com");
  });
});
