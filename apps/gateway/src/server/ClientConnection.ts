import type { Role } from '@hipcue/messages';
import type { WebSocket } from 'ws';
import { TokenBucket } from './tokenBucket.ts';

export interface DeliverySettings {
  /** Chart frames are held back while the socket has more than this many bytes buffered. */
  chartHighWaterBytes: number;
  /** At most this many chart frames wait per client; beyond it the oldest is dropped. */
  maxQueuedChartFrames: number;
  /**
   * A client whose socket buffers more than this (events are never dropped, so they pile up) is closed
   * with 1013 "client too slow"; on reconnect its snapshot restores the state.
   */
  maxBufferedBytes: number;
}

export const defaultDeliverySettings: DeliverySettings = {
  chartHighWaterBytes: 64 * 1024,
  maxQueuedChartFrames: 25,
  maxBufferedBytes: 8 * 1024 * 1024,
};

export interface RateLimitSettings {
  burst: number;
  perSecond: number;
  /** After this many refused messages in a row, the connection is closed (1008). */
  maxConsecutiveRefusals: number;
}

export const defaultRateLimitSettings: RateLimitSettings = { burst: 20, perSecond: 10, maxConsecutiveRefusals: 50 };

/**
 * One hipcue WebSocket client: its role, its rate limiter and its outgoing queue. Events go straight to the
 * socket (never dropped); chart frames wait while the socket is backed up and the oldest are dropped first.
 * Messages arrive here already serialized, so a broadcast encodes JSON once for all clients.
 */
export class ClientConnection {
  private readonly chartQueue: string[] = [];
  droppedChartFrames = 0;
  sentMessages = 0;
  consecutiveRefusals = 0;
  readonly bucket: TokenBucket;
  closed = false;

  constructor(
    readonly clientId: string,
    readonly role: Role,
    readonly ws: WebSocket,
    private readonly delivery: DeliverySettings,
    rate: RateLimitSettings,
    nowMs: number,
  ) {
    this.bucket = new TokenBucket(rate.burst, rate.perSecond, nowMs);
  }

  get queuedBytes(): number {
    let n = this.ws.bufferedAmount;
    for (const f of this.chartQueue) n += f.length;
    return n;
  }

  /** Sends a message that must arrive (snapshot, events, errors, acks). */
  sendReliable(json: string): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > this.delivery.maxBufferedBytes) {
      this.close(1013, 'client too slow');
      return;
    }
    this.ws.send(json);
    this.sentMessages++;
  }

  /** Sends or queues a chart frame; drops the oldest queued frame when the queue is full. */
  sendChart(json: string): void {
    if (this.closed) return;
    this.chartQueue.push(json);
    while (this.chartQueue.length > this.delivery.maxQueuedChartFrames) {
      this.chartQueue.shift();
      this.droppedChartFrames++;
    }
    this.pump();
  }

  /** Moves queued chart frames to the socket while it has room. Call on every tick. */
  pump(): void {
    while (this.chartQueue.length > 0 && this.ws.bufferedAmount <= this.delivery.chartHighWaterBytes && !this.closed) {
      this.ws.send(this.chartQueue.shift()!);
      this.sentMessages++;
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.chartQueue.length = 0;
    this.ws.close(code, reason);
  }
}
