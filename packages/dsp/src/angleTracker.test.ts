import { describe, expect, it } from 'vitest';
import { createAngleTracker } from './angleTracker.ts';
import { exerciseGeometry } from './poses.ts';
import { type Quat, quatFromAxisAngle, quatMultiply, quatNormalize } from './quat.ts';
import type { AnglesDeg } from './types.ts';

const DEG = Math.PI / 180;

function anglesOf(tracker: ReturnType<typeof createAngleTracker>, q: Quat): AnglesDeg {
  const out: AnglesDeg = { tiltDeg: 0, obliquityDeg: 0, rotationDeg: 0 };
  tracker.update(q, out);
  return out;
}

describe('angle tracker heading re-anchoring', () => {
  // A crooked mounting and a thrust start pose sloped 40° (the vertical mixes pelvis y and z).
  const mounting = quatNormalize([0.8, 0.3, -0.4, 0.2]);
  const start = quatMultiply(quatFromAxisAngle([1, 0, 0], -40 * DEG), quatNormalize([0.5, 0.5, 0.5, 0.5]));

  it('removes a drifted heading at rest and keeps the gravity-observable tilt', () => {
    const t = createAngleTracker(exerciseGeometry('hip-thrust', 'left'));
    t.setMounting(mounting);
    t.setStart(start);
    const drifted = quatMultiply(quatFromAxisAngle([0, 0, 1], 30 * DEG), start);
    const before = anglesOf(t, drifted);
    expect(Math.hypot(before.tiltDeg, before.obliquityDeg, before.rotationDeg)).toBeGreaterThan(20);
    expect(t.reanchorHeading(drifted, 0.25)).toBe(true);
    const after = anglesOf(t, drifted);
    expect(Math.abs(after.tiltDeg)).toBeLessThan(1e-6);
    expect(Math.abs(after.obliquityDeg)).toBeLessThan(1e-6);
    expect(Math.abs(after.rotationDeg)).toBeLessThan(1e-6);
    // A later tilt about a horizontal axis still reads as tilt of the right size.
    const lifted = quatMultiply(quatFromAxisAngle([1, 0, 0], 15 * DEG), drifted);
    const moved = anglesOf(t, lifted);
    expect(Math.hypot(moved.tiltDeg, moved.obliquityDeg, moved.rotationDeg)).toBeCloseTo(15, 0);
  });

  it('leaves a heading below the threshold, and a pure tilt alone', () => {
    const t = createAngleTracker(exerciseGeometry('hip-thrust', 'left'));
    t.setMounting(mounting);
    t.setStart(start);
    expect(t.reanchorHeading(quatMultiply(quatFromAxisAngle([0, 0, 1], 0.1 * DEG), start), 0.25)).toBe(false);
    const tilted = quatMultiply(quatFromAxisAngle([0, 1, 0], 10 * DEG), start);
    const before = anglesOf(t, tilted);
    expect(t.reanchorHeading(tilted, 0.25)).toBe(false);
    expect(anglesOf(t, tilted)).toEqual(before);
  });
});
