// The server under test, in its own process: either the real gateway or a bare `ws` fan-out (the reference).
// Both read the emulated sensor's notifications from the same kind of loopback socket, so "notification in" is
// the same moment for both: when the sensor process wrote it.
//  - gateway: decode → stream reconstruction → dsp pipeline → events and 25 Hz chart frames → Hub → clients;
//  - reference: per notification, JSON.stringify one small message and `ws.send` it to every client.
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { HIPCUE_UUIDS } from '@hipcue/firmware-protocol';
import { createLogger, type NotificationSource, type RawNotification, startGateway } from '@hipcue/gateway';
import { WebSocketServer } from 'ws';
import { cpuSeconds, END_OF_STREAM, hrMs, nextMessage, RECORD_HEADER_BYTES, reply } from './common.ts';

export type ServerKind = 'gateway' | 'reference';

export interface ServerReady {
  type: 'listening';
  /** Where clients connect (path and credentials included). */
  url: string;
}

/** A message the server sent, tied to the notification whose processing produced it (-1: none). */
export interface ServerResult {
  type: 'result';
  cpuS: number;
  wallS: number;
  /** Event-loop utilization over the run (0..1). */
  elu: number;
  gc: { count: number; totalMs: number; maxMs: number };
  /** hrMs() when notification i was read from the sensor socket. */
  readMs: Float64Array;
  /** Chart frame number / event seq → notification index and hrMs() after the last client's send returned. */
  charts: [frame: number, index: number, sentMs: number][];
  events: [seq: number, index: number, sentMs: number][];
  /** Chart frames the hub itself counted as dropped (gateway only). */
  hubDroppedCharts: number;
}

/** Calls `onRecord` for every notification record on `socket`, `onEnd` at the end-of-stream record. */
function readRecords(
  socket: Socket,
  onRecord: (index: number, hostTimeUs: number, bytes: Uint8Array, readMs: number) => void,
  onEnd: () => void,
): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    const t = hrMs();
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= RECORD_HEADER_BYTES) {
      const len = pending.readUInt16LE(at);
      if (len === END_OF_STREAM) {
        onEnd();
        return;
      }
      if (pending.length - at < RECORD_HEADER_BYTES + len) break;
      const bytes = new Uint8Array(pending.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + len));
      onRecord(pending.readUInt32LE(at + 2), pending.readDoubleLE(at + 6), bytes, t);
      at += RECORD_HEADER_BYTES + len;
    }
    pending = pending.subarray(at);
  });
}

function gcMeter(): () => ServerResult['gc'] {
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.totalMs += e.duration;
      gc.maxMs = Math.max(gc.maxMs, e.duration);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return () => {
    obs.disconnect();
    return gc;
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ServerKind;
  const sensorPort = Number(process.argv[3]);
  const readMs = new Float64Array(Number(process.argv[4]));
  const charts: ServerResult['charts'] = [];
  const events: ServerResult['events'] = [];
  let current = -1; // the notification being processed, while its listeners run
  let started: { cpuS: number; wallMs: number; elu: ReturnType<typeof performance.eventLoopUtilization> } | undefined;
  let gc: (() => ServerResult['gc']) | undefined;
  const markStart = () => {
    started ??= { cpuS: cpuSeconds(), wallMs: hrMs(), elu: performance.eventLoopUtilization() };
    gc ??= gcMeter();
  };
  let ended!: () => void;
  const streamEnded = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const sensor = connect(sensorPort, '127.0.0.1');
  sensor.setNoDelay(true);
  await new Promise((resolve) => sensor.once('connect', resolve));
  let close: () => Promise<void>;
  let hubDropped = () => 0;

  if (kind === 'reference') {
    const wss = new WebSocketServer({
      port: 0,
      host: '127.0.0.1',
      perMessageDeflate: false,
      handleProtocols: () => 'hipcue.v1',
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    readRecords(
      sensor,
      (index, hostTimeUs, bytes, t) => {
        markStart();
        readMs[index] = t;
        // The shape and size of a gateway chart frame (two points per series).
        const tS = Math.round(hostTimeUs / 1e3) / 1e3;
        const json = JSON.stringify({
          type: 'chart',
          frame: index,
          tS: [tS, tS + 0.02],
          tiltDeg: [bytes.length, 0],
          obliquityDeg: [0, 0],
          rotationDeg: [0, 0],
        });
        for (const ws of wss.clients) ws.send(json);
        charts.push([index, index, hrMs()]);
      },
      ended,
    );
    const { port } = wss.address() as { port: number };
    await reply({ type: 'listening', url: `ws://127.0.0.1:${port}/ws` } satisfies ServerReady);
    close = async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    };
  } else {
    const characteristic = HIPCUE_UUIDS.imuData.noble;
    const source: NotificationSource = {
      kind: 'sim',
      simulated: true,
      sensorId: 'sim-pelvis',
      profile: 'hipcue',
      async start(sink) {
        sink.state('streaming');
        readRecords(
          sensor,
          (index, hostTimeUs, bytes, t) => {
            markStart();
            readMs[index] = t;
            current = index;
            const n: RawNotification = { hostTimeUs, sensorId: 'sim-pelvis', characteristic, bytes };
            sink.notification(n);
            current = -1;
          },
          () => {
            sink.end();
            ended();
          },
        );
      },
      async stop() {},
    };
    const dataDir = await mkdtemp(join(tmpdir(), 'hipcue-bench-'));
    const gateway = await startGateway({
      port: 0,
      dataDir,
      record: false,
      maxConnections: 200,
      log: createLogger({ level: 'error' }),
      createSource: async () => source,
    });
    // Subscribed after the hub, so these run once the hub has sent the message to every client.
    gateway.session.subscribe({
      chart: (c) => charts.push([c.frame, current, hrMs()]),
      events: (es) => {
        const t = hrMs();
        for (const e of es) events.push([e.seq, current, t]);
      },
    });
    hubDropped = () => [...gateway.hub.clients.values()].reduce((s, c) => s + c.droppedChartFrames, 0);
    await reply({
      type: 'listening',
      url: `ws://127.0.0.1:${gateway.port}/ws?token=${gateway.tokens.viewer}`,
    } satisfies ServerReady);
    close = async () => {
      await gateway.close();
      await rm(dataDir, { recursive: true, force: true });
    };
  }

  await streamEnded;
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the last messages land
  const s = started!;
  const result: ServerResult = {
    type: 'result',
    cpuS: cpuSeconds() - s.cpuS,
    wallS: (hrMs() - s.wallMs) / 1000,
    elu: performance.eventLoopUtilization(s.elu).utilization,
    gc: gc!(),
    readMs,
    charts,
    events,
    hubDroppedCharts: hubDropped(),
  };
  await reply({ type: 'ended' });
  await nextMessage('report');
  await reply(result);
  await close();
  process.exit(0);
}

void main();
