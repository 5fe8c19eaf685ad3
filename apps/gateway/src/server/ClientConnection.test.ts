import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ClientConnection, defaultRateLimitSettings } from './ClientConnection.ts';

/** A socket stand-in whose backlog the test controls (the real one is exercised in e2e/slowClient.test.ts). */
class BackloggedSocket {
  bufferedAmount = 0;
  sent: string[] = [];
  closedWith: [number, string] | undefined;
  send(data: string) {
    this.sent.push(data);
  }
  close(code: number, reason: string) {
    this.closedWith = [code, reason];
  }
}

const delivery = { chartHighWaterBytes: 1000, maxQueuedChartFrames: 3, maxBufferedBytes: 10_000 };

function client(ws: BackloggedSocket) {
  return new ClientConnection('c', 'viewer', ws as unknown as WebSocket, delivery, defaultRateLimitSettings, 0);
}

describe('ClientConnection', () => {
  it('holds chart frames while backed up, drops the oldest beyond the queue, and sends the rest when it drains', () => {
    const ws = new BackloggedSocket();
    const c = client(ws);
    c.sendChart('f0');
    expect(ws.sent).toEqual(['f0']);
    ws.bufferedAmount = 5000;
    for (const f of ['f1', 'f2', 'f3', 'f4', 'f5']) c.sendChart(f);
    expect(ws.sent).toEqual(['f0']);
    expect(c.droppedChartFrames).toBe(2);
    c.sendReliable('event-1'); // events go out even while charts wait
    expect(ws.sent).toEqual(['f0', 'event-1']);
    ws.bufferedAmount = 0;
    c.pump();
    expect(ws.sent).toEqual(['f0', 'event-1', 'f3', 'f4', 'f5']);
    expect(c.queuedBytes).toBe(0);
  });

  it('closes a client whose backlog passes the hard limit instead of dropping events', () => {
    const ws = new BackloggedSocket();
    const c = client(ws);
    ws.bufferedAmount = 20_000;
    c.sendReliable('event');
    expect(ws.closedWith).toEqual([1013, 'client too slow']);
    expect(ws.sent).toEqual([]);
    c.sendReliable('later');
    c.sendChart('frame');
    expect(ws.sent).toEqual([]);
  });
});
