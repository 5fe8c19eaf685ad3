import { randomUUID } from 'node:crypto';
import {
  type ChartMessage,
  type ErrorMessage,
  isAllowed,
  parseClientMessage,
  type Role,
  type ServerMessage,
  type SessionEvent,
  type StatsMessage,
} from '@hipcue/messages';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../logger.ts';
import type { LiveSessionHandle } from '../session/types.ts';
import {
  ClientConnection,
  type DeliverySettings,
  defaultDeliverySettings,
  defaultRateLimitSettings,
  type RateLimitSettings,
} from './ClientConnection.ts';
import { LatencyWindow } from './latency.ts';

export interface HubSettings {
  delivery: DeliverySettings;
  rate: RateLimitSettings;
  /** How often queued chart frames are retried (ms). */
  pumpIntervalMs: number;
  /** How often `stats` goes to every client (ms). */
  statsIntervalMs: number;
}

export const defaultHubSettings: HubSettings = {
  delivery: defaultDeliverySettings,
  rate: defaultRateLimitSettings,
  pumpIntervalMs: 20,
  statsIntervalMs: 2000,
};

/**
 * Fans the live session out to hipcue WebSocket clients and feeds their control messages back in.
 * Every broadcast is serialized once. Refusals (bad JSON, schema, role, rate) are answered with `error`
 * and logged; nothing a client sends can throw out of here.
 */
export class Hub {
  readonly clients = new Map<string, ClientConnection>();
  readonly latency = new LatencyWindow();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: LiveSessionHandle,
    private readonly log: Logger,
    private readonly settings: HubSettings = defaultHubSettings,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.unsubscribe = session.subscribe({
      events: (events) => this.broadcastEvents(events),
      chart: (chart) => this.broadcastChart(chart),
      reset: () => {
        for (const c of this.clients.values())
          c.sendReliable(JSON.stringify(this.session.snapshot(c.clientId, c.role)));
      },
    });
    this.timers.push(setInterval(() => this.pumpAll(), settings.pumpIntervalMs));
    this.timers.push(setInterval(() => this.sendStats(), settings.statsIntervalMs));
    for (const t of this.timers) t.unref();
  }

  /** Takes over an authenticated socket: snapshot first, then live messages. */
  attach(ws: WebSocket, role: Role): ClientConnection {
    const clientId = randomUUID();
    const client = new ClientConnection(clientId, role, ws, this.settings.delivery, this.settings.rate, this.nowMs());
    this.clients.set(clientId, client);
    this.log.info('client connected', { clientId, role, clients: this.clients.size });
    ws.on('message', (data, isBinary) => this.onMessage(client, data, isBinary));
    ws.on('close', (code) => {
      client.closed = true;
      this.clients.delete(clientId);
      this.log.info('client disconnected', { clientId, code, dropped: client.droppedChartFrames });
    });
    ws.on('error', (err) => {
      // ws reports protocol violations (e.g. frames over maxPayload: 1009) here before closing.
      this.log.warn('refused: socket error', { clientId, error: err.message });
    });
    client.sendReliable(JSON.stringify(this.session.snapshot(clientId, role)));
    return client;
  }

  close(): void {
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe();
    for (const c of this.clients.values()) {
      c.close(1001, 'gateway shutting down');
      // A client that stopped reading would hold the closing handshake for ws's 30 s timeout.
      if (c.ws.bufferedAmount > 0) c.ws.terminate();
    }
    this.clients.clear();
  }

  private onMessage(client: ClientConnection, data: RawData, isBinary: boolean): void {
    if (client.closed) return;
    if (!client.bucket.take(this.nowMs())) {
      client.consecutiveRefusals++;
      if (client.consecutiveRefusals === 1 || client.consecutiveRefusals % 20 === 0) {
        this.log.warn('refused: rate limited', { clientId: client.clientId, refusals: client.consecutiveRefusals });
      }
      if (client.consecutiveRefusals >= this.settings.rate.maxConsecutiveRefusals) {
        this.log.warn('closing flooding client', { clientId: client.clientId });
        client.close(1008, 'rate limit exceeded');
        return;
      }
      this.reply(client, { type: 'error', code: 'rate-limited', message: 'too many messages; slow down' });
      return;
    }
    const raw = isBinary || !Array.isArray(data) ? (data as Buffer | ArrayBuffer) : Buffer.concat(data);
    const parsed = parseClientMessage(raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw);
    if (!parsed.ok) {
      this.refuse(client, { type: 'error', ...parsed.error });
      return;
    }
    const msg = parsed.message;
    if (!isAllowed(client.role, msg.type)) {
      this.refuse(client, {
        type: 'error',
        code: 'forbidden',
        message: `role ${client.role} may not send ${msg.type}`,
        ...(msg.id ? { id: msg.id } : {}),
      });
      return;
    }
    client.consecutiveRefusals = 0;
    if (msg.type === 'ping') {
      const pong: ServerMessage = { type: 'pong', serverTimeMs: this.nowMs() };
      if (msg.id) pong.id = msg.id;
      if (msg.clientTimeMs !== undefined) pong.clientTimeMs = msg.clientTimeMs;
      this.reply(client, pong);
      return;
    }
    let result: ReturnType<LiveSessionHandle['command']>;
    try {
      result = this.session.command(msg, client.role);
    } catch (err) {
      this.log.error('command failed', { clientId: client.clientId, type: msg.type, error: (err as Error).message });
      result = { ok: false, code: 'invalid-state', message: `could not apply ${msg.type}` };
    }
    if (result.ok) {
      this.log.info('command', { clientId: client.clientId, role: client.role, type: msg.type });
      if (msg.id) this.reply(client, { type: 'ack', id: msg.id });
    } else {
      this.refuse(client, {
        type: 'error',
        code: result.code,
        message: result.message,
        ...(msg.id ? { id: msg.id } : {}),
      });
    }
  }

  private refuse(client: ClientConnection, error: ErrorMessage): void {
    client.consecutiveRefusals++;
    this.log.warn('refused message', { clientId: client.clientId, code: error.code, reason: error.message });
    if (client.consecutiveRefusals >= this.settings.rate.maxConsecutiveRefusals) {
      client.close(1008, 'too many refused messages');
      return;
    }
    this.reply(client, error);
  }

  private reply(client: ClientConnection, msg: ServerMessage): void {
    client.sendReliable(JSON.stringify(msg));
  }

  private broadcastEvents(events: SessionEvent[]): void {
    if (events.length === 0) return;
    const json = JSON.stringify({ type: 'events', events } satisfies ServerMessage);
    for (const c of this.clients.values()) c.sendReliable(json);
    this.noteLatency();
  }

  private broadcastChart(chart: ChartMessage): void {
    const json = JSON.stringify(chart);
    for (const c of this.clients.values()) c.sendChart(json);
    this.noteLatency();
  }

  private noteLatency(): void {
    const t0 = this.session.ingestMs;
    if (t0 !== undefined && this.clients.size > 0) this.latency.add(performance.now() - t0);
  }

  private pumpAll(): void {
    for (const c of this.clients.values()) c.pump();
  }

  private sendStats(): void {
    if (this.clients.size === 0) return;
    const clients = [...this.clients.values()].map((c) => ({
      clientId: c.clientId,
      role: c.role,
      droppedChartFrames: c.droppedChartFrames,
      queuedBytes: c.queuedBytes,
    }));
    const p50 = this.latency.percentile(50);
    const p99 = this.latency.percentile(99);
    const latencyMs = p50 !== undefined && p99 !== undefined ? { p50, p99 } : null;
    for (const [i, c] of [...this.clients.values()].entries()) {
      const you = clients[i]!;
      const stats: StatsMessage = {
        type: 'stats',
        you: { clientId: you.clientId, droppedChartFrames: you.droppedChartFrames, queuedBytes: you.queuedBytes },
        clients,
        latencyMs,
      };
      c.sendReliable(JSON.stringify(stats));
    }
    this.latency.clear();
  }
}
