import { type BackoffSettings, backoffDefaultSettings, backoffDelayMs } from './backoff';

/** The slice of the browser WebSocket this client uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Outcome of checking one incoming message against the schema. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** One queued control message. Entries with an `ackKey` stay queued until `ack(ackKey)`. */
export interface OutboxEntry<Out> {
  msg: Out;
  ackKey?: string;
  /** Sent on the current connection (still kept when it waits for an ack). */
  sent: boolean;
}

/** Where the outbox survives a page reload (localStorage in the browser). */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface ReconnectingSocketOptions<In> {
  url: () => string;
  protocols?: string | string[];
  parse: (raw: unknown) => ParseResult<In>;
  createSocket?: (url: string, protocols?: string | string[]) => SocketLike;
  backoff?: BackoffSettings;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  storage?: OutboxStorage;
  storageKey?: string;
  /** Close codes after which retrying is pointless (e.g. bad token). */
  fatalCloseCodes?: readonly number[];
  /**
   * A connection that delivers nothing for this long is treated as dead and replaced (a silent network
   * partition leaves a WebSocket "open" for minutes). 0 disables. Pair it with `heartbeat`.
   */
  idleTimeoutMs?: number;
  /** Sent every `everyMs` while open so the server has something to answer (a ping). */
  heartbeat?: { everyMs: number; message: () => unknown };
}

export interface ReconnectingSocketEvents<In> {
  message: (msg: In) => void;
  status: (status: ConnectionStatus, detail: { attempt: number; retryInMs?: number; reason?: string }) => void;
  invalid: (error: string) => void;
}

const OPEN = 1;

/**
 * A WebSocket that reconnects with exponential backoff and keeps an outbox.
 * Control messages sent while disconnected are queued and flushed, in order, on the next open.
 * Messages sent with an `ackKey` (pain ratings) stay in the outbox until the server's echo is seen,
 * so a rating sent just before a drop is re-sent after reconnect; the server de-duplicates by that key.
 */
export class ReconnectingSocket<In, Out> {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private timer: unknown = null;
  private idleTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private stopped = false;
  private outbox: OutboxEntry<Out>[] = [];
  private readonly listeners: { [K in keyof ReconnectingSocketEvents<In>]: Set<ReconnectingSocketEvents<In>[K]> } = {
    message: new Set(),
    status: new Set(),
    invalid: new Set(),
  };
  private readonly opts: Required<Omit<ReconnectingSocketOptions<In>, 'protocols' | 'storage' | 'storageKey'>> &
    ReconnectingSocketOptions<In>;
  status: ConnectionStatus = 'closed';

  constructor(options: ReconnectingSocketOptions<In>) {
    this.opts = {
      createSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as SocketLike,
      backoff: backoffDefaultSettings,
      random: Math.random,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      fatalCloseCodes: [4401, 4403, 1008],
      idleTimeoutMs: 0,
      heartbeat: { everyMs: 0, message: () => null },
      ...options,
    };
    this.outbox = this.loadOutbox();
  }

  on<K extends keyof ReconnectingSocketEvents<In>>(event: K, fn: ReconnectingSocketEvents<In>[K]): () => void {
    this.listeners[event].add(fn);
    return () => this.listeners[event].delete(fn);
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.opts.clearTimer(this.timer);
    this.timer = null;
    this.stopLiveness();
    this.socket?.close(1000, 'client stop');
    this.socket = null;
    this.setStatus('closed', { attempt: this.attempt });
  }

  /** Drops the current socket as a network failure would (tests and the "simulate drop" button). */
  dropForTest(): void {
    this.socket?.close(4000, 'dropped by client');
  }

  /** Queues `msg`, sending at once when connected. With `ackKey` it stays queued until acked. */
  send(msg: Out, ackKey?: string): void {
    if (ackKey !== undefined && this.outbox.some((e) => e.ackKey === ackKey)) return;
    this.outbox.push(ackKey === undefined ? { msg, sent: false } : { msg, ackKey, sent: false });
    this.flush(false);
  }

  /** The server confirmed the message with this key; forget it. */
  ack(ackKey: string): void {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((e) => e.ackKey !== ackKey);
    if (this.outbox.length !== before) this.saveOutbox();
  }

  /** Messages not yet confirmed (unsent, or sent with an ackKey and not yet acked). */
  pending(): readonly OutboxEntry<Out>[] {
    return this.outbox;
  }

  private open(): void {
    if (this.stopped) return;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    let sock: SocketLike;
    try {
      sock = this.opts.createSocket(this.opts.url(), this.opts.protocols);
    } catch (e) {
      this.scheduleReconnect(String(e));
      return;
    }
    this.socket = sock;
    sock.onopen = () => {
      if (this.socket !== sock) return;
      this.attempt = 0;
      this.setStatus('open', { attempt: 0 });
      this.armIdle(sock);
      this.beat(sock);
      this.flush(true);
    };
    sock.onmessage = (ev) => {
      if (this.socket !== sock) return;
      this.armIdle(sock);
      let raw: unknown;
      try {
        raw = typeof ev.data === 'string' ? JSON.parse(ev.data) : ev.data;
      } catch {
        this.emit('invalid', `not JSON: ${String(ev.data).slice(0, 80)}`);
        return;
      }
      const r = this.opts.parse(raw);
      if (r.ok) this.emit('message', r.value);
      else this.emit('invalid', r.error);
    };
    sock.onerror = () => {
      // A close event always follows; reconnect is handled there.
    };
    sock.onclose = (ev) => {
      if (this.socket !== sock) return;
      this.socket = null;
      this.stopLiveness();
      if (this.stopped) return;
      if (this.opts.fatalCloseCodes.includes(ev.code)) {
        this.stopped = true;
        this.setStatus('closed', { attempt: this.attempt, reason: ev.reason || `closed with code ${ev.code}` });
        return;
      }
      this.scheduleReconnect(ev.reason || `closed with code ${ev.code}`);
    };
  }

  /** Restarts the idle watchdog; on expiry the socket is abandoned (no waiting for a close handshake). */
  private armIdle(sock: SocketLike): void {
    const ms = this.opts.idleTimeoutMs;
    if (!ms) return;
    if (this.idleTimer !== null) this.opts.clearTimer(this.idleTimer);
    this.idleTimer = this.opts.setTimer(() => {
      this.idleTimer = null;
      if (this.socket !== sock) return;
      this.socket = null;
      this.stopLiveness();
      try {
        sock.close(4000, 'no data');
      } catch {
        // already closing
      }
      this.scheduleReconnect(`no data for ${ms / 1000} s`);
    }, ms);
  }

  private beat(sock: SocketLike): void {
    const { everyMs, message } = this.opts.heartbeat;
    if (!everyMs) return;
    this.heartbeatTimer = this.opts.setTimer(() => {
      this.heartbeatTimer = null;
      if (this.socket !== sock || sock.readyState !== OPEN) return;
      sock.send(JSON.stringify(message()));
      this.beat(sock);
    }, everyMs);
  }

  private stopLiveness(): void {
    if (this.idleTimer !== null) this.opts.clearTimer(this.idleTimer);
    if (this.heartbeatTimer !== null) this.opts.clearTimer(this.heartbeatTimer);
    this.idleTimer = null;
    this.heartbeatTimer = null;
  }

  private scheduleReconnect(reason: string): void {
    const retryInMs = backoffDelayMs(this.attempt, this.opts.random(), this.opts.backoff);
    this.attempt++;
    this.setStatus('reconnecting', { attempt: this.attempt, retryInMs, reason });
    this.timer = this.opts.setTimer(() => {
      this.timer = null;
      this.open();
    }, retryInMs);
  }

  /**
   * Sends what is queued, in order. `afterOpen`: a new connection, so entries still waiting
   * for an ack are sent again (the previous socket may have lost them).
   */
  private flush(afterOpen: boolean): void {
    const sock = this.socket;
    if (sock && sock.readyState === OPEN) {
      const keep: OutboxEntry<Out>[] = [];
      for (const e of this.outbox) {
        if (afterOpen || !e.sent) sock.send(JSON.stringify(e.msg));
        if (e.ackKey !== undefined) keep.push({ ...e, sent: true });
      }
      this.outbox = keep;
    }
    this.saveOutbox();
  }

  private loadOutbox(): OutboxEntry<Out>[] {
    const { storage, storageKey } = this.opts;
    if (!storage || !storageKey) return [];
    try {
      const parsed: unknown = JSON.parse(storage.getItem(storageKey) ?? '[]');
      if (!Array.isArray(parsed)) return [];
      return parsed
        .filter((e): e is { msg: Out; ackKey?: unknown } => typeof e === 'object' && e !== null && 'msg' in e)
        .map((e) =>
          typeof e.ackKey === 'string' ? { msg: e.msg, ackKey: e.ackKey, sent: false } : { msg: e.msg, sent: false },
        );
    } catch {
      return [];
    }
  }

  private saveOutbox(): void {
    const { storage, storageKey } = this.opts;
    if (!storage || !storageKey) return;
    try {
      storage.setItem(storageKey, JSON.stringify(this.outbox.map(({ msg, ackKey }) => ({ msg, ackKey }))));
    } catch {
      // Storage full or disabled: the in-memory outbox still works for this page's lifetime.
    }
  }

  private setStatus(status: ConnectionStatus, detail: { attempt: number; retryInMs?: number; reason?: string }): void {
    this.status = status;
    this.emit('status', status, detail);
  }

  private emit<K extends keyof ReconnectingSocketEvents<In>>(
    event: K,
    ...args: Parameters<ReconnectingSocketEvents<In>[K]>
  ): void {
    for (const fn of this.listeners[event]) (fn as (...a: unknown[]) => void)(...args);
  }
}
