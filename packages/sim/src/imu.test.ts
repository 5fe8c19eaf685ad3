import { accLsbMps2, gyrLsbRadPerS } from '@hipcue/firmware-protocol';
import { describe, expect, it } from 'vitest';
import { AxisTriad, BMI270_TYPICAL } from './imu.ts';
import { Rng } from './prng.ts';
import { DEG } from './quat.ts';

describe('IMU axis triad', () => {
  it('white noise has σ = density·√(fs/2) and the offset is the drawn bias', () => {
    const fs = 200;
    const density = BMI270_TYPICAL.gyrNoiseDensityDps * DEG;
    const t = new AxisTriad(new Rng(3), density, 0.5 * DEG, 0, 0, 0, 1 / fs, gyrLsbRadPerS(4), false);
    const n = 50_000;
    const out = new Float64Array(3);
    const zero = new Float64Array(3);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      t.measure(zero, 0, out, 0);
      s += out[0]!;
      s2 += out[0]! ** 2;
    }
    const mean = s / n;
    const sd = Math.sqrt(s2 / n - mean * mean);
    expect(mean).toBeCloseTo(t.initialBias[0], 4);
    expect(sd / (density * Math.sqrt(fs / 2))).toBeGreaterThan(0.97);
    expect(sd / (density * Math.sqrt(fs / 2))).toBeLessThan(1.03);
  });

  it('quantizes to whole LSBs and saturates at the int16 full scale (range clipping)', () => {
    const lsb = accLsbMps2(1); // ±4 g
    const t = new AxisTriad(new Rng(4), 0, 0, 0, 0, 0, 1 / 200, lsb, true);
    const out = new Float64Array(3);
    t.measure([5 * 9.80665, -5 * 9.80665, 1.234567], 0, out, 0);
    expect(out[0]).toBe(32767 * lsb);
    expect(out[1]).toBe(-32768 * lsb);
    expect(out[2]! / lsb).toBe(Math.round(1.234567 / lsb));
  });

  it('applies scale and cross-axis errors of the configured size', () => {
    const t = new AxisTriad(new Rng(5), 0, 0, 0, 0.01, 0.01, 1 / 200, 1, false);
    const out = new Float64Array(3);
    t.measure([1, 0, 0], 0, out, 0);
    expect(out[0]).not.toBe(1);
    expect(Math.abs(out[0]! - 1)).toBeLessThan(0.05);
    expect(Math.abs(out[1]!)).toBeGreaterThan(0);
    expect(Math.abs(out[1]!)).toBeLessThan(0.05);
  });
});
