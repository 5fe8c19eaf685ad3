import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './dashboardDist.ts';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs/screenshots');

/** Saves a full-page screenshot as docs/screenshots/<name>.png (overwritten on every run). */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
