import { describe, expect, it } from 'vitest';
import { inclinationErrorDeg, orientationErrorRmse } from './broadMetric.ts';
import { quatFromAxisAngle, quatMultiply } from './testing.ts';

const DEG = Math.PI / 180;

function pack(...qs: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(4 * qs.length);
  qs.forEach((q, i) => {
    for (let k = 0; k < 4; k++) out[4 * i + k] = q[k]!;
  });
  return out;
}

// acos near 1 loses precision (2·acos(1 − ε) ≈ 2√(2ε)), so "zero" means below 1e-4°.
describe('BROAD error metric', () => {
  const truth = quatMultiply(quatFromAxisAngle(0, 0, 1, 1.1), quatFromAxisAngle(0.6, 0.8, 0, 0.4));

  it('is zero for a perfect estimate, also with the quaternion sign flipped', () => {
    const e = orientationErrorRmse(
      pack(
        truth,
        truth.map((v) => -v),
      ),
      pack(truth, truth),
    );
    expect(e.count).toBe(2);
    expect(e.inclinationDeg).toBeLessThan(1e-4);
    expect(e.totalDeg).toBeLessThan(1e-4);
  });

  it('separates heading (earth z) from inclination (earth x/y) errors', () => {
    const headingOff = quatMultiply(quatFromAxisAngle(0, 0, 1, 30 * DEG), truth);
    const h = orientationErrorRmse(pack(headingOff), pack(truth));
    expect(h.inclinationDeg).toBeLessThan(1e-4);
    expect(h.headingDeg).toBeCloseTo(30, 6);
    expect(h.totalDeg).toBeCloseTo(30, 6);
    const tiltOff = quatMultiply(quatFromAxisAngle(1, 0, 0, 10 * DEG), truth);
    const t = orientationErrorRmse(pack(tiltOff), pack(truth));
    expect(t.inclinationDeg).toBeCloseTo(10, 6);
    expect(t.headingDeg).toBeLessThan(1e-4);
    expect(inclinationErrorDeg(pack(tiltOff, headingOff), pack(truth, truth))[0]).toBeCloseTo(10, 6);
  });

  it('takes the RMSE over masked samples with finite truth only', () => {
    const est = pack(
      quatMultiply(quatFromAxisAngle(1, 0, 0, 3 * DEG), truth),
      quatMultiply(quatFromAxisAngle(0, 1, 0, 4 * DEG), truth),
      quatMultiply(quatFromAxisAngle(0, 1, 0, 50 * DEG), truth), // masked out
      truth, // truth missing
    );
    const ref = pack(truth, truth, truth, [Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    const e = orientationErrorRmse(est, ref, [1, 1, 0, 1]);
    expect(e.count).toBe(2);
    expect(e.inclinationDeg).toBeCloseTo(Math.sqrt((9 + 16) / 2), 6);
  });
});
