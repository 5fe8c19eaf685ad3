import { SUBPROTOCOL } from '@hipcue/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Gateway } from '../gateway.ts';
import { TestClient, testGateway, upgradeStatus } from './helpers.ts';

let gateway: Gateway;
let log: { lines: string[] };
/** A well-behaved viewer that must keep receiving while others misbehave. */
let bystander: TestClient;

beforeAll(async () => {
  ({ gateway, log } = await testGateway({
    source: 'sim',
    speed: 20,
    seed: 11,
    hub: { rate: { burst: 10, perSecond: 5, maxConsecutiveRefusals: 30 } },
  }));
  bystander = await TestClient.connect(gateway, gateway.tokens.viewer);
});
afterAll(async () => {
  bystander?.close();
  await gateway?.close();
});

const wsUrl = (q = '') => `ws://127.0.0.1:${gateway.port}/ws${q}`;

describe('hostile input is refused while the session keeps running', () => {
  it('refuses bad, missing and reused credentials, wrong origins and wrong paths at the upgrade', async () => {
    expect(await upgradeStatus(wsUrl('?token=not-a-token'), [SUBPROTOCOL])).toBe(401);
    expect(await upgradeStatus(wsUrl(), [SUBPROTOCOL])).toBe(401);
    expect(
      await upgradeStatus(wsUrl(`?token=${gateway.tokens.patient}`), [SUBPROTOCOL], { origin: 'http://evil.example' }),
    ).toBe(403);
    expect(
      await upgradeStatus(wsUrl(`?token=${gateway.tokens.patient}`), [SUBPROTOCOL], {
        origin: `http://127.0.0.1:${gateway.port}`,
      }),
    ).toBe(101);
    expect(
      await upgradeStatus(`ws://127.0.0.1:${gateway.port}/other?token=${gateway.tokens.patient}`, [SUBPROTOCOL]),
    ).toBe(404);
    const { ticket } = gateway.auth.issueTicket('viewer');
    expect(await upgradeStatus(wsUrl(`?ticket=${ticket}`), [SUBPROTOCOL])).toBe(101);
    expect(await upgradeStatus(wsUrl(`?ticket=${ticket}`), [SUBPROTOCOL])).toBe(401);
    expect(await upgradeStatus(wsUrl(), [SUBPROTOCOL, `hipcue.token.${gateway.tokens.viewer}`])).toBe(101);
    const refusals = log.lines.filter((l) => l.includes('refused upgrade'));
    expect(refusals.length).toBeGreaterThanOrEqual(5);
    for (const t of Object.values(gateway.tokens)) expect(log.lines.join('\n')).not.toContain(t);
  });

  it('answers bad JSON and wrong types with an error naming what was wrong', async () => {
    const c = await TestClient.connect(gateway, gateway.tokens.patient);
    c.send('{"type": "pain-rating", ');
    c.send({ type: 'pain-rating', setId: 's1', rating: 'ten', clientRatingId: 'x', id: 'w1' });
    c.send({ type: 'launch-missiles' });
    c.send(Buffer.from([0xff, 0xfe, 0x00]));
    await c.until(() => c.of('error').length >= 4, 5000, '4 errors');
    const [badJson, wrongType, unknown, bytes] = c.of('error');
    expect(badJson?.code).toBe('bad-json');
    expect(wrongType).toMatchObject({ code: 'bad-message', path: 'rating', id: 'w1' });
    expect(wrongType?.message).toContain('"ten"');
    expect(unknown?.code).toBe('bad-message');
    expect(unknown?.message).toContain('launch-missiles');
    expect(bytes?.code).toBe('bad-json');
    expect(c.closed).toBeUndefined();
    c.close();
  });

  it('closes a connection that sends an oversized frame (1009)', async () => {
    const c = await TestClient.connect(gateway, gateway.tokens.patient);
    c.send(JSON.stringify({ type: 'note', text: 'x'.repeat(70 * 1024) }));
    await c.until(() => c.closed !== undefined, 5000, 'close');
    expect(c.closed?.code).toBe(1009);
  });

  it('refuses what a viewer may not do', async () => {
    const c = await TestClient.connect(gateway, gateway.tokens.viewer);
    c.send({ type: 'start-set', id: 'v1' });
    c.send({ type: 'ping', id: 'v2', clientTimeMs: 5 });
    await c.until(() => c.of('error').length >= 1 && c.of('pong').length >= 1, 5000, 'error and pong');
    expect(c.of('error')[0]).toMatchObject({ code: 'forbidden', id: 'v1' });
    expect(c.of('pong')[0]).toMatchObject({ id: 'v2', clientTimeMs: 5 });
    c.close();
  });

  it('rate-limits a flood, then closes the flooder (1008)', async () => {
    const c = await TestClient.connect(gateway, gateway.tokens.patient);
    for (let i = 0; i < 200; i++) c.send({ type: 'ping' });
    await c.until(() => c.closed !== undefined, 5000, 'flooder closed');
    expect(c.of('error').some((e) => e.code === 'rate-limited')).toBe(true);
    expect(c.closed?.code).toBe(1008);
    expect(log.lines.some((l) => l.includes('rate limited'))).toBe(true);
  });

  it('caps connections', async () => {
    const { gateway: small } = await testGateway({ source: 'sim', speed: 1, maxConnections: 2, record: false });
    const a = await TestClient.connect(small, small.tokens.viewer);
    const b = await TestClient.connect(small, small.tokens.viewer);
    expect(await upgradeStatus(`ws://127.0.0.1:${small.port}/ws?token=${small.tokens.viewer}`, [SUBPROTOCOL])).toBe(
      503,
    );
    a.close();
    b.close();
    await small.close();
  });

  it('kept the bystander served throughout', async () => {
    const before = bystander.events().length;
    const chartsBefore = bystander.of('chart').length;
    await bystander.until(
      () => bystander.events().length > before && bystander.of('chart').length > chartsBefore + 5,
      20_000,
      'more data',
    );
    expect(bystander.closed).toBeUndefined();
    expect(bystander.invalid).toEqual([]);
    expect(bystander.messages[0]?.type).toBe('snapshot');
  });

  it('survives a raw garbage upgrade request', async () => {
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const s = connect(gateway.port, '127.0.0.1', () => {
        s.write(
          'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %%%\r\n\r\n',
        );
      });
      s.on('data', () => s.destroy());
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    const ws = new WebSocket(wsUrl(`?token=${gateway.tokens.viewer}`), [SUBPROTOCOL]);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.close();
  });
});
