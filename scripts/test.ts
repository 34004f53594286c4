/**
 * `npm test`: format check, lint, type check, unit and integration tests,
 * then the end-to-end suite, and one closing line counting every test.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

interface Step {
  name: string;
  command: string[];
  results?: string;
  env?: Record<string, string>;
}

const steps: Step[] = [
  { name: "format", command: ["npx", "prettier", "--check", "."] },
  { name: "lint", command: ["npx", "eslint", "--max-warnings=0", "."] },
  { name: "types", command: ["npx", "tsc", "--noEmit"] },
  {
    name: "build",
    command: ["npx", "next", "build"],
    env: { NEXT_DIST_DIR: ".next-e2e" },
  },
  {
    name: "unit and integration",
    command: [
      "npx",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      "--outputFile.json=test-results/vitest.json",
    ],
    results: "test-results/vitest.json",
    env: { TEST_NEXT_DIST_DIR: ".next-e2e" },
  },
  {
    name: "end-to-end",
    command: ["npx", "playwright", "test"],
    results: "test-results/playwright.json",
    env: { NEXT_DIST_DIR: ".next-e2e" },
  },
];

function counts(step: Step): {
  passed: number;
  failed: number;
  skipped: number;
} {
  if (!step.results || !existsSync(step.results))
    return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(step.results, "utf8"));
  if ("numPassedTests" in report) {
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + (report.numTodoTests ?? 0),
    };
  }
  const stats = report.stats ?? {};
  return {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
  };
}

mkdirSync("test-results", { recursive: true });
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const failedSteps: string[] = [];

for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name.split(" ")[0])) continue;
  if (step.results) rmSync(step.results, { force: true });
  console.log(`\n=== ${step.name}: ${step.command.join(" ")}`);
  const started = Date.now();
  const run = spawnSync(step.command[0], step.command.slice(1), {
    stdio: "inherit",
    env: { ...process.env, ...step.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const result = counts(step);
  passed += result.passed;
  failed += result.failed;
  skipped += result.skipped;
  if (run.status !== 0) {
    failedSteps.push(step.name);
    // A step that failed without reporting a test failure still fails the run.
    if (result.failed === 0) failed += 1;
  }
  console.log(
    `=== ${step.name}: ${run.status === 0 ? "ok" : "FAILED"} in ${seconds}s`,
  );
  if (step.name === "build" && run.status !== 0) {
    console.log("=== the build failed: the suites that need it are not run");
    break;
  }
}

if (failedSteps.length > 0)
  console.log(`\nFailed steps: ${failedSteps.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);
