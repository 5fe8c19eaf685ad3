import { simulateSession } from './session.ts';
import type { SessionSpec, SimSession } from './types.ts';

/**
 * An endless simulated patient for the gateway: successive sessions (each a calibration hold and `sets` sets,
 * default 3) whose sequence numbers, sensor clock and host times continue from one session to the next, with a
 * 5 s pause in between. Session i uses seed `seed + i`. Replay each session's notifications at their
 * `hostTimeUs` (shifted to the wall clock) to stream in real time.
 */
export function* liveSessions(base: Omit<SessionSpec, 'seed'>, seed: number): Generator<SimSession, never, void> {
  let link = { ...base.link };
  for (let i = 0; ; i++) {
    const s = simulateSession({ sets: 3, ...base, link, seed: (seed + i) >>> 0 });
    yield s;
    const n = s.samples.tS.length;
    const last = s.samples.tS[n - 1] ?? 0;
    const pauseS = 5;
    link = {
      ...link,
      seqStart: (s.meta.seqStart + n + Math.round(pauseS * s.meta.sampleRateHz)) & 0xffff,
      sensorTimeStartUs: Math.round(s.meta.sensorTimeStartUs + (last + pauseS) * 1e6) % 2 ** 32,
      hostStartUs: s.meta.hostStartUs + Math.round((s.meta.durationS + pauseS) * 1e6),
    };
  }
}
