import { type Quat as SimQuat, simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { createPipeline } from './pipeline.ts';
import type { Exercise } from './types.ts';

/**
 * A long live session as the gateway's simulated patient plays it: one set after another (each its own seeded
 * person-day: posture, tempo, and a freshly drawn gyro bias), the sensor clipped on once (same mounting), the
 * clock running on. Angles are relative to the one calibration at the start, so they must stay bounded: before the
 * rest-time drift control, obliquity on a supine exercise reached 90° in 8 minutes and the decomposition wrapped.
 */
function longRun(exercise: Exercise, blocks: number, restRefine: boolean) {
  const mounting: SimQuat = [0.62, -0.35, 0.55, 0.43];
  const p = createPipeline({ exercise, side: 'left', restRefine });
  let offset = 0;
  let maxAbsObl = 0;
  let maxAbsRot = 0;
  let maxAbsTilt = 0;
  let durationS = 0;
  const perBlockRms: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const s = simulateSession({ seed: 500 + b, exercise, side: 'left', sets: 1, reps: 8, mountingQuat: mounting });
    const { tS, gyrRadPerS: g, accMps2: a } = s.samples;
    const diffs: number[][] = [[], [], []];
    for (let i = 0; i < tS.length; i++) {
      p.next(tS[i]! + offset, g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!, a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!);
      p.drainEvents();
      if (p.state !== 'ready' && p.state !== 'in-set') continue;
      const angles = p.angles;
      maxAbsTilt = Math.max(maxAbsTilt, Math.abs(angles.tiltDeg));
      maxAbsObl = Math.max(maxAbsObl, Math.abs(angles.obliquityDeg));
      maxAbsRot = Math.max(maxAbsRot, Math.abs(angles.rotationDeg));
      diffs[0]!.push(angles.tiltDeg - s.truth.tiltDeg[i]!);
      diffs[1]!.push(angles.obliquityDeg - s.truth.obliquityDeg[i]!);
      diffs[2]!.push(angles.rotationDeg - s.truth.rotationDeg[i]!);
    }
    // Each block's truth is relative to its own start pose; the pipeline's to the first calibration. Compare
    // shapes: error about the block's median offset.
    let se = 0;
    let n = 0;
    for (const d of diffs) {
      const sorted = [...d].sort((x, y) => x - y);
      const med = sorted[sorted.length >> 1] ?? 0;
      for (const v of d) se += (v - med) ** 2;
      n += d.length;
    }
    if (b > 0) perBlockRms.push(Math.sqrt(se / Math.max(1, n)));
    const last = tS[tS.length - 1]! + offset;
    durationS = last;
    offset = last + 0.005 - tS[0]!;
  }
  return { maxAbsTilt, maxAbsObl, maxAbsRot, perBlockRms, durationS };
}

describe('long live sessions', () => {
  it('hip thrust: 10 minutes of sets keep the angles bounded and shaped like the truth', () => {
    const r = longRun('hip-thrust', 14, true);
    expect(r.durationS).toBeGreaterThan(600);
    // measured 6.2° / 7.8° (posture differs set to set by a few degrees), per-set shape error ≤ 1.7°
    expect(r.maxAbsObl).toBeLessThan(15);
    expect(r.maxAbsRot).toBeLessThan(15);
    expect(r.maxAbsTilt).toBeLessThan(90);
    expect(Math.max(...r.perBlockRms)).toBeLessThan(3);
  });

  it('hip thrust without the rest-time drift control drifts out of bounds (what the control fixes)', () => {
    const r = longRun('hip-thrust', 14, false);
    // measured 41° obliquity and a per-set shape error up to 7°
    expect(Math.max(r.maxAbsObl, r.maxAbsRot)).toBeGreaterThan(25);
    expect(Math.max(...r.perBlockRms)).toBeGreaterThan(4);
  });

  it('clamshell: tilt is gyro-only lying on the side, and stays bounded too', () => {
    const r = longRun('clamshell', 13, true);
    expect(r.durationS).toBeGreaterThan(400);
    // measured 13° tilt and 10° obliquity (posture differences set to set included), shape error ≤ 2.2°
    expect(r.maxAbsTilt).toBeLessThan(20);
    expect(r.maxAbsObl).toBeLessThan(15);
    expect(Math.max(...r.perBlockRms)).toBeLessThan(3);
  });
});
