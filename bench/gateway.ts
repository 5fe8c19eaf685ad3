// Gateway latency and CPU: notification in → WebSocket message out, at 200 Hz, with 1, 10 and 50 clients on loopback.
// Run from the repository root:  node_modules/.bin/tsx bench/gateway.ts [--seconds 20] [--clients 1,10,50] [--rounds 3]
//
// Four processes per run, stamping with one clock (CLOCK_MONOTONIC, hrMs):
//   sensor  (bench/gateway/sensorProcess.ts)  plays pre-generated simulated notifications at their host times over a
//           loopback TCP socket, as BLE notifications reach the gateway through a kernel socket; "in" = its write;
//   server  (bench/gateway/serverProcess.ts)  the real gateway, or the reference: a bare `ws` server that sends one
//           chart-sized message per notification to every client (fan-out alone: no pipeline, no queues);
//   clients (bench/gateway/clientsProcess.ts) N WebSocket clients that stamp each read and parse after the run;
//   this process, which only orchestrates and is idle during the run.
// Each round runs both servers back to back on the same notifications, alternating which goes first; the summary
// gives the median over rounds with the spread, and gateway / reference ratios taken within each round.
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { analyse, type RunResult } from './gateway/analyse.ts';
import type { ClientImpl, ClientsResult } from './gateway/clientsProcess.ts';
import { median, nextMessage } from './gateway/common.ts';
import type { SensorDone, SensorReady } from './gateway/sensorProcess.ts';
import type { ServerKind, ServerReady, ServerResult } from './gateway/serverProcess.ts';

const spawn = (file: string, args: string[]): ChildProcess =>
  fork(new URL(`./gateway/${file}`, import.meta.url), args, {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
  });

/** Busy and total jiffies of the whole machine (Linux), to tell how much else was running. */
function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const v = f.map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - v[3]! - v[4]!, total };
  } catch {
    return undefined;
  }
}

interface Run extends RunResult {
  /** CPU cores' worth used by other processes on the machine during the run (not ours). */
  otherCores: number;
  load1: number;
}

async function runOnce(kind: ServerKind, clients: number, seconds: number, impl: ClientImpl): Promise<Run> {
  const sensor = spawn('sensorProcess.ts', [String(seconds)]);
  const { port, notifications } = await nextMessage<SensorReady>('listening', sensor);
  const server = spawn('serverProcess.ts', [kind, String(port), String(notifications)]);
  const { url } = await nextMessage<ServerReady>('listening', server);
  const client = spawn('clientsProcess.ts', [url, String(clients), impl, String(seconds)]);
  await nextMessage('ready', client);
  const load1 = loadavg()[0]!;
  const j0 = machineJiffies();
  client.send({ type: 'go' });
  sensor.send({ type: 'go' });
  const sensorDone = await nextMessage<SensorDone>('stamps', sensor);
  await nextMessage('ended', server);
  const j1 = machineJiffies();
  client.send({ type: 'done' });
  const received = await nextMessage<ClientsResult>('receipts', client);
  server.send({ type: 'report' });
  const served = await nextMessage<ServerResult>('result', server);
  await Promise.all(
    [sensor, server, client].map((p) => new Promise((r) => (p.exitCode === null ? p.once('exit', r) : r(0)))),
  );
  const r = analyse(sensorDone.writtenMs, served, received);
  const ours = served.cpuS + received.cpuS + sensorDone.cpuS;
  const otherCores =
    j0 && j1
      ? Math.max(0, ((j1.busy - j0.busy) / (j1.total - j0.total)) * cpus().length - ours / served.wallS)
      : Number.NaN;
  return { ...r, otherCores, load1 };
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const spread = (xs: number[], fmt: (x: number) => string) =>
  xs.length > 1 ? `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]` : fmt(xs[0]!);

function printRun(round: number, n: number, kind: ServerKind, r: Run): void {
  console.log(
    `round ${round} ${String(n).padStart(2)} clients ${kind.padEnd(9)} p50 ${f2(r.p50)} p99 ${f2(r.p99)} max ${f2(r.max)} ms` +
      ` | read p99 ${f2(r.readP99)}, serve p50/p99 ${f2(r.serveP50)}/${f2(r.serveP99)}, after send p50/p99 ${f2(r.afterSendP50)}/${f2(r.afterSendP99)}` +
      ` | p99 from read ${f2(r.p99FromRead)} | CPU ${f1(r.cpuPct)} % (loop busy ${f1(r.eluPct)} %), clients ${f1(r.clientsCpuPct)} %` +
      ` | GC ${r.gc.count}× max ${f2(r.gc.maxMs)} ms | ${r.messages} msgs, lost ${r.lostEvents}, dropped ${r.droppedCharts}, bad ${r.badMessages}` +
      ` | others ${f2(r.otherCores)} cores, load ${f2(r.load1)}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      clients: { type: 'string', default: '1,10,50' },
      rounds: { type: 'string', default: '3' },
      'client-impl': { type: 'string', default: 'lean' },
      servers: { type: 'string', default: 'reference,gateway' },
    },
  });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const counts = values.clients.split(',').map(Number);
  const impl = values['client-impl'] as ClientImpl;
  const kinds = values.servers.split(',') as ServerKind[];
  console.log(
    `hipcue gateway bench: ${seconds} s of a simulated 200 Hz pelvis sensor per run, clients ${counts.join('/')}, ` +
      `${rounds} rounds, ${impl} clients; Node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map(f2).join(' ')}\n`,
  );
  const results = new Map<string, Run[]>();
  for (let round = 1; round <= rounds; round++) {
    for (const n of counts) {
      const order = round % 2 === 1 ? kinds : [...kinds].reverse();
      for (const kind of order) {
        const r = await runOnce(kind, n, seconds, impl);
        printRun(round, n, kind, r);
        const key = `${n} ${kind}`;
        results.set(key, [...(results.get(key) ?? []), r]);
      }
    }
  }
  console.log(`\nMedian over ${rounds} rounds [min–max]; latency in ms; CPU = server process CPU time / wall time.\n`);
  console.log('| clients | server | p50 ms | p99 ms | max ms | CPU % | messages | lost events | dropped charts |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of counts)
    for (const kind of kinds) {
      const rs = results.get(`${n} ${kind}`)!;
      const col = (k: keyof RunResult, fmt: (x: number) => string) =>
        spread(
          rs.map((r) => r[k] as number),
          fmt,
        );
      const sum = (k: 'lostEvents' | 'droppedCharts' | 'messages') =>
        rs.reduce((s, r) => s + r[k], 0).toLocaleString('en');
      console.log(
        `| ${n} | ${kind} | ${col('p50', f2)} | ${col('p99', f2)} | ${col('max', f1)} | ${col('cpuPct', f1)} | ${sum('messages')} | ${sum('lostEvents')} | ${sum('droppedCharts')} |`,
      );
    }
  if (kinds.length === 2) {
    console.log('\n| clients | gateway / reference: p50 | p99 | CPU |');
    console.log('| ---: | ---: | ---: | ---: |');
    for (const n of counts) {
      const [a, b] = kinds.map((k) => results.get(`${n} ${k}`)!);
      const ratio = (k: keyof RunResult) =>
        spread(
          b!.map((r, i) => (r[k] as number) / (a![i]![k] as number)),
          f2,
        );
      console.log(`| ${n} | ${ratio('p50')} | ${ratio('p99')} | ${ratio('cpuPct')} |`);
    }
  }
  const others = [...results.values()].flat().map((r) => r.otherCores);
  console.log(`\nOther processes on the machine during the runs: ${spread(others, f2)} cores.`);
  console.log('Target: gateway p99 < 5 ms at 50 clients with no lost events.');
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.stack);
    process.exit(1);
  },
);
