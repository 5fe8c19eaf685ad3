import { join } from 'node:path';
import { type ClientMessage, parseClientMessage, type SessionEvent } from '@hipcue/messages';
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { DiskQueue } from './DiskQueue.ts';
import { eventMsgId, subjects } from './subjects.ts';

/** What the relay needs from a gateway's live session (apps/gateway's LiveSession has it). */
export interface RelaySession {
  readonly sessionId: string;
  subscribe(listener: {
    events?(events: SessionEvent[]): void;
    chart?(chart: unknown): void;
    reset?(): void;
  }): () => void;
  snapshot(clientId: string, role: 'viewer'): { readonly recentEvents: readonly SessionEvent[] };
  command(msg: ClientMessage, role: 'therapist'): { ok: true } | { ok: false; message: string };
}

export interface RelayLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface RelayPublisherOptions {
  /** `nats://host:port` or `tls://host:port`. */
  servers: string;
  user: string;
  password: string;
  /** Pseudonymous patient id this gateway publishes for. */
  patient: string;
  /** Where the outbox lives (the gateway's data directory). */
  dataDir: string;
  /** TLS CA file for `tls://` brokers. */
  caFile?: string;
  log: RelayLog;
  /** Snapshot re-publication period, ms (default 5000). */
  stateEveryMs?: number;
}

/**
 * Carries one gateway's session to the clinic's NATS: events to JetStream in order with message ids, through a
 * disk outbox so none is lost while the broker is away; decimated chart frames and the state snapshot on core
 * subjects (live only: dropped while disconnected); therapists' control requests answered from `hipcue.ctl.<pid>`.
 * Outbound connections only (works behind NAT). Credentials are never logged.
 */
export class RelayPublisher {
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private readonly queue: DiskQueue;
  private connected = false;
  private pumping = false;
  private closed = false;
  private unsubscribe: (() => void) | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  /** Published / acknowledged counters, for tests and the log. */
  readonly stats = { eventsQueued: 0, eventsAcked: 0, chartsSent: 0, chartsDropped: 0, controls: 0 };

  constructor(
    private readonly session: RelaySession,
    private readonly o: RelayPublisherOptions,
  ) {
    subjects.control(o.patient); // validates the id
    this.queue = new DiskQueue(join(o.dataDir, `relay-outbox-${o.patient}.jsonl`));
  }

  /** Starts at once; the broker may come later (the outbox fills meanwhile). */
  start(): void {
    // What happened before the relay was attached (the session's first events), then everything live.
    for (const e of this.session.snapshot('relay', 'viewer').recentEvents) this.enqueue(e);
    this.unsubscribe = this.session.subscribe({
      events: (events) => {
        for (const e of events) this.enqueue(e);
        void this.pump();
      },
      chart: (c) => this.publishLive(subjects.liveChart(this.o.patient), c),
      reset: () => this.publishState(),
    });
    this.stateTimer = setInterval(() => this.publishState(), this.o.stateEveryMs ?? 5000);
    void this.connectLoop();
  }

  private enqueue(e: SessionEvent): void {
    const sessionId = this.session.sessionId;
    this.queue.push({
      subject: subjects.events(this.o.patient, sessionId),
      id: eventMsgId(sessionId, e.seq),
      data: JSON.stringify(e),
    });
    this.stats.eventsQueued++;
  }

  private async connectLoop(): Promise<void> {
    const { servers, user, password } = this.o;
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        const nc = await connect({
          servers,
          user,
          pass: password,
          inboxPrefix: subjects.inboxPrefix(user),
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          name: `hipcue-gateway-${this.o.patient}`,
          ...(this.o.caFile ? { tls: { caFile: this.o.caFile } } : {}),
        });
        this.nc = nc;
        this.js = jetstream(nc, { timeout: 5000 });
        this.connected = true;
        this.o.log.info('relay connected', { servers, patient: this.o.patient, pending: this.queue.pending });
        this.watchStatus(nc);
        this.serveControl(nc);
        this.publishState();
        void this.pump();
        return;
      } catch (err) {
        if (attempt === 0) this.o.log.warn('relay unreachable; events wait on disk', { servers, error: errText(err) });
        await sleep(Math.min(5000, 250 * 2 ** Math.min(attempt, 5)));
      }
    }
  }

  private watchStatus(nc: NatsConnection): void {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.connected = false;
          this.o.log.warn('relay disconnected; events wait on disk', { pending: this.queue.pending });
        } else if (s.type === 'reconnect') {
          this.connected = true;
          this.o.log.info('relay reconnected', { pending: this.queue.pending });
          this.publishState();
          void this.pump();
        }
      }
    })();
  }

  /** Publishes the outbox in order, one acknowledged message at a time; stops on the first failure and retries. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed) {
        const m = this.queue.peek();
        const js = this.js;
        if (!m || !js || !this.connected) return;
        try {
          await js.publish(m.subject, m.data, { msgID: m.id, timeout: 5000 });
          this.queue.ack();
          this.stats.eventsAcked++;
        } catch (err) {
          if (this.closed) return;
          this.o.log.warn('relay publish failed; will retry', { error: errText(err), pending: this.queue.pending });
          await sleep(500);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private publishLive(subject: string, payload: unknown): void {
    const nc = this.nc;
    if (!nc || !this.connected) {
      this.stats.chartsDropped++;
      return;
    }
    try {
      nc.publish(subject, JSON.stringify(payload));
      this.stats.chartsSent++;
    } catch {
      this.stats.chartsDropped++;
    }
  }

  private publishState(): void {
    this.publishLive(subjects.liveState(this.o.patient), this.session.snapshot('relay', 'viewer'));
  }

  /** Therapist requests: only therapists assigned to this patient may publish here (server permissions). */
  private serveControl(nc: NatsConnection): void {
    const sub = nc.subscribe(subjects.control(this.o.patient));
    void (async () => {
      for await (const m of sub) {
        const parsed = parseClientMessage(m.string());
        let reply: { ok: true } | { ok: false; error: string };
        if (!parsed.ok) reply = { ok: false, error: parsed.error.message };
        else {
          const r = this.session.command(parsed.message, 'therapist');
          reply = r.ok ? { ok: true } : { ok: false, error: r.message };
          this.stats.controls++;
        }
        m.respond(JSON.stringify(reply));
      }
    })();
  }

  /** Outbox entries not yet acknowledged by the broker. */
  get pending(): number {
    return this.queue.pending;
  }

  /** Waits until the outbox is empty (or the timeout passes); true if drained. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.pending > 0 && Date.now() < deadline) {
      void this.pump();
      await sleep(50);
    }
    return this.queue.pending === 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.stateTimer) clearInterval(this.stateTimer);
    await this.nc?.drain().catch(() => undefined);
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
