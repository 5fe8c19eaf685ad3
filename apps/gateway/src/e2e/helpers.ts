import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServerMessage, type ServerMessage, SUBPROTOCOL } from '@hipcue/messages';
import { WebSocket } from 'ws';
import { type Gateway, type GatewayOptions, startGateway } from '../gateway.ts';
import { createMemoryLogger } from '../logger.ts';

export async function tempDir(prefix = 'hipcue-gw-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A gateway on 127.0.0.1:0 with a temporary data dir and an in-memory log. */
export async function testGateway(options: Partial<GatewayOptions> = {}) {
  const log = createMemoryLogger('debug');
  const dataDir = options.dataDir ?? (await tempDir());
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    dashboardDir: join(dataDir, 'no-dashboard'),
    log,
    ...options,
  });
  return { gateway, log, dataDir };
}

/** A hipcue WebSocket client that keeps every server message, validated with the shared schema. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly invalid: string[] = [];
  closed: { code: number; reason: string } | undefined;
  /** `seq` of the newest event received (0 before any). */
  lastSeq = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      // NOTE: chart frames arrive by the ten thousand in the load tests; zod-checking each one costs more than
      // the gateway itself, so they get a structural check (equal column lengths) and everything else the schema.
      if (data.length > 14 && data.toString('latin1', 0, 14) === '{"type":"chart') {
        const m = JSON.parse(data.toString('utf8')) as Extract<ServerMessage, { type: 'chart' }>;
        const n = m.tS.length;
        if (m.tiltDeg.length === n && m.obliquityDeg.length === n && m.rotationDeg.length === n) this.messages.push(m);
        else this.invalid.push(`chart frame ${m.frame} has ragged columns`);
        this.wake();
        return;
      }
      const r = parseServerMessage(data);
      if (r.ok) {
        this.messages.push(r.message);
        if (r.message.type === 'events') this.lastSeq = r.message.events.at(-1)?.seq ?? this.lastSeq;
      } else this.invalid.push(r.error.message);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static async connect(
    gateway: Gateway,
    token: string,
    init: { headers?: Record<string, string>; unixSocket?: string } = {},
  ): Promise<TestClient> {
    const base = init.unixSocket ? `ws+unix:${init.unixSocket}:` : `ws://127.0.0.1:${gateway.port}`;
    const ws = new WebSocket(`${base}/ws?token=${token}`, [SUBPROTOCOL], { headers: init.headers ?? {} });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }

  events() {
    return this.of('events').flatMap((m) => m.events);
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value));
  }

  /** Resolves when `pred` holds (checked on every message), rejects after `timeoutMs`. */
  until(pred: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Tries a WebSocket upgrade and returns the HTTP status it was refused with (or 101). */
export function upgradeStatus(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => undefined);
  });
}
