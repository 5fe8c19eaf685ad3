import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type TestNatsServer } from '../../packages/relay/src/testing/natsServer.ts';
import { LAPTOP, launchChromium } from './support/browser.ts';
import { startTestGateway, tempDir } from './support/gateway.ts';
import { snap } from './support/screenshots.ts';
import { numberAt, until } from './support/waits.ts';

/**
 * Issue 9, therapist side, in Debian's Chromium: a patient's gateway (sim, ×8) publishes through a real nats-server;
 * the clinic console signs in over the server's WebSocket listener, joins late and replays the session so far, then
 * follows it live. A therapist without that patient is refused.
 */
describe('clinic console over the NATS relay', () => {
  let dir: string;
  let server: TestNatsServer;
  let gw: Awaited<ReturnType<typeof startTestGateway>>;
  let browser: Browser;

  beforeAll(async () => {
    dir = await tempDir();
    server = await startNatsServer({
      dir: join(dir, 'nats'),
      patients: ['P001'],
      therapists: { alice: ['P001'], mallory: [] },
    });
    const g = server.gateways.P001!;
    gw = await startTestGateway({
      speed: 8,
      seed: 7,
      patientLabel: 'P001',
      relay: { servers: server.url, user: g.user, password: g.password, patient: 'P001' },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function signIn(page: Page, who: 'alice' | 'mallory') {
    const c = server.therapists[who]!;
    await page.goto(`${gw.gateway.url}/?clinic=1`);
    await page.fill('[data-testid="relay-url"]', server.wsUrl);
    await page.fill('[data-testid="relay-user"]', c.user);
    await page.fill('[data-testid="relay-password"]', c.password);
    await page.fill('[data-testid="relay-patients"]', 'P001');
    await page.click('[data-testid="relay-signin"]');
    await page.click('button:has-text("P001")');
  }

  it('joins late, replays the reps so far, then follows the session live', async () => {
    await until('reps on the gateway', async () => gw.gateway.session.core.state.reps.length >= 3);
    const page = await browser.newPage({ viewport: LAPTOP });
    await signIn(page, 'alice');
    await page.waitForSelector('[data-testid="relay-status"][data-status="open"]');
    const atJoin = gw.gateway.session.core.state.reps.length;
    await until('the replayed reps', async () => (await numberAt(page, 'th-rep-count')) >= atJoin);
    const seen = await numberAt(page, 'th-rep-count');
    await until('a live rep', async () => (await numberAt(page, 'th-rep-count')) > seen);
    // what the console shows is what the gateway counted
    await until('the same count as the gateway', async () => {
      return (await numberAt(page, 'th-rep-count')) === gw.gateway.session.core.state.reps.length;
    });
    await snap(page, 'clinic-live-laptop');
    await page.close();
  });

  it('refuses a therapist who is not assigned to the patient, and says so', async () => {
    const page = await browser.newPage({ viewport: LAPTOP });
    await signIn(page, 'mallory');
    await page.waitForSelector('[data-testid="relay-status"][data-status="refused"]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid="relay-status"]')).toMatch(/permi/i);
    expect(await page.$('[data-testid="th-rep-count"]')).toBeNull();
    await page.close();
  });
});
