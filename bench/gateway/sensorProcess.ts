// The emulated pelvis sensor: plays pre-generated simulated notifications (200 Hz, at their host times, real time)
// over a loopback TCP connection to the server under test, the way BLE notifications reach the gateway through a
// kernel socket. Each record is stamped with hrMs() just before it is written: that is "notification in".
import { createServer, type Socket } from 'node:net';
import { Player, type RawNotification, SimSource } from '@hipcue/gateway';
import { END_OF_STREAM, hrMs, nextMessage, RECORD_HEADER_BYTES, reply } from './common.ts';

export interface SensorReady {
  type: 'listening';
  port: number;
  notifications: number;
}
export interface SensorDone {
  type: 'stamps';
  /** hrMs() at which notification i was written. */
  writtenMs: Float64Array;
  cpuS: number;
}

function pregenerate(seconds: number): RawNotification[] {
  const blocks = Math.ceil(seconds / 30) + 1;
  const sim = new SimSource({
    exercise: 'hip-thrust',
    side: 'left',
    seed: 42,
    speed: 1,
    maxBlocks: blocks,
    useWorker: false,
  });
  const all: RawNotification[] = [];
  for (let n = sim.next(); n; n = sim.next()) all.push(n);
  const t0 = all[0]!.hostTimeUs;
  return all.filter((n) => n.hostTimeUs - t0 <= seconds * 1e6);
}

function record(n: RawNotification, index: number): Buffer {
  const b = Buffer.allocUnsafe(RECORD_HEADER_BYTES + n.bytes.length);
  b.writeUInt16LE(n.bytes.length, 0);
  b.writeUInt32LE(index, 2);
  b.writeDoubleLE(n.hostTimeUs, 6);
  b.set(n.bytes, RECORD_HEADER_BYTES);
  return b;
}

async function main(): Promise<void> {
  const notifications = pregenerate(Number(process.argv[2]));
  const records = notifications.map(record);
  const writtenMs = new Float64Array(records.length);
  const connected = new Promise<Socket>((resolve) => {
    const server = createServer((s) => {
      s.setNoDelay(true);
      server.close();
      resolve(s);
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      void reply({ type: 'listening', port, notifications: records.length } satisfies SensorReady);
    });
  });
  const socket = await connected;
  await nextMessage('go');
  const cpu0 = process.cpuUsage();
  let i = 0;
  await new Promise<void>((resolve) => {
    new Player(
      () => notifications[i],
      () => {
        writtenMs[i] = hrMs();
        socket.write(records[i]!);
        i++;
      },
      resolve,
      1,
    ).start();
  });
  const end = Buffer.alloc(RECORD_HEADER_BYTES);
  end.writeUInt16LE(END_OF_STREAM, 0);
  socket.end(end);
  const cpu = process.cpuUsage(cpu0);
  await reply({ type: 'stamps', writtenMs, cpuS: (cpu.user + cpu.system) / 1e6 } satisfies SensorDone);
  process.exit(0);
}

void main();
