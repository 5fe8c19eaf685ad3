import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launchChromium } from './support/browser.ts';
import { hipcue } from './support/cli.ts';
import { startTestGateway, tempDir } from './support/gateway.ts';
import { snap } from './support/screenshots.ts';
import { until } from './support/waits.ts';

/**
 * Issue 5: a clamshell recorded with a thigh sensor (`hipcue sim --extra-sensors thigh`), replayed through the real
 * gateway: the therapist sees the thigh beside the pelvis and what it is used for, and the reps it counts.
 */
describe('a second sensor through replay', () => {
  let gw: Awaited<ReturnType<typeof startTestGateway>>;
  let browser: Browser;
  let therapist: Page;
  let truthReps = 0;

  beforeAll(async () => {
    const dir = await tempDir();
    const file = join(dir, 'clamshell-thigh.mcap');
    const sim = await hipcue(
      'sim',
      ...['--exercise', 'clamshell', '--side', 'right', '--seed', '4', '--reps', '10'],
      ...['--extra-sensors', 'thigh', '--out', file],
    );
    expect(sim.code, sim.stderr).toBe(0);
    truthReps = Number(/(\d+) reps/.exec(sim.stderr)?.[1]);
    gw = await startTestGateway({ source: 'replay', replayPath: file, speed: 8 });
    browser = await launchChromium();
    therapist = await (await browser.newContext({ viewport: LAPTOP, deviceScaleFactor: 1 })).newPage();
    await therapist.goto(gw.gateway.links.therapist);
    await therapist.waitForSelector('[data-testid="conn"][data-status="open"]');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('shows the thigh sensor in use and counts the knee openings', async () => {
    const extra = therapist.locator('[data-testid="extra-sensor"]');
    await until(
      'thigh in use',
      async () => /In use: counts clamshell reps/.test((await extra.textContent()) ?? ''),
      30_000,
    );
    expect(await extra.textContent()).toMatch(/^Thigh sensor \(simulated\): streaming/);
    await gw.gateway.session.whenEnded();
    expect(gw.gateway.session.core.state.reps).toHaveLength(truthReps);
    const onScreen = async () => Number(await therapist.locator('[data-testid="th-rep-count"]').textContent());
    await until('rep count on screen', async () => (await onScreen()) === truthReps, 10_000);
    // the replay's end is the thigh's too; its rate is samples per second, as the pelvis's
    await until('thigh ended', async () => /: ended, \d+ Hz/.test((await extra.textContent()) ?? ''), 10_000);
    const rateHz = Number(/ended, (\d+) Hz/.exec((await extra.textContent()) ?? '')?.[1]);
    expect(rateHz).toBeGreaterThan(150);
    expect(rateHz).toBeLessThan(250);
    await snap(therapist, 'therapist-second-sensor');
  }, 90_000);
});
