import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './dashboardDist.ts';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs/screenshots');

/** Saves a screenshot (whole page unless `fullPage` is false) as docs/screenshots/<name>.png, overwritten each run. */
export async function snap(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}
