// The dashboard clients, all in one process beside the server (real dashboards are browsers elsewhere; here they
// share the machine, so the less they do per message, the less of their own work ends up in the latency).
//  - lean (default): a raw TCP socket per client that does the WebSocket handshake itself and, per read, only
//    stamps the time and copies the bytes into a preallocated arena (no frame parsing, no JSON, no allocation per
//    message). Frames are parsed, JSON-parsed and checked after the run, and each message gets the time of the read
//    that completed it.
//  - ws: the `ws` library, JSON.parse on receipt (what a naive client process does; shows that cost).
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { cpuSeconds, hrMs, nextMessage, reply } from './common.ts';

export type ClientImpl = 'lean' | 'ws';

/** One client's receipts: kind 0 = chart frame number, 1 = event seq; time = hrMs() of receipt. */
export interface Receipts {
  kinds: Uint8Array;
  ids: Float64Array;
  timesMs: Float64Array;
  /** Messages that were not valid JSON with a known `type`, or a first message other than `snapshot`. */
  bad: number;
  messages: number;
}
export interface ClientsResult {
  type: 'receipts';
  clients: Receipts[];
  cpuS: number;
}

const KNOWN = new Set(['snapshot', 'events', 'chart', 'error', 'ack', 'pong', 'stats']);

class ReceiptLog {
  kinds = new Uint8Array(4096);
  ids = new Float64Array(4096);
  timesMs = new Float64Array(4096);
  n = 0;
  bad = 0;
  messages = 0;

  message(json: string, t: number, first: boolean): void {
    this.messages++;
    let m: { type?: unknown; frame?: unknown; events?: { seq?: unknown }[] };
    try {
      m = JSON.parse(json);
    } catch {
      this.bad++;
      return;
    }
    if (typeof m.type !== 'string' || !KNOWN.has(m.type) || (first && m.type !== 'snapshot' && m.type !== 'chart')) {
      this.bad++;
      return;
    }
    if (m.type === 'chart' && typeof m.frame === 'number') this.add(0, m.frame, t);
    if (m.type === 'events' && Array.isArray(m.events))
      for (const e of m.events) if (typeof e.seq === 'number') this.add(1, e.seq, t);
  }

  private add(kind: number, id: number, t: number): void {
    if (this.n === this.ids.length) {
      const grow = <T extends Uint8Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.kinds = grow(this.kinds);
      this.ids = grow(this.ids);
      this.timesMs = grow(this.timesMs);
    }
    this.kinds[this.n] = kind;
    this.ids[this.n] = id;
    this.timesMs[this.n++] = t;
  }

  result(): Receipts {
    return {
      kinds: this.kinds.slice(0, this.n),
      ids: this.ids.slice(0, this.n),
      timesMs: this.timesMs.slice(0, this.n),
      bad: this.bad,
      messages: this.messages,
    };
  }
}

/** Lean client: bytes and read times during the run, frames afterwards. */
class LeanClient {
  private arena: Buffer;
  private used = 0;
  private readEnds = new Uint32Array(8192);
  private readTimes = new Float64Array(8192);
  private reads = 0;
  private handshake: Buffer | undefined = Buffer.alloc(0);
  readonly opened: Promise<void>;
  private socket;

  constructor(url: URL, arenaBytes: number, readBuffer: Buffer) {
    this.arena = Buffer.allocUnsafe(arenaBytes);
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    let open!: () => void;
    let fail!: (e: Error) => void;
    this.opened = new Promise((resolve, reject) => {
      open = resolve;
      fail = reject;
    });
    this.socket = connect({
      host: url.hostname,
      port: Number(url.port),
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (nread: number, buf: Uint8Array) => {
          const t = hrMs();
          if (this.handshake === undefined) {
            this.append(buf, 0, nread, t);
            return true;
          }
          const hs = Buffer.concat([this.handshake, buf.subarray(0, nread)]);
          const end = hs.indexOf('\r\n\r\n');
          if (end < 0) {
            this.handshake = hs;
            return true;
          }
          const head = hs.subarray(0, end).toString('latin1');
          if (!/^HTTP\/1\.1 101/.test(head) || !head.includes(accept)) fail(new Error(`handshake refused: ${head}`));
          this.handshake = undefined;
          if (end + 4 < hs.length) this.append(hs, end + 4, hs.length, t);
          open();
          return true;
        },
      },
    });
    this.socket.on('error', fail);
    this.socket.on('connect', () =>
      this.socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: hipcue.v1\r\n\r\n`,
      ),
    );
  }

  private append(src: Uint8Array, from: number, to: number, t: number): void {
    const n = to - from;
    if (this.used + n > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + n));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    this.arena.set(src.subarray(from, to), this.used);
    this.used += n;
    if (this.reads === this.readEnds.length) {
      const ends = new Uint32Array(this.reads * 2);
      ends.set(this.readEnds);
      this.readEnds = ends;
      const times = new Float64Array(this.reads * 2);
      times.set(this.readTimes);
      this.readTimes = times;
    }
    this.readEnds[this.reads] = this.used;
    this.readTimes[this.reads++] = t;
  }

  /** Parses the frames received (server frames: unmasked; text frames, possibly fragmented). */
  receipts(): Receipts {
    this.socket.destroy();
    const log = new ReceiptLog();
    const a = this.arena;
    let pos = 0;
    let read = 0;
    let parts: Buffer[] = [];
    while (pos + 2 <= this.used) {
      const fin = (a[pos]! & 0x80) !== 0;
      const opcode = a[pos]! & 0x0f;
      let len = a[pos + 1]! & 0x7f;
      let header = 2;
      if (len === 126) {
        len = a.readUInt16BE(pos + 2);
        header = 4;
      } else if (len === 127) {
        len = Number(a.readBigUInt64BE(pos + 2));
        header = 10;
      }
      const end = pos + header + len;
      if (end > this.used) break;
      while (this.readEnds[read]! < end) read++;
      if (opcode === 8) break; // close
      if (opcode === 1 || opcode === 0) {
        parts.push(a.subarray(pos + header, end));
        if (fin) {
          log.message(Buffer.concat(parts).toString('utf8'), this.readTimes[read]!, log.messages === 0);
          parts = [];
        }
      }
      pos = end;
    }
    return log.result();
  }
}

/** `ws` library client; parses each message on receipt. */
class WsClient {
  private readonly log = new ReceiptLog();
  readonly opened: Promise<void>;
  private readonly ws: WebSocket;

  constructor(url: URL) {
    this.ws = new WebSocket(url, ['hipcue.v1'], { perMessageDeflate: false });
    this.ws.on('message', (data: Buffer) => {
      const t = hrMs();
      this.log.message(data.toString('utf8'), t, this.log.messages === 0);
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  receipts(): Receipts {
    this.ws.terminate();
    return this.log.result();
  }
}

async function main(): Promise<void> {
  const [, , href, count, impl, seconds] = process.argv;
  const url = new URL(href!);
  const readBuffer = Buffer.allocUnsafe(256 * 1024);
  // ~8 KB/s per client at 50 clients (charts, stats listing every client, events), with room to spare.
  const arenaBytes = 1024 * 1024 + Number(seconds) * 32 * 1024;
  const clients = Array.from({ length: Number(count) }, () =>
    impl === 'ws' ? new WsClient(url) : new LeanClient(url, arenaBytes, readBuffer),
  );
  await Promise.all(clients.map((c) => c.opened));
  await reply({ type: 'ready' });
  await nextMessage('go');
  const cpu0 = cpuSeconds();
  await nextMessage('done');
  const cpuS = cpuSeconds() - cpu0;
  await reply({ type: 'receipts', clients: clients.map((c) => c.receipts()), cpuS } satisfies ClientsResult);
  process.exit(0);
}

void main();
