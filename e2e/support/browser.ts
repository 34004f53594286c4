import { existsSync } from "node:fs";
import type { LaunchOptions } from "@playwright/test";

const debianChromium = "/usr/bin/chromium";

/**
 * Debian's Chromium where it is installed (CHROMIUM_PATH overrides), else
 * Playwright's own browser. Only local addresses are reachable here, so
 * every background connection is switched off.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath =
    process.env.CHROMIUM_PATH ||
    (existsSync(debianChromium) ? debianChromium : undefined);
  if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH)) {
    throw new Error(
      `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`,
    );
  }
  return {
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  };
}
