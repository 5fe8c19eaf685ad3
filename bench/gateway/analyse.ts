// Turns one run's stamps (sensor, server, clients) into latencies, losses and a breakdown by stage.
import type { ClientsResult } from './clientsProcess.ts';
import { percentile } from './common.ts';
import type { ServerResult } from './serverProcess.ts';

export interface RunResult {
  /** Notification written by the sensor → message received by a client, over every (message, client). */
  p50: number;
  p99: number;
  max: number;
  /** The same, measured from when the server read the notification (the previous bench's starting point). */
  p99FromRead: number;
  /** Per message: sensor write → server read (socket hop and waiting for the server's event loop). */
  readP99: number;
  /** Per message: server read → send to the last client returned (pipeline + fan-out). */
  serveP50: number;
  serveP99: number;
  /** Per receipt: last send returned → received (negative: the client read it while the server was still sending). */
  afterSendP50: number;
  afterSendP99: number;
  cpuPct: number;
  eluPct: number;
  clientsCpuPct: number;
  gc: ServerResult['gc'];
  messages: number;
  lostEvents: number;
  droppedCharts: number;
  badMessages: number;
}

const sortNum = (a: number[]) => a.sort((x, y) => x - y);

export function analyse(writtenMs: Float64Array, server: ServerResult, clients: ClientsResult): RunResult {
  const firstRead = server.readMs.reduce((m, t) => (t > 0 && t < m ? t : m), Number.POSITIVE_INFINITY);
  // Only what was produced after the clients were connected and the stream started counts.
  const charts = new Map(server.charts.filter(([, , t]) => t >= firstRead).map(([id, i, t]) => [id, [i, t] as const]));
  const events = new Map(server.events.filter(([, , t]) => t >= firstRead).map(([id, i, t]) => [id, [i, t] as const]));
  const lat: number[] = [];
  const latFromRead: number[] = [];
  const afterSend: number[] = [];
  let lostEvents = 0;
  let droppedCharts = 0;
  let badMessages = 0;
  for (const c of clients.clients) {
    badMessages += c.bad;
    const seenEvents = new Set<number>();
    const seenCharts = new Set<number>();
    for (let k = 0; k < c.ids.length; k++) {
      const id = c.ids[k]!;
      const sent = (c.kinds[k] === 0 ? charts : events).get(id);
      if (sent === undefined) continue;
      (c.kinds[k] === 0 ? seenCharts : seenEvents).add(id);
      const [index, sentMs] = sent;
      if (index < 0) continue; // not produced by a notification (e.g. the last chart points at the stream's end)
      const t = c.timesMs[k]!;
      lat.push(t - writtenMs[index]!);
      latFromRead.push(t - server.readMs[index]!);
      afterSend.push(t - sentMs);
    }
    for (const seq of events.keys()) if (!seenEvents.has(seq)) lostEvents++;
    for (const frame of charts.keys()) if (!seenCharts.has(frame)) droppedCharts++;
  }
  const perMessage = [...charts.values(), ...events.values()].filter(([i]) => i >= 0);
  const read = sortNum(perMessage.map(([i]) => server.readMs[i]! - writtenMs[i]!));
  const serve = sortNum(perMessage.map(([i, t]) => t - server.readMs[i]!));
  sortNum(lat);
  sortNum(latFromRead);
  sortNum(afterSend);
  return {
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.at(-1) ?? Number.NaN,
    p99FromRead: percentile(latFromRead, 99),
    readP99: percentile(read, 99),
    serveP50: percentile(serve, 50),
    serveP99: percentile(serve, 99),
    afterSendP50: percentile(afterSend, 50),
    afterSendP99: percentile(afterSend, 99),
    cpuPct: (100 * server.cpuS) / server.wallS,
    eluPct: 100 * server.elu,
    clientsCpuPct: (100 * clients.cpuS) / server.wallS,
    gc: server.gc,
    messages: lat.length,
    lostEvents,
    droppedCharts,
    badMessages,
  };
}
