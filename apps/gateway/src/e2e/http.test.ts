import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import foxgloveProtocol from '@foxglove/ws-protocol';
import { sessionListSchema, sessionReviewSchema, ticketResponseSchema, whoamiSchema } from '@hipcue/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Gateway } from '../gateway.ts';
import { FOXGLOVE_TOPICS } from '../server/FoxgloveBridge.ts';
import { tempDir, testGateway, upgradeStatus } from './helpers.ts';

const { FoxgloveClient } = foxgloveProtocol;

let gateway: Gateway;
let base: string;

beforeAll(async () => {
  const dataDir = await tempDir();
  const dist = join(dataDir, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>hipcue</title>');
  await writeFile(join(dist, 'assets', 'app-123.js'), 'console.log(1)');
  await writeFile(join(dataDir, 'secret.txt'), 'do not serve');
  ({ gateway } = await testGateway({ source: 'sim', speed: 20, seed: 2, dataDir, dashboardDir: dist, simBlocks: 1 }));
  base = gateway.url;
});
afterAll(async () => {
  await gateway?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const auth = (role: 'patient' | 'therapist' | 'viewer') => ({ authorization: `Bearer ${gateway.tokens[role]}` });

describe('static dashboard', () => {
  it('serves files with their content type and falls back to index.html for app routes', async () => {
    const js = await get('/assets/app-123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    const route = await get('/therapist/review');
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await route.text()).toContain('<title>hipcue</title>');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('never serves files outside the dashboard', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await get(p);
      expect(await r.text(), p).not.toContain('do not serve');
    }
  });
});

describe('HTTP API', () => {
  it('needs a token and says who you are', async () => {
    expect((await get('/api/sessions')).status).toBe(401);
    expect((await get('/api/sessions', { authorization: 'Bearer nope' })).status).toBe(401);
    const who = whoamiSchema.parse(await (await get('/api/whoami', auth('therapist'))).json());
    expect(who).toEqual({ role: 'therapist', liveSessionId: gateway.session.sessionId });
    expect((await get('/api/whoami', { ...auth('viewer'), origin: 'http://evil.example' })).status).toBe(403);
  });

  it('issues single-use tickets for the WebSocket', async () => {
    const r = await fetch(`${base}/api/ticket`, { method: 'POST', headers: auth('patient') });
    const t = ticketResponseSchema.parse(await r.json());
    expect(t.role).toBe('patient');
    const url = `ws://127.0.0.1:${gateway.port}/ws?ticket=${t.ticket}`;
    expect(await upgradeStatus(url, ['hipcue.v1'])).toBe(101);
    expect(await upgradeStatus(url, ['hipcue.v1'])).toBe(401);
  });

  it('lists recorded sessions, reviews one and exports CSV', async () => {
    await gateway.session.whenEnded();
    // Let the recording's periodic flush put the tail on disk.
    await new Promise((r) => setTimeout(r, 700));
    const list = sessionListSchema.parse(await (await get('/api/sessions', auth('therapist'))).json());
    expect(list.sessions).toHaveLength(1);
    const item = list.sessions[0]!;
    expect(item).toMatchObject({ id: gateway.session.sessionId, live: true, simulated: true, exercise: 'hip-thrust' });
    expect(item.reps).toBeGreaterThan(0);
    const review = sessionReviewSchema.parse(await (await get(`/api/sessions/${item.id}`, auth('viewer'))).json());
    expect(review.reps.length).toBe(item.reps);
    expect(review.chart.tS.length).toBeGreaterThan(100);
    expect(review.events.some((e) => e.type === 'rep')).toBe(true);
    const csv = await get(`/api/sessions/${item.id}/export.csv`, auth('therapist'));
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z,tilt_deg,obliquity_deg,rotation_deg,event,detail');
    expect(lines.filter((l) => l.includes(',rep,')).length).toBe(item.reps);
    expect(lines.length).toBeGreaterThan(1000);
    expect((await get('/api/sessions/does-not-exist', auth('viewer'))).status).toBe(404);

    // "What if": a much tighter arch threshold re-run from the raw data gives the same reps and at least as many arches.
    const post = (body: string) =>
      fetch(`${base}/api/sessions/${item.id}/rerun`, { method: 'POST', headers: auth('therapist'), body });
    const whatIf = sessionReviewSchema.parse(
      await (await post(JSON.stringify({ thresholds: { lumbarArchDeg: 0.5 } }))).json(),
    );
    expect(whatIf.reps.length).toBe(review.reps.length);
    const arches = (r: typeof review) => r.reps.flatMap((x) => x.faults).filter((f) => f.code === 'lumbar_arch').length;
    expect(arches(whatIf)).toBeGreaterThanOrEqual(arches(review));
    expect(whatIf.thresholds.lumbarArchDeg).toBe(0.5);
    expect((await post(JSON.stringify({ thresholds: { archDegrees: 3 } }))).status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
    expect((await get('/api/sessions/..%2f..%2fsecrets', auth('viewer'))).status).toBe(400);
  });
});

describe('Foxglove WebSocket protocol', () => {
  it('serves live channels to a real FoxgloveClient', async () => {
    const { gateway: live } = await testGateway({ source: 'sim', speed: 5, seed: 4, record: false });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${live.port}/?token=${live.tokens.viewer}`, [
        FoxgloveClient.SUPPORTED_SUBPROTOCOL,
      ]);
      const client = new FoxgloveClient({ ws: ws as never });
      const channels = new Map<number, string>();
      const bySubscription = new Map<number, string>();
      const received = new Map<string, unknown[]>();
      const decoder = new TextDecoder();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no Foxglove data')), 20_000);
        client.on('advertise', (list) => {
          for (const ch of list) {
            channels.set(ch.id, ch.topic);
            expect(ch.encoding).toBe('json');
            expect(ch.schemaEncoding).toBe('jsonschema');
            bySubscription.set(client.subscribe(ch.id), ch.topic);
          }
        });
        client.on('message', ({ subscriptionId, data }) => {
          const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          const value = JSON.parse(decoder.decode(bytes)) as { tS?: number };
          const topic = bySubscription.get(subscriptionId) ?? 'unknown';
          received.set(topic, [...(received.get(topic) ?? []), value]);
          if (
            (received.get(FOXGLOVE_TOPICS.angles)?.length ?? 0) > 50 &&
            (received.get(FOXGLOVE_TOPICS.imu)?.length ?? 0) > 50
          ) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect([...channels.values()].sort()).toEqual(Object.values(FOXGLOVE_TOPICS).sort());
      const imu = received.get(FOXGLOVE_TOPICS.imu)![0] as { accMps2: { z: number } };
      expect(Number.isFinite(imu.accMps2.z)).toBe(true);
      const angles = received.get(FOXGLOVE_TOPICS.angles)![0] as { tiltDeg: number };
      expect(Number.isFinite(angles.tiltDeg)).toBe(true);
      expect(received.has('unknown')).toBe(false);
      client.close();
      expect(await upgradeStatus(`ws://127.0.0.1:${live.port}/?token=bad`, ['foxglove.sdk.v1'])).toBe(401);
    } finally {
      await live.close();
    }
  });
});
