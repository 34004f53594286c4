import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/support/browser.ts";
import { appPort } from "./e2e/support/ports.ts";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/support/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [
    ["list"],
    ["json", { outputFile: "test-results/playwright.json" }],
  ],
  use: {
    baseURL: `http://localhost:${appPort}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions(),
  },
  outputDir: "test-results/e2e",
});
