import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';
import { type ConnectionStatus, ReconnectingSocket, type SocketLike } from './ReconnectingSocket';

/** A socket that a test opens, closes and reads from; one instance per connection attempt. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }
  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  serverSend(data: unknown): void {
    this.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
}

type In = { type: 'hello'; n: number };
type Out = { type: 'pain'; score: number; clientId: string } | { type: 'calibrate' };

function harness(storage?: Map<string, string>, extra: { idleTimeoutMs?: number; heartbeatMs?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const statuses: ConnectionStatus[] = [];
  const messages: In[] = [];
  const invalid: string[] = [];
  const client = new ReconnectingSocket<In, Out>({
    url: () => 'ws://test/ws',
    parse: (raw) =>
      typeof raw === 'object' && raw !== null && (raw as In).type === 'hello'
        ? { ok: true, value: raw as In }
        : { ok: false, error: 'unknown message' },
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    random: () => 0,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
    ...(extra.idleTimeoutMs ? { idleTimeoutMs: extra.idleTimeoutMs } : {}),
    ...(extra.heartbeatMs ? { heartbeat: { everyMs: extra.heartbeatMs, message: () => ({ type: 'calibrate' }) } } : {}),
    ...(storage
      ? {
          storage: {
            getItem: (k: string) => storage.get(k) ?? null,
            setItem: (k: string, v: string) => storage.set(k, v),
          },
          storageKey: 'outbox',
        }
      : {}),
  });
  client.on('status', (s) => statuses.push(s));
  client.on('message', (m) => messages.push(m));
  client.on('invalid', (e) => invalid.push(e));
  /** Fires the oldest live timer of the given delay (any delay when omitted). */
  const fireTimer = (ms?: number) => {
    const i = timers.findIndex((t) => !t.cleared && (ms === undefined || t.ms === ms));
    const [t] = timers.splice(i, 1);
    t!.fn();
  };
  return { client, sockets, timers, statuses, messages, invalid, fireTimer };
}

describe('backoffDelayMs', () => {
  it('doubles up to the cap and jitters downward only', () => {
    const s = { initialMs: 100, factor: 2, maxMs: 1000, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, 0, s))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelayMs(2, 0.999, s)).toBeGreaterThanOrEqual(200);
    expect(backoffDelayMs(2, 0.999, s)).toBeLessThan(400);
  });
});

describe('ReconnectingSocket', () => {
  it('reconnects with growing delays and resets the attempt count once open', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.close(1006, 'network');
    h.fireTimer();
    h.sockets[1]!.close(1006, 'network');
    h.fireTimer();
    h.sockets[2]!.close(1006, 'network');
    expect(h.timers.filter((t) => !t.cleared).map((t) => t.ms)).toEqual([1000]);
    h.fireTimer();
    h.sockets[3]!.serverOpen();
    expect(h.client.status).toBe('open');
    h.sockets[3]!.close(1006, 'network');
    expect(h.timers.at(-1)!.ms).toBe(250);
    expect(h.statuses.slice(0, 3)).toEqual(['connecting', 'reconnecting', 'reconnecting']);
  });

  it('queues control messages while disconnected and sends them in order on reconnect', () => {
    const h = harness();
    h.client.start();
    h.client.send({ type: 'calibrate' });
    h.client.send({ type: 'pain', score: 3, clientId: 'r1' }, 'r1');
    expect(h.sockets[0]!.sent).toEqual([]);
    h.sockets[0]!.serverOpen();
    expect(h.sockets[0]!.sent.map((s) => JSON.parse(s).type)).toEqual(['calibrate', 'pain']);
    // The unacked rating stays pending; the plain message does not.
    expect(h.client.pending().map((e) => e.ackKey)).toEqual(['r1']);
  });

  it('re-sends an unacknowledged rating after a drop, and forgets it once acked', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.serverOpen();
    h.client.send({ type: 'pain', score: 3, clientId: 'r1' }, 'r1');
    expect(h.sockets[0]!.sent).toHaveLength(1);
    h.sockets[0]!.close(1006, 'gone');
    h.fireTimer();
    h.sockets[1]!.serverOpen();
    expect(h.sockets[1]!.sent.map((s) => JSON.parse(s).clientId)).toEqual(['r1']);
    h.client.ack('r1');
    h.sockets[1]!.close(1006, 'gone');
    h.fireTimer();
    h.sockets[2]!.serverOpen();
    expect(h.sockets[2]!.sent).toEqual([]);
  });

  it('does not queue the same ack key twice', () => {
    const h = harness();
    h.client.start();
    h.client.send({ type: 'pain', score: 3, clientId: 'r1' }, 'r1');
    h.client.send({ type: 'pain', score: 3, clientId: 'r1' }, 'r1');
    h.sockets[0]!.serverOpen();
    expect(h.sockets[0]!.sent).toHaveLength(1);
  });

  it('keeps the outbox across a page reload through storage', () => {
    const storage = new Map<string, string>();
    const a = harness(storage);
    a.client.start();
    a.client.send({ type: 'pain', score: 5, clientId: 'r9' }, 'r9');
    a.client.stop();
    const b = harness(storage);
    b.client.start();
    b.sockets[0]!.serverOpen();
    expect(b.sockets[0]!.sent.map((s) => JSON.parse(s))).toEqual([{ type: 'pain', score: 5, clientId: 'r9' }]);
  });

  it('reports invalid and non-JSON messages without throwing', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.serverOpen();
    h.sockets[0]!.serverSend('{not json');
    h.sockets[0]!.serverSend({ type: 'nope' });
    h.sockets[0]!.serverSend({ type: 'hello', n: 1 });
    expect(h.messages).toEqual([{ type: 'hello', n: 1 }]);
    expect(h.invalid).toHaveLength(2);
    expect(h.invalid[0]).toMatch(/not JSON/);
  });

  it('stops retrying after an authorization close', () => {
    const h = harness();
    h.client.start();
    h.sockets[0]!.close(4401, 'bad token');
    expect(h.timers.filter((t) => !t.cleared)).toHaveLength(0);
    expect(h.client.status).toBe('closed');
  });

  it('ignores events from a socket it already replaced', () => {
    const h = harness();
    h.client.start();
    const old = h.sockets[0]!;
    old.close(1006, 'x');
    h.fireTimer();
    old.serverSend({ type: 'hello', n: 2 });
    expect(h.messages).toEqual([]);
  });

  it('replaces a connection that went silent, without waiting for a close handshake', () => {
    const h = harness(undefined, { idleTimeoutMs: 5000 });
    h.client.start();
    h.sockets[0]!.serverOpen();
    h.sockets[0]!.serverSend({ type: 'hello', n: 1 });
    // Messages re-arm the watchdog: the first timer was cleared, one live 5 s timer remains.
    expect(h.timers.filter((t) => !t.cleared && t.ms === 5000)).toHaveLength(1);
    h.fireTimer(5000);
    expect(h.client.status).toBe('reconnecting');
    h.fireTimer(250);
    expect(h.sockets).toHaveLength(2);
    // A late message from the abandoned socket is ignored.
    h.sockets[0]!.serverSend({ type: 'hello', n: 2 });
    expect(h.messages).toEqual([{ type: 'hello', n: 1 }]);
  });

  it('sends heartbeats only while open', () => {
    const h = harness(undefined, { heartbeatMs: 2000 });
    h.client.start();
    expect(h.timers.filter((t) => t.ms === 2000)).toHaveLength(0);
    h.sockets[0]!.serverOpen();
    h.fireTimer(2000);
    h.fireTimer(2000);
    expect(h.sockets[0]!.sent).toHaveLength(2);
    h.sockets[0]!.close(1006, 'x');
    expect(h.timers.filter((t) => !t.cleared && t.ms === 2000)).toHaveLength(0);
  });
});
