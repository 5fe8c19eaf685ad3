import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../gateway.ts';
import type { ClientConnection } from '../server/ClientConnection.ts';
import { TestClient, testGateway } from './helpers.ts';

let gateway: Gateway;
let unixServer: Server;
let socketPath: string;

beforeAll(async () => {
  // The sim runs as fast as possible with big chart frames (20 points each), so the bytes a client that stops
  // reading must absorb pile up quickly. The slow client comes in over a Unix socket handed to the gateway's
  // HTTP server: its kernel buffers are smaller than loopback TCP's autotuned ones, so the gateway's own
  // queue is reached sooner. How many bytes the kernel absorbs differs per machine, so the test waits for
  // the first drop rather than assuming a volume.
  let dataDir: string;
  ({ gateway, dataDir } = await testGateway({
    source: 'sim',
    speed: Number.POSITIVE_INFINITY,
    seed: 5,
    record: false,
    chart: { framesPerS: 10, pointsPerS: 200 },
    hub: { statsIntervalMs: 100 },
  }));
  socketPath = join(dataDir, 'gateway.sock');
  unixServer = createServer((socket) => gateway.server.http.emit('connection', socket));
  await new Promise<void>((resolve) => unixServer.listen(socketPath, resolve));
});
afterAll(async () => {
  unixServer?.close();
  await gateway?.close();
});

function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      if (pred()) resolve();
      else if (Date.now() - t0 > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe('a slow client', () => {
  it('loses chart frames, never events, and never slows the others', async () => {
    const fast = await TestClient.connect(gateway, gateway.tokens.viewer);
    const slow = await TestClient.connect(gateway, gateway.tokens.viewer, { unixSocket: socketPath });
    slow.ws.pause();
    const conns = () => [...gateway.hub.clients.values()];
    let slowConn: ClientConnection | undefined;
    await waitFor(
      () => {
        slowConn = conns().find((c) => c.droppedChartFrames >= 20);
        return slowConn !== undefined;
      },
      25_000,
      'chart frames dropped for the paused client',
    );
    await gateway.session.source.stop();
    const lastSeq = gateway.session.core.state.lastSeq;
    await fast.until(() => fast.lastSeq >= lastSeq, 20_000, 'fast client has every event');
    expect(conns().find((c) => c !== slowConn)?.droppedChartFrames).toBe(0);

    // The fast client got every chart frame, in order.
    const frames = fast.of('chart').map((c) => c.frame);
    for (let i = 1; i < frames.length; i++) expect(frames[i]).toBe(frames[i - 1]! + 1);

    slow.ws.resume();
    await slow.until(() => slow.lastSeq >= lastSeq, 20_000, 'slow client catches up on events');
    const snap = slow.messages[0];
    expect(snap?.type).toBe('snapshot');
    let prev = snap?.type === 'snapshot' ? snap.lastSeq : 0;
    for (const e of slow.events()) {
      expect(e.seq).toBe(prev + 1);
      prev = e.seq;
    }
    expect(slow.of('chart').length).toBeLessThan(frames.length);
    // The drops are visible to the client itself.
    await slow.until(() => slow.of('stats').some((s) => s.you.droppedChartFrames > 0), 5000, 'stats with drops');
    fast.close();
    slow.close();
  });
});
