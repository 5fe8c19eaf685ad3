import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './dashboardDist.ts';

/**
 * Where screenshots go. By default a git-ignored folder, so a test run leaves the checkout clean (PNG bytes differ
 * on every run). `HIPCUE_SCREENSHOTS=docs` writes the committed copies in docs/screenshots/ instead.
 */
export const SCREENSHOT_DIR =
  process.env.HIPCUE_SCREENSHOTS === 'docs' ? join(REPO_ROOT, 'docs/screenshots') : join(REPO_ROOT, 'test/e2e/.out');

/** Saves a screenshot (whole page unless `fullPage` is false) as <SCREENSHOT_DIR>/<name>.png, overwritten each run. */
export async function snap(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}
