import { describe, expect, it } from 'vitest';
import { ClockAligner } from './clockAligner.ts';

/** A sensor whose clock runs `rate` fast, started `offsetUs` before the host's zero; arrivals delayed 7.5–37.5 ms. */
function run(rate: number, offsetUs: number, seed: number) {
  const c = new ClockAligner();
  let x = seed;
  const rnd = () => {
    x = (x * 1664525 + 1013904223) % 2 ** 32;
    return x / 2 ** 32;
  };
  const errors: number[] = [];
  for (let hostTrue = 0; hostTrue < 60e6; hostTrue += 40_000) {
    const sensorUs = offsetUs + hostTrue * (1 + rate);
    const delay = 7500 + 30_000 * rnd() ** 2;
    c.observe(sensorUs, hostTrue + delay);
    if (hostTrue > 10e6) errors.push(Math.abs(c.toHostUs(sensorUs) - hostTrue));
  }
  return { c, worstUs: Math.max(...errors) };
}

describe('ClockAligner', () => {
  it('maps a drifting sensor clock onto the host clock within a few ms despite jittery arrivals', () => {
    for (const rate of [-0.005, 0, 0.003]) {
      const { worstUs } = run(rate, 3_000_000_000, 11);
      // the offset is the envelope, i.e. the shortest delay (7.5 ms) plus what the jitter leaves
      expect(worstUs).toBeLessThan(12_000);
    }
  });

  it('toSensorUs inverts toHostUs', () => {
    const { c } = run(0.004, 1e9, 5);
    for (const s of [1e9 + 5e6, 1e9 + 30e6]) expect(c.toSensorUs(c.toHostUs(s))).toBeCloseTo(s, 0);
  });
});
