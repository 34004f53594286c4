import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";

const folder = path.resolve(import.meta.dirname, "../screenshots");

/** Saves the page at desktop and at phone width, for people to look at. */
export async function captureScreens(page: Page, name: string) {
  mkdirSync(folder, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 720 };

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({
    path: path.join(folder, `${name}-desktop.png`),
    fullPage: true,
  });
  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({
    path: path.join(folder, `${name}-phone.png`),
    fullPage: true,
  });
  await page.setViewportSize(original);
}
