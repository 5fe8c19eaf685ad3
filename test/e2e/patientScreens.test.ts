import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launchChromium, PHONE } from './support/browser.ts';
import { startTestGateway } from './support/gateway.ts';
import { snap } from './support/screenshots.ts';
import { until } from './support/waits.ts';

/**
 * The patient screens around a set (End set, Connect, Choose, Summary) on a gateway whose simulated patient
 * does one set as fast as possible and stops, so the screens hold still for checks and screenshots.
 * The patient ends the set with the button (the simulation stops mid-set, without the rest that ends a set).
 */
describe('patient app screens around a set', () => {
  let gw: Awaited<ReturnType<typeof startTestGateway>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // simRestS 0: the set is still open when the page comes (the patient ends it with the button).
    gw = await startTestGateway({ speed: Number.POSITIVE_INFINITY, simBlocks: 1, simRestS: 0, seed: 3 });
    await until('the simulated set to run', async () => gw.gateway.session.core.state.reps.length >= 3);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 })).newPage();
    await page.goto(gw.gateway.links.patient);
    await page.waitForSelector('[data-testid="conn"][data-status="open"]');
    await page.click('button:has-text("End set")');
    await page.waitForSelector('[data-testid="after-summary"]');
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('End set moves to the rating screen with the set summary', async () => {
    const set = gw.gateway.session.core.state.sets[0]!;
    expect(set.endS).not.toBeNull();
    expect(await page.textContent('[data-testid="after-summary"]')).toContain(`${set.reps} reps`);
    await snap(page, 'patient-after-set-phone');
  });

  it('Connect labels the simulated sensor and explains its state in plain words', async () => {
    await page.click('nav button:has-text("Connect")');
    const sensor = await page.waitForSelector('[data-testid="sensor"]');
    const text = (await sensor.textContent()) ?? '';
    expect(text).toMatch(/SIMULATED SENSOR/);
    expect(text).toMatch(/Battery:/);
    expect(text).toMatch(/% lost\)/);
    await snap(page, 'patient-connect-phone');
  });

  it('Summary lists reps and corrections per set from the gateway', async () => {
    await page.click('nav button:has-text("Summary")');
    await page.waitForSelector('[data-testid="summary-table"]');
    const set = gw.gateway.session.core.state.sets.find((s) => s.endS !== null)!;
    const cells = await page.$$eval('[data-testid="summary-table"] tbody tr:first-child td', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(cells[1]).toBe(String(set.reps));
    expect(cells[2]).toBe(String(set.faults));
    await page.waitForSelector('text=first recorded session');
    await snap(page, 'patient-summary-phone');
  });

  it('Choose shows each exercise with a how-to, the target sets and the fatigue level, keyboard operable', async () => {
    await page.click('nav button:has-text("Choose")');
    await page.waitForSelector('h2:has-text("Choose today")');
    // Keyboard: focus the side-plank clamshell card and pick it with Enter.
    await page.focus('button.card:has-text("Side-plank clamshell")');
    await page.keyboard.press('Enter');
    const text = (await page.textContent('main')) ?? '';
    expect(text).toMatch(/What to feel:/);
    expect(text).toMatch(/Avoid:.*hips sag/);
    expect(text).toMatch(/2–3 sets on each side/);
    expect(text).toMatch(/mild to moderate/);
    await snap(page, 'patient-choose-phone');
    await page.setViewportSize(LAPTOP);
    await snap(page, 'patient-choose-laptop');
    await page.setViewportSize(PHONE);
  });

  it('choosing an exercise switches the gateway to it and leads to calibration', async () => {
    await page.click('button:has-text("Right")');
    await page.click('button:has-text("Use this exercise")');
    await until('the gateway to switch exercise', async () => {
      const o = gw.gateway.session.core.options;
      return o.exercise === 'side-plank-clamshell' && o.side === 'right';
    });
    await page.waitForSelector('h2:has-text("Hold still in the start position")');
    await page.waitForSelector('text=Side-plank clamshell · right leg');
    // The simulated patient calibrates and starts at once (speed max): the set screen of the new exercise.
    await snap(page, 'patient-after-switch-phone');
  });
});
