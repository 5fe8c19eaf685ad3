import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PHONE } from './support/browser.ts';
import { startTestGateway } from './support/gateway.ts';
import { snap } from './support/screenshots.ts';

/**
 * A pelvis-only clamshell is not judged for range during the set (a well-done one barely moves the pelvis); the
 * gateway judges each rep against the whole set as the set ends. The patient's after-set screen must say what that
 * review found, as the gateway found it — and nothing of it is spoken as a cue.
 */
describe('after the set, the patient sees the review of the whole set', () => {
  let gw: Awaited<ReturnType<typeof startTestGateway>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    gw = await startTestGateway({ speed: 8, seed: 3, exercise: 'clamshell', side: 'right' });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 })).newPage();
    await page.goto(gw.gateway.links.patient);
    await page.waitForSelector('[data-testid="conn"][data-status="open"]');
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it("lists the set's short reps the review found, with what to change next set", async () => {
    await page.waitForSelector('[data-testid="pain-3"]', { timeout: 120_000 });
    const core = gw.gateway.session.core;
    const set = core.state.sets.find((s) => s.endS !== null)!;
    const reps = core.state.reps.filter((r) => r.setId === set.setId);
    const short = reps.filter((r) => r.faults.some((f) => f.code === 'partial_range' && f.source === 'review'));
    expect(short.length).toBeGreaterThan(0);
    const line = await page.waitForSelector('[data-testid="after-review"] li[data-code="partial_range"]');
    expect(await line.getAttribute('data-kind')).toBe('found');
    const n = short.length;
    expect(await line.textContent()).toBe(
      `${n === 1 ? '1 rep' : `${n} reps`} opened less than your best reps — next set, open the knee a little further.`,
    );
    // the set's summary counts the review's findings
    expect(await page.textContent('[data-testid="after-summary"]')).toContain(`${set.faults} correction`);
    expect(set.faults).toBe(reps.reduce((k, r) => k + r.faults.length, 0));
    // a pelvis-only clamshell gets no partial-range cue during the set
    const cues = core.state.recent.filter((e) => e.type === 'cue' && e.code === 'partial_range');
    expect(cues).toEqual([]);
    await snap(page, 'patient-after-set-review-phone');
  });
});
