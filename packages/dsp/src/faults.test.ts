import { describe, expect, it } from 'vitest';
import { createFaultChecker, type FaultInput } from './faults.ts';
import type { RepPhase } from './reps.ts';
import { defaultThresholds } from './thresholds.ts';
import type { FaultCode } from './types.ts';

/** Minimum-jerk position 0..1 at phase u ∈ [0, 1]. */
const mj = (u: number) => {
  const x = Math.min(1, Math.max(0, u));
  return x * x * x * (10 - 15 * x + 6 * x * x);
};

/**
 * Position 0..1 of a movement that gets up to speed over the first fraction `a` of its time (half-cosine), cruises,
 * and brakes over the last fraction `b`: a smoothed trapezoid of velocity. With a < b its speed peaks early, well
 * before half way, and it brakes long before the end, as a lowering may that sets off briskly and then slows
 * under control.
 */
const trapezoid =
  (a: number, b: number) =>
  (u: number): number => {
    const x = Math.min(1, Math.max(0, u));
    const v = 1 / (1 - (a + b) / 2);
    const ramp = (w: number, f: number) => (v / 2) * (w - (f / Math.PI) * Math.sin((Math.PI * w) / f));
    if (x < a) return ramp(x, a);
    if (x > 1 - b) return 1 - ramp(1 - x, b);
    return v * (a / 2 + x - a);
  };

/**
 * A side-plank rep as the fault checker sees it (excursion about the lift axis, its rate, at 200 Hz): lift `liftDeg`
 * in 1.2 s, hold; optionally sag by `sagDeg` over `sagS` starting 0.6 s into the hold, hold 0.8 s more, then lower
 * over `downS` (1.4 s). Returns the hip_sag detections with their times and the sag's threshold-crossing time.
 */
function sidePlankRep(
  liftDeg: number,
  sagDeg: number,
  sagS: number,
  sagShape: (u: number) => number = mj,
  downS = 1.4,
  downShape: (u: number) => number = mj,
) {
  const fired: Array<{ code: FaultCode; tS: number }> = [];
  const checker = createFaultChecker('side-plank-clamshell', 'left', (code, tS) => fired.push({ code, tS }), [
    'hip_sag',
  ]);
  const upS = 1.2;
  const sag0 = upS + 0.6;
  const downStart = sag0 + sagS + 0.8;
  const pos = (t: number) => {
    const sag = sagDeg * sagShape(Math.min(1, Math.max(0, (t - sag0) / sagS)));
    const lowering = (liftDeg - sagDeg) * downShape((t - downStart) / downS);
    return liftDeg * mj(t / upS) - sag - lowering;
  };
  let peak = 0;
  let peakS = 0;
  let crossingS = Number.NaN;
  const x: FaultInput = {
    tS: 0,
    phase: 'rising',
    repStartS: 0,
    candidate: 1,
    excursionDeg: 0,
    peakDeg: 0,
    peakS: 0,
    rateDegPerS: 0,
    typicalRangeDeg: liftDeg,
    typicalFromReps: 3,
    tiltDeg: 0,
    obliquityDeg: 0,
    rotationDeg: 0,
    restTiltDeg: 0,
    restObliquityDeg: 0,
    restRotationDeg: 0,
    lumbarExtensionDeg: Number.NaN,
    restLumbarExtensionDeg: 0,
    rangeMeasuresRep: true,
    holdArch: false,
  };
  for (let k = 1; k * 0.005 < downStart + downS; k++) {
    const t = k * 0.005;
    const e = pos(t);
    if (e > peak) {
      peak = e;
      peakS = t;
    }
    if (Number.isNaN(crossingS) && t > sag0 && t < downStart && peak - e > defaultThresholds.hipSagDeg) crossingS = t;
    const phase: RepPhase = t < upS + 0.12 ? 'rising' : e >= 0.95 * peak ? 'top' : 'lowering';
    Object.assign(x, {
      tS: t,
      phase,
      excursionDeg: e,
      peakDeg: peak,
      peakS,
      rateDegPerS: (e - pos(t - 0.005)) / 0.005,
    });
    checker.next(x, defaultThresholds);
  }
  return { fired: fired.filter((f) => f.code === 'hip_sag'), crossingS, sagEndS: sag0 + sagS };
}

describe('hip sag in the side plank', () => {
  it('is cued while the hips are still sinking, once the descent brakes well above the floor', () => {
    const r = sidePlankRep(20, 10, 1.0);
    expect(r.fired).toHaveLength(1);
    // Braking starts half way down (drop 5° = the threshold): cued within ~0.2 s of the crossing, before the sag ends.
    expect(r.fired[0]!.tS - r.crossingS).toBeLessThan(0.2);
    expect(r.fired[0]!.tS).toBeLessThan(r.sagEndS);
  });

  it('a deep, slow sag is still cued, after it brakes', () => {
    const r = sidePlankRep(20, 14, 1.4);
    expect(r.fired).toHaveLength(1);
    expect(r.fired[0]!.tS).toBeGreaterThan(r.crossingS);
  });

  it('a sag of 0.7 × the lift is cued as it brakes: the descent speed and the drop are read with the same lag', () => {
    // Its speed peaks 7° down, short of the 8° (0.4 × the lift) that tells a sag from the lowering. The speed is
    // low-passed (~80 ms lag); read against the drop as it was 80 ms later (+2° at 26°/s), it looked like a lowering
    // and waited for the plank to settle, ~0.5 s later.
    const r = sidePlankRep(20, 14, 1.0);
    expect(r.fired).toHaveLength(1);
    expect(r.fired[0]!.tS).toBeLessThan(r.sagEndS);
    expect(r.fired[0]!.tS - r.crossingS).toBeLessThan(0.3);
  });

  it('a sag that speeds up until it stops is cued once held, even a fifth of the lift above the floor', () => {
    // Accelerating all the way (u²), the descent never brakes before it stops, so only the held plank tells: the
    // hips stay 4.5° (22 % of the lift) up, clear of the floor the lowering goes on to.
    const r = sidePlankRep(20, 15.5, 1.0, (u) => u * u);
    expect(r.fired).toHaveLength(1);
    expect(r.fired[0]!.tS).toBeGreaterThan(r.sagEndS);
  });

  it('the deliberate lowering of a clean plank is not a sag', () => {
    expect(sidePlankRep(20, 0, 1.0).fired).toHaveLength(0);
    expect(sidePlankRep(15, 0, 1.0).fired).toHaveLength(0);
    // quick or slow, its speed peaks half way to the floor
    for (const downS of [0.5, 0.8, 2.5, 4]) expect(sidePlankRep(20, 0, 1.0, mj, downS).fired).toHaveLength(0);
  });

  it('nor is a lowering whose speed peaks early and that brakes long, while a sag of that shape is cued', () => {
    // Up to speed over the first 15–25 % of the time, braking over the last 40–50 %: the speed peaks at 0.3–0.45 of
    // the drop, and the braking starts half way. Read as a bell (the stop at twice the drop at peak speed), it was a
    // sag; the stop is the drop at braking plus the drop it took to get up to that speed.
    for (const [a, b] of [
      [0.15, 0.4],
      [0.2, 0.5],
      [0.25, 0.5],
    ] as const) {
      for (const [liftDeg, downS] of [
        [14, 1.9],
        [20, 3.5],
        [12, 2.5],
      ] as const) {
        expect(sidePlankRep(liftDeg, 0, 1.0, mj, downS, trapezoid(a, b)).fired).toHaveLength(0);
      }
      const r = sidePlankRep(20, 10, 0.8, trapezoid(a, b));
      expect(r.fired).toHaveLength(1);
      expect(r.fired[0]!.tS).toBeLessThan(r.sagEndS);
    }
  });
});
