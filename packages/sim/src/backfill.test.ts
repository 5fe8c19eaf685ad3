import { decode, HISTORY_CAPACITY_SAMPLES, StreamReconstructor } from '@hipcue/firmware-protocol';
import { describe, expect, it } from 'vitest';
import { simulateSession } from './session.ts';
import type { SimSession } from './types.ts';

function reconstruct(s: SimSession) {
  const r = new StreamReconstructor();
  let backfillFrames = 0;
  for (const n of s.notifications) {
    const f = decode(n.bytes);
    if (f.type !== 'imu') throw new Error('not imu');
    if (f.backfill) backfillFrames++;
    r.feed(f);
  }
  r.flush();
  return { stats: r.stats, backfillFrames };
}

describe('protocol v1.1 backfill (issue 8)', () => {
  const base = { exercise: 'hip-thrust' as const, side: 'left' as const, reps: 12, noise: 'typical' as const };

  it('a 5 s drop mid-set costs nothing: every lost sample comes back as BACKFILL', () => {
    const s = simulateSession({ ...base, seed: 81, link: { disconnect: { startS: 12, durationS: 5 }, backfill: {} } });
    const { stats, backfillFrames } = reconstruct(s);
    expect(backfillFrames).toBeGreaterThan(0);
    expect(stats.gaps).toBeGreaterThan(0);
    expect(stats.recoveredSamples).toBeGreaterThan(5 * 200 - 20);
    expect(stats.lostSamples).toBe(0);
    expect(stats.samples + stats.recoveredSamples).toBe(s.samples.tS.length);
  });

  it('without history (a v1.0 sensor) the same drop stays a gap', () => {
    const s = simulateSession({ ...base, seed: 81, link: { disconnect: { startS: 12, durationS: 5 } } });
    const { stats, backfillFrames } = reconstruct(s);
    expect(backfillFrames).toBe(0);
    expect(stats.lostSamples).toBeGreaterThan(5 * 200 - 20);
  });

  it('a drop longer than the history loses exactly what the buffer no longer holds', () => {
    const s = simulateSession({
      ...base,
      seed: 82,
      link: { disconnect: { startS: 10, durationS: 14 }, backfill: { requestDelayS: 0.5 } },
    });
    const { stats } = reconstruct(s);
    const gap = stats.lostSamples + stats.recoveredSamples;
    expect(gap).toBeGreaterThan(14 * 200 - 20);
    // the history holds 2048 samples when the request arrives 0.5 s after the link is back; the newest ~100 of them
    // (since the reconnect) were delivered live, so the gap gets the other ~1948 back (± two 8-sample frames)
    expect(stats.recoveredSamples).toBeGreaterThan(HISTORY_CAPACITY_SAMPLES - 0.5 * 200 - 20);
    expect(stats.recoveredSamples).toBeLessThan(HISTORY_CAPACITY_SAMPLES - 0.5 * 200 + 20);
    expect(stats.lostSamples).toBe(gap - stats.recoveredSamples);
    expect(stats.samples + stats.recoveredSamples + stats.lostSamples).toBe(s.samples.tS.length);
  });
});
