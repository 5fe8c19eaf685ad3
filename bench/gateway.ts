// Gateway latency and CPU: notification in → WebSocket message out, at 200 Hz, with 1, 10 and 50 clients on loopback.
// Run from the repository root:  node_modules/.bin/tsx bench/gateway.ts [--seconds 20] [--clients 1,10,50]
//
// For each client count, two servers are measured in the same run on the same notification schedule:
//  - baseline: a bare `ws` server that, per notification, serializes one small JSON message and sends it to every
//    client (the cost of fan-out alone: no decoding, no pipeline, no queues);
//  - gateway: the real gateway (decode → stream reconstruction → dsp pipeline → events and 25 Hz chart batches →
//    per-client queues), fed by a source that replays pre-generated simulated notifications at their host times.
// Clients run in a child process, so their work is not counted as gateway CPU. Latency = receive time in the child
// minus the time the producing notification entered the server (both on performance.timeOrigin + now(), which is
// comparable across processes on one machine). CPU = process.cpuUsage() of this process over the run / wall time.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createLogger,
  type Gateway,
  type NotificationSource,
  Player,
  type RawNotification,
  SimSource,
  startGateway,
} from '@hipcue/gateway';
import { WebSocket, WebSocketServer } from 'ws';

const wallMs = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- child: the clients
type Receipt = [kind: 0 | 1, id: number, recvMs: number]; // 0 = chart frame number, 1 = event seq

async function runClients(url: string, n: number): Promise<void> {
  const receipts: Receipt[][] = [];
  const sockets: WebSocket[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, i) => {
      const r: Receipt[] = [];
      receipts.push(r);
      const ws = new WebSocket(url, ['hipcue.v1']);
      sockets.push(ws);
      ws.on('message', (data: Buffer) => {
        const t = wallMs();
        const m = JSON.parse(data.toString('utf8')) as { type: string; frame?: number; events?: { seq: number }[] };
        if (m.type === 'chart') r.push([0, m.frame!, t]);
        else if (m.type === 'events') for (const e of m.events!) r.push([1, e.seq, t]);
      });
      return new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
        void i;
      });
    }),
  );
  process.send!({ type: 'ready' });
  process.on('message', (msg: { type: string }) => {
    if (msg.type !== 'done') return;
    for (const s of sockets) s.close();
    process.send!({ type: 'receipts', receipts }, () => process.exit(0));
  });
}

// ---------------------------------------------------------------- parent: servers and measurement
function startChild(url: string, n: number): Promise<{ child: ChildProcess; collect: () => Promise<Receipt[][]> }> {
  const child = fork(import.meta.filename, ['--child', url, String(n)], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (msg: { type: string }) => {
      if (msg.type !== 'ready') return;
      resolve({
        child,
        collect: () =>
          new Promise((res) => {
            child.on('message', (m: { type: string; receipts?: Receipt[][] }) => {
              if (m.type === 'receipts') res(m.receipts!);
            });
            child.send({ type: 'done' });
          }),
      });
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Result {
  p50: number;
  p99: number;
  max: number;
  cpuPct: number;
  messages: number;
  lostEvents: number;
  droppedCharts: number;
}

function summarize(
  receipts: Receipt[][],
  sentAt: { chart: Map<number, number>; event: Map<number, number> },
  cpuS: number,
  wallS: number,
): Result {
  const lat: number[] = [];
  let lostEvents = 0;
  let droppedCharts = 0;
  for (const r of receipts) {
    const seenEvents = new Set<number>();
    let charts = 0;
    for (const [kind, id, t] of r) {
      const t0 = (kind === 0 ? sentAt.chart : sentAt.event).get(id);
      if (t0 !== undefined) lat.push(t - t0);
      if (kind === 1) seenEvents.add(id);
      else if (t0 !== undefined) charts++;
    }
    for (const seq of sentAt.event.keys()) if (!seenEvents.has(seq)) lostEvents++;
    droppedCharts += sentAt.chart.size - charts;
  }
  lat.sort((a, b) => a - b);
  return {
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.at(-1) ?? Number.NaN,
    cpuPct: (100 * cpuS) / wallS,
    messages: lat.length,
    lostEvents,
    droppedCharts,
  };
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The notifications of `blocks` simulated sets, generated before timing starts. */
function pregenerate(blocks: number): RawNotification[] {
  const sim = new SimSource({ exercise: 'hip-thrust', side: 'left', seed: 42, speed: 1, maxBlocks: blocks });
  const out: RawNotification[] = [];
  for (let n = sim.next(); n; n = sim.next()) out.push(n);
  return out;
}

/** Plays pre-generated notifications at their host times (real time) once `go` resolves, then ends. */
function arraySource(notifications: RawNotification[], seconds: number, go: Promise<void>): NotificationSource {
  const t0 = notifications[0]!.hostTimeUs;
  const slice = notifications.filter((n) => n.hostTimeUs - t0 <= seconds * 1e6);
  let i = 0;
  let player: Player | undefined;
  return {
    kind: 'sim',
    simulated: true,
    sensorId: 'sim-pelvis',
    profile: 'hipcue',
    async start(sink) {
      sink.state('streaming');
      void go.then(() => {
        player = new Player(
          () => slice[i++],
          (n) => sink.notification(n),
          () => sink.end(),
          1,
        );
        player.start();
      });
    },
    async stop() {
      player?.stop();
    },
  };
}

async function benchGateway(notifications: RawNotification[], seconds: number, clients: number): Promise<Result> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hipcue-bench-'));
  let go!: () => void;
  const clientsReady = new Promise<void>((resolve) => {
    go = resolve;
  });
  const gateway: Gateway = await startGateway({
    port: 0,
    dataDir,
    record: false,
    maxConnections: 200,
    log: createLogger({ level: 'error' }),
    createSource: async () => arraySource(notifications, seconds, clientsReady),
  });
  const sentAt = { chart: new Map<number, number>(), event: new Map<number, number>() };
  gateway.session.subscribe({
    chart: (c) => {
      const t = gateway.session.ingestMs;
      if (t !== undefined) sentAt.chart.set(c.frame, performance.timeOrigin + t);
    },
    events: (es) => {
      const t = gateway.session.ingestMs;
      if (t !== undefined) for (const e of es) sentAt.event.set(e.seq, performance.timeOrigin + t);
    },
  });
  const { collect } = await startChild(`ws://127.0.0.1:${gateway.port}/ws?token=${gateway.tokens.viewer}`, clients);
  const cpu0 = cpuSeconds();
  const wall0 = performance.now();
  go();
  await gateway.session.whenEnded();
  await new Promise((r) => setTimeout(r, 300)); // let the last messages land
  const cpuS = cpuSeconds() - cpu0;
  const wallS = (performance.now() - wall0) / 1000;
  const receipts = await collect();
  await gateway.close();
  return summarize(receipts, sentAt, cpuS, wallS);
}

async function benchBaseline(notifications: RawNotification[], seconds: number, clients: number): Promise<Result> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'hipcue.v1' });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as AddressInfo).port;
  const { collect } = await startChild(`ws://127.0.0.1:${port}/ws`, clients);
  const sentAt = { chart: new Map<number, number>(), event: new Map<number, number>() };
  let frame = 0;
  const cpu0 = cpuSeconds();
  const wall0 = performance.now();
  await new Promise<void>((resolve) => {
    const t0 = notifications[0]!.hostTimeUs;
    const slice = notifications.filter((n) => n.hostTimeUs - t0 <= seconds * 1e6);
    let i = 0;
    const player = new Player(
      () => slice[i++],
      (n) => {
        const t = wallMs();
        const id = frame++;
        sentAt.chart.set(id, t);
        const json = JSON.stringify({ type: 'chart', frame: id, bytes: n.bytes.length, tS: [t], tiltDeg: [0] });
        for (const ws of wss.clients) ws.send(json);
      },
      () => resolve(),
      1,
    );
    player.start();
  });
  await new Promise((r) => setTimeout(r, 300));
  const cpuS = cpuSeconds() - cpu0;
  const wallS = (performance.now() - wall0) / 1000;
  const receipts = await collect();
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  return summarize(receipts, sentAt, cpuS, wallS);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '20' }, clients: { type: 'string', default: '1,10,50' } },
  });
  const seconds = Number(values.seconds);
  const counts = values.clients.split(',').map(Number);
  console.log(
    `hipcue gateway bench: ${seconds} s of a simulated 200 Hz pelvis sensor per run, clients ${counts.join('/')}`,
  );
  const notifications = pregenerate(Math.ceil(seconds / 30) + 1);
  console.log(`(${notifications.length} notifications pre-generated; Node ${process.version}, loopback)\n`);
  const fmt = (x: number) => x.toFixed(2).padStart(7);
  console.log('clients | server   | p50 ms  | p99 ms  | max ms  | CPU %  | msgs out | lost events | dropped charts');
  for (const n of counts) {
    const base = await benchBaseline(notifications, seconds, n);
    const gw = await benchGateway(notifications, seconds, n);
    for (const [name, r] of [
      ['ws echo', base],
      ['gateway', gw],
    ] as const) {
      console.log(
        `${String(n).padStart(7)} | ${name.padEnd(8)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${r.cpuPct.toFixed(1).padStart(6)} | ${String(r.messages).padStart(8)} | ${String(r.lostEvents).padStart(11)} | ${String(r.droppedCharts).padStart(14)}`,
      );
    }
    console.log(
      `${''.padStart(7)} | ratio    | ${fmt(gw.p50 / base.p50)} | ${fmt(gw.p99 / base.p99)} |         | ${(gw.cpuPct / base.cpuPct).toFixed(1).padStart(6)} |`,
    );
  }
  console.log('\nTarget: gateway p99 < 5 ms at 50 clients with no lost events.');
}

if (process.argv[2] === '--child') {
  void runClients(process.argv[3]!, Number(process.argv[4]));
} else {
  main().then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err.stack);
      process.exit(1);
    },
  );
}
