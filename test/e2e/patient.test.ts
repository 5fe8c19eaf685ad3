import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launchChromium, PHONE } from './support/browser.ts';
import { startTestGateway } from './support/gateway.ts';
import { snap } from './support/screenshots.ts';
import { numberAt, until } from './support/waits.ts';

/**
 * Issue 6 in Debian's Chromium against the real gateway in sim mode (fast-forwarded ×8): reps count up and a
 * fault cue appears; the network drops and comes back; a discomfort rating of 3 given while offline brings
 * the regression advice at once and reaches the gateway after reconnecting.
 */
describe('patient app (phone) against the real gateway', () => {
  let gw: Awaited<ReturnType<typeof startTestGateway>>;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  const FAULT_CODES = ['lumbar_arch', 'pelvic_drop', 'pelvic_roll', 'hip_sag', 'partial_range', 'rushed_tempo'];

  beforeAll(async () => {
    gw = await startTestGateway({ speed: 8, seed: 7, exercise: 'hip-thrust', side: 'left' });
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    page = await ctx.newPage();
    await page.goto(gw.gateway.links.patient);
    await page.waitForSelector('[data-testid="conn"][data-status="open"]');
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('shows the simulated sensor, then counts reps up during a set and shows a fault cue', async () => {
    expect(await page.textContent('body')).toContain('SIMULATED SENSOR');
    await page.waitForSelector('[data-testid="rep-count"]');
    const first = await numberAt(page, 'rep-count');
    await until('two more reps', async () => (await numberAt(page, 'rep-count')) >= first + 2);
    await page.waitForSelector('[data-testid="cue"] .cue.positive, [data-testid="cue"] .cue.correction');
    // A correction cue carries a fault code, an icon and a text label, not only a colour.
    const cue = await page.waitForSelector('[data-testid="cue"] .cue.correction', { timeout: 60_000 });
    expect(FAULT_CODES).toContain(await cue.getAttribute('data-cue-code'));
    expect(await cue.textContent()).toMatch(/⚠\s*Fix this/);
    expect(await page.getAttribute('[data-testid="cue"]', 'aria-live')).toBe('assertive');
    await snap(page, 'patient-set-phone');
    await page.setViewportSize(LAPTOP);
    await snap(page, 'patient-set-laptop');
    await page.setViewportSize(PHONE);
  });

  it('notices a silent network drop, reconnects when it returns and restores the state from the snapshot', async () => {
    const before = await numberAt(page, 'rep-count');
    await ctx.setOffline(true);
    await page.waitForSelector('[data-testid="conn"][data-status="reconnecting"]', { timeout: 15_000 });
    await snap(page, 'patient-reconnecting-phone');
    await ctx.setOffline(false);
    await page.waitForSelector('[data-testid="conn"][data-status="open"]', { timeout: 30_000 });
    // Reps that happened while offline are in the snapshot: the counter catches up without live events.
    const serverReps = () => gw.gateway.session.core.state.reps.length;
    await until('the counter to match the gateway', async () => {
      const shown = await numberAt(page, 'rep-count');
      return shown === -1 || shown >= before;
    });
    expect(serverReps()).toBeGreaterThanOrEqual(before);
  });

  it('a discomfort rating of 3 (given offline) advises the floor bridge and reaches the gateway on reconnect', async () => {
    // The simulated set ends on a long rest; the app moves to the rating screen by itself.
    await page.waitForSelector('[data-testid="pain-3"]', { timeout: 90_000 });
    await ctx.setOffline(true);
    await page.waitForSelector('[data-testid="conn"][data-status="reconnecting"]', { timeout: 15_000 });
    await page.click('[data-testid="pain-3"]');
    const advice = await page.waitForSelector('[data-testid="advice"]');
    expect(await advice.getAttribute('data-advice')).toBe('regress');
    expect(await advice.textContent()).toMatch(/glute bridge/i);
    expect(await page.textContent('[data-testid="pending"]')).toMatch(/1 rating waiting/);
    await snap(page, 'patient-rating-offline-phone');
    await ctx.setOffline(false);
    await page.waitForSelector('[data-testid="conn"][data-status="open"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="pending"]', { state: 'detached', timeout: 15_000 });
    const ratings = gw.gateway.session.core.state.recent.filter((e) => e.type === 'pain-rating');
    expect(ratings.map((e) => (e.type === 'pain-rating' ? e.rating : -1))).toEqual([3]);
    await page.setViewportSize(LAPTOP);
    await snap(page, 'patient-rating-laptop');
  });
});
