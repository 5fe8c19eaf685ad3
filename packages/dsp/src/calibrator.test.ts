import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPipeline } from './pipeline.ts';
import { type Quat, quatConjugate, quatMultiply, quatNormalize, quatRotate } from './quat.ts';
import { regularReps, synthSession } from './testing/synth.ts';
import type { Exercise } from './types.ts';

const unitQuat = fc
  .tuple(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: -1, max: 1, noNaN: true }),
  )
  .filter(([a, b, c, d]) => Math.hypot(a, b, c, d) > 0.2)
  .map((q) => quatNormalize(q as Quat));

function angleBetweenQuatsDeg(a: Quat, b: Quat): number {
  const d = quatMultiply(quatConjugate(a), b);
  return (2 * Math.acos(Math.min(1, Math.abs(d[0]))) * 180) / Math.PI;
}

describe('calibration recovers the pelvis frame for any mounting', () => {
  for (const [exercise, peak] of [
    ['glute-bridge', { tiltDeg: 25 }],
    ['side-plank-clamshell', { obliquityDeg: -20 }],
  ] as [Exercise, Record<string, number>][]) {
    it(exercise, () => {
      fc.assert(
        fc.property(unitQuat, (qPS) => {
          const s = synthSession({
            exercise,
            side: 'left',
            qPS,
            rateHz: 100,
            durationS: 30,
            reps: regularReps(7, 3, 3.5, peak),
          });
          const p = createPipeline({ exercise, side: 'left', sampleRateHz: 100 });
          for (let i = 0; i < s.tS.length; i++) {
            p.next(
              s.tS[i]!,
              s.gyrRadPerS[3 * i]!,
              s.gyrRadPerS[3 * i + 1]!,
              s.gyrRadPerS[3 * i + 2]!,
              s.accMps2[3 * i]!,
              s.accMps2[3 * i + 1]!,
              s.accMps2[3 * i + 2]!,
            );
          }
          const cal = p.calibration;
          expect(cal).toBeDefined();
          expect(angleBetweenQuatsDeg(cal!.qPS, qPS)).toBeLessThan(3);
          // And the hold's gravity maps to the expected start pose.
          expect(quatRotate(cal!.qPS, cal!.upS)[1]).not.toBeNaN();
        }),
        { numRuns: 12 },
      );
    });
  }

  it('reports moving during the hold as a typed failure', () => {
    const p = createPipeline({ exercise: 'glute-bridge', side: 'left', sampleRateHz: 100 });
    for (let i = 0; i < 150; i++) p.next(i / 100, 0, 0, 0, 0, 0, 9.80665);
    for (let i = 150; i < 200; i++) p.next(i / 100, 1.5, 0, 0, 0, 0, 9.80665);
    const failed = p.drainEvents().find((e) => e.type === 'calibration-failed');
    expect(failed?.type === 'calibration-failed' && failed.failure.reason).toBe('moved');
  });

  it('takes a hold read by an accelerometer at the edge of its offset spec, and refuses one that is not gravity', () => {
    // A worse part's zero-g offsets at 2–3 sigma (60 mg per axis) read 8.1 m/s² while still (sim seed c016 of
    // corpus 1 with new people, which the old 1.5 m/s² tolerance refused); units of g, or a dead axis, do not.
    const hold = (norm: number) => {
      const p = createPipeline({ exercise: 'glute-bridge', side: 'left', sampleRateHz: 100 });
      for (let i = 0; i < 300; i++) p.next(i / 100, 0, 0, 0, 0, 0, norm);
      const failed = p.drainEvents().find((e) => e.type === 'calibration-failed');
      return failed?.type === 'calibration-failed' ? failed.failure.reason : 'held';
    };
    expect([hold(8.07), hold(11.77)]).toEqual(['held', 'held']);
    expect([hold(1), hold(6.2), hold(13.5)]).toEqual(['no_gravity', 'no_gravity', 'no_gravity']);
  });

  it('reports a start pose far from the exercise (bridge movement while lying on the side)', () => {
    // A bridge-like tilt about x while side-lying: the movement axis is vertical, not horizontal.
    const s = synthSession({
      exercise: 'clamshell',
      side: 'left',
      qPS: [1, 0, 0, 0],
      rateHz: 100,
      durationS: 22,
      reps: regularReps(5, 3, 3.5, { tiltDeg: 25 }),
    });
    const p = createPipeline({ exercise: 'glute-bridge', side: 'left', sampleRateHz: 100 });
    for (let i = 0; i < s.tS.length; i++) {
      p.next(
        s.tS[i]!,
        s.gyrRadPerS[3 * i]!,
        s.gyrRadPerS[3 * i + 1]!,
        s.gyrRadPerS[3 * i + 2]!,
        s.accMps2[3 * i]!,
        s.accMps2[3 * i + 1]!,
        s.accMps2[3 * i + 2]!,
      );
    }
    const failed = p.drainEvents().find((e) => e.type === 'calibration-failed');
    expect(failed?.type === 'calibration-failed' && failed.failure.reason).toBe('wrong_pose');
  });
});
