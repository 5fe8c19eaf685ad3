import { decode, StreamReconstructor } from '@hipcue/firmware-protocol';
import { describe, expect, it } from 'vitest';
import { simulateSession } from './session.ts';
import type { SimSession } from './types.ts';

/** Runs the notifications through the codec's StreamReconstructor, as the gateway does. */
function reconstruct(s: SimSession) {
  const r = new StreamReconstructor();
  const samples: Array<{ seq: number; timeUs: number }> = [];
  const gaps: Array<{ from: number; to: number }> = [];
  const take = (events: ReturnType<StreamReconstructor['feed']>) => {
    for (const e of events) {
      if (e.type === 'samples') for (const x of e.samples) samples.push({ seq: x.seq, timeUs: x.sensorTimeUs });
      else if (e.type === 'gap') gaps.push({ from: e.fromSeq, to: e.toSeq });
      else throw new Error(`unexpected ${e.type}`);
    }
  };
  for (const n of s.notifications) {
    const f = decode(n.bytes);
    if (f.type !== 'imu') throw new Error('not imu');
    take(r.feed(f));
  }
  take(r.flush());
  return { samples, gaps };
}

describe('the codec reconstructs the simulated stream', () => {
  it('across uint16 seq and uint32 sensor-time wraparound, with no gap and times matching tS', () => {
    const s = simulateSession({
      seed: 61,
      exercise: 'glute-bridge',
      side: 'left',
      reps: 6,
      link: { seqStart: 0xfe00, sensorTimeStartUs: 2 ** 32 - 3_000_000 },
    });
    const { samples, gaps } = reconstruct(s);
    expect(gaps).toEqual([]);
    expect(samples.length).toBe(s.samples.tS.length);
    for (let k = 0; k < samples.length; k += 7) {
      expect(samples[k]!.seq - samples[0]!.seq).toBe(k);
      expect(samples[k]!.timeUs - samples[0]!.timeUs).toBe(Math.round(s.samples.tS[k]! * 1e6));
    }
  });

  it('reports exactly the lost samples as gaps on a lossy link with a disconnect', () => {
    const s = simulateSession({
      seed: 62,
      exercise: 'clamshell',
      side: 'right',
      reps: 8,
      link: { lossRate: 0.05, meanBurstLength: 3, disconnect: { startS: 9, durationS: 2 } },
    });
    const { samples, gaps } = reconstruct(s);
    const lost = gaps.reduce((a, g) => a + (g.to - g.from + 1), 0);
    const delivered = s.notifications.length * s.meta.samplesPerNotification;
    expect(samples.length).toBeLessThanOrEqual(delivered);
    expect(samples.length).toBeGreaterThan(delivered - s.meta.samplesPerNotification);
    // every sample between the first and last delivered one is either delivered or in a gap
    expect(samples.length + lost).toBe(samples.at(-1)!.seq - samples[0]!.seq + 1);
    expect(lost).toBeGreaterThan(2 * 200 - 10);
  });
});
