// Clinic relay at scale (issue 9): N simulated gateways × M viewers through a real nats-server on loopback.
// Each gateway publishes what a real one does, at its real rate: the message stream of a simulated hip-thrust
// session (chart frames on core NATS, session events to JetStream with message ids, acknowledged one at a time).
// Each viewer subscribes to every patient's live chart and event subjects. Reported: end-to-end latency
// (publish → viewer receive, same host clock) p50/p99 for events and charts, events lost, and nats-server CPU.
//
//   node_modules/.bin/tsx bench/relay.ts [--configs 50x5,200x10] [--seconds 10]
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HIPCUE_UUIDS } from '@hipcue/firmware-protocol';
import { SessionCore } from '@hipcue/gateway';
import { subjects } from '@hipcue/relay';
import { startNatsServer } from '@hipcue/relay/testing';
import { simulateSession } from '@hipcue/sim';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';

const { values } = parseArgs({ options: { configs: { type: 'string' }, seconds: { type: 'string' } } });
const configs = (values.configs ?? '50x5,200x10').split(',').map((c) => c.split('x').map(Number) as [number, number]);
const seconds = Number(values.seconds ?? 10);

/** One real session's outgoing messages with their session times: what a gateway sends to the relay. */
function sessionMessages() {
  const sim = simulateSession({ seed: 5, exercise: 'hip-thrust', side: 'left', sets: 1, reps: 10 });
  const out: { tS: number; kind: 'chart' | 'event'; json: string }[] = [];
  const core = new SessionCore({
    sessionId: 'bench',
    patientLabel: 'P',
    source: 'sim',
    simulated: true,
    exercise: 'hip-thrust',
    side: 'left',
    startedAt: '',
    sensorId: 'sim-pelvis',
    profile: 'hipcue',
  });
  core.subscribe({
    events: (es) => {
      for (const e of es) out.push({ tS: e.tS, kind: 'event', json: JSON.stringify(e) });
    },
    chart: (c) => out.push({ tS: c.tS.at(-1) ?? 0, kind: 'chart', json: JSON.stringify(c) }),
  });
  for (const n of sim.notifications) core.ingest({ ...n, characteristic: HIPCUE_UUIDS.imuData.noble });
  core.finish();
  return { messages: out.sort((a, b) => a.tS - b.tS), durationS: sim.meta.durationS };
}

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (100 Hz)
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN;
}

async function run(n: number, m: number, stream: ReturnType<typeof sessionMessages>) {
  const dir = await mkdtemp(join(tmpdir(), 'hipcue-relay-bench-'));
  const patients = Array.from({ length: n }, (_, i) => `P${String(i).padStart(4, '0')}`);
  const server = await startNatsServer({ dir, patients, therapists: {} });
  const admin = { servers: server.url, user: server.admin.user, pass: server.admin.password };
  const eventLat: number[] = [];
  const chartLat: number[] = [];
  let eventsReceived = 0;
  const viewers: NatsConnection[] = [];
  for (let v = 0; v < m; v++) {
    const nc = await connect(admin);
    viewers.push(nc);
    for (const [subject, lat, isEvent] of [
      ['hipcue.events.>', eventLat, true],
      ['hipcue.live.*.chart', chartLat, false],
    ] as const) {
      const sub = nc.subscribe(subject);
      void (async () => {
        for await (const msg of sub) {
          const sent = Number(msg.headers?.get('sent-ns'));
          if (Number.isFinite(sent)) lat.push(Number(process.hrtime.bigint() - BigInt(sent)) / 1e6);
          if (isEvent) eventsReceived++;
        }
      })();
    }
    await nc.flush();
  }
  const gateways = await Promise.all(patients.map(() => connect(admin)));
  const cpu0 = cpuSeconds(server.pid);
  const t0 = performance.now();
  let eventsSent = 0;
  // Each gateway starts at a random offset into the session so publications spread like real patients'.
  await Promise.all(
    gateways.map(async (nc, gi) => {
      const js = jetstream(nc);
      const pid = patients[gi]!;
      const offset = (gi * 7.3) % Math.max(1, stream.durationS - seconds);
      const msgs = stream.messages.filter((x) => x.tS >= offset && x.tS < offset + seconds);
      for (const [k, x] of msgs.entries()) {
        const due = (x.tS - offset) * 1000 - (performance.now() - t0);
        if (due > 0) await new Promise((r) => setTimeout(r, due));
        const h = headers();
        h.set('sent-ns', String(process.hrtime.bigint()));
        if (x.kind === 'chart') nc.publish(subjects.liveChart(pid), x.json, { headers: h });
        else {
          await js.publish(subjects.events(pid, 'bench'), x.json, { msgID: `${gi}:${k}`, headers: h });
          eventsSent++;
        }
      }
    }),
  );
  await new Promise((r) => setTimeout(r, 500));
  const wall = (performance.now() - t0) / 1000;
  const cpu = (cpuSeconds(server.pid) - cpu0) / wall;
  for (const nc of [...gateways, ...viewers]) await nc.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  eventLat.sort((a, b) => a - b);
  chartLat.sort((a, b) => a - b);
  return {
    n,
    m,
    eventsSent,
    eventsLost: eventsSent * m - eventsReceived,
    event: [pct(eventLat, 0.5), pct(eventLat, 0.99)],
    chart: [pct(chartLat, 0.5), pct(chartLat, 0.99)],
    charts: chartLat.length,
    cpu,
  };
}

const stream = sessionMessages();
const perS = (k: 'chart' | 'event') => stream.messages.filter((x) => x.kind === k).length / stream.durationS;
const bytesPerS = stream.messages.reduce((s, x) => s + x.json.length, 0) / stream.durationS;
console.log(
  `per patient: ${perS('chart').toFixed(1)} chart frames/s, ${perS('event').toFixed(2)} events/s, ${(bytesPerS / 1024).toFixed(1)} KiB/s of JSON`,
);
console.log(
  '| gateways × viewers | events sent | events lost | event p50 / p99 ms | chart p50 / p99 ms | chart msgs | nats-server CPU |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [n, m] of configs) {
  const r = await run(n, m, stream);
  console.log(
    `| ${r.n} × ${r.m} | ${r.eventsSent} | ${r.eventsLost} | ${r.event[0]!.toFixed(2)} / ${r.event[1]!.toFixed(2)} | ${r.chart[0]!.toFixed(2)} / ${r.chart[1]!.toFixed(2)} | ${r.charts} | ${(100 * r.cpu).toFixed(1)} % |`,
  );
}
