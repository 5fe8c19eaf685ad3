// Worker thread for SimSource: generates the next simulated block off the event loop.
// Loaded only when the gateway runs under tsx (workers inherit its loader through execArgv).
import { parentPort } from 'node:worker_threads';
import { type SessionSpec, simulateSession } from '@hipcue/sim';

parentPort?.on('message', (msg: { id: number; spec: SessionSpec }) => {
  try {
    const sim = simulateSession(msg.spec);
    const notifications = sim.notifications.map((n) => ({
      hostTimeUs: n.hostTimeUs,
      sensorId: n.sensorId,
      bytes: n.bytes,
    }));
    parentPort?.postMessage({ id: msg.id, notifications, mounting: sim.meta.mountingQuat });
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
