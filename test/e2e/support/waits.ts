import type { Page } from 'playwright-core';

/** Integer text content of a test id, or -1 when absent. */
export async function numberAt(page: Page, testId: string): Promise<number> {
  const el = await page.$(`[data-testid="${testId}"]`);
  const text = el ? await el.textContent() : null;
  return text === null ? -1 : Number(text.trim());
}

/** Polls `fn` until it returns true (Playwright's own waits cannot express "a number grew"). */
export async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
