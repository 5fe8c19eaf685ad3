import type { Vec3 } from './quat.ts';
import { normalize } from './quat.ts';
import type { Exercise, Side } from './types.ts';

/**
 * Exercise geometry in the pelvis frame (x → right ASIS, y anterior, z cranial; docs/frames.md).
 *
 * - `upP`: the expected "up" (specific force at rest) in the start pose. Supine bridge: anterior is up (+y).
 *   Hip thrust: upper back on a bench, hips low, so the cranial end is raised (~40°). Side-lying with `side = left`
 *   lies on the right side: the right hip is down, so up = −x (mirrored for `right`). The side plank starts
 *   from the same side-lying pose (hips on the floor, propped on the elbow).
 * - `axisP`: the pelvis axis the exercise's main movement turns about, signed so that the rep's first excursion is
 *   positive: tilt (x) for thrust/bridge; obliquity (y) for the side-plank lift (the bottom hip moves cranially
 *   relative to the top hip: obliquity = −s·lift); rotation (z) for the clamshell roll (+s = rolling back).
 * - `toleranceDeg`: how far the measured start pose may be from `upP` before calibration says "wrong start position".
 */
export interface ExerciseGeometry {
  upP: Vec3;
  axisP: Vec3;
  toleranceDeg: number;
  /**
   * A second pelvis axis, perpendicular to `axisP` and to `upP`, about which the exercise's typical fault turns the
   * pelvis one way only, signed that way: the side plank's roll back, and the horizontal part of the single-leg
   * thrust's and bridge's pelvic drop toward the unsupported side (mostly about the long axis, −s·z). Calibration uses
   * it to find the movement axis when most of the first reps carry the fault (calibrator.ts `leastFaultedAxis` for
   * the side plank, `cleanEdgeAxis` supine).
   */
  oneWayFaultAxisP?: Vec3;
  posture: 'supine' | 'side-lying' | 'side-plank';
}

const deg = Math.PI / 180;

export function exerciseGeometry(exercise: Exercise, side: Side): ExerciseGeometry {
  const s = side === 'left' ? 1 : -1;
  switch (exercise) {
    case 'glute-bridge':
      return { upP: [0, 1, 0], axisP: [1, 0, 0], toleranceDeg: 35, oneWayFaultAxisP: [0, 0, -s], posture: 'supine' };
    case 'hip-thrust':
      return {
        upP: normalize([0, Math.cos(40 * deg), Math.sin(40 * deg)]),
        axisP: [1, 0, 0],
        toleranceDeg: 45,
        oneWayFaultAxisP: [0, s * Math.sin(40 * deg), -s * Math.cos(40 * deg)],
        posture: 'supine',
      };
    case 'clamshell':
      return { upP: [-s, 0, 0], axisP: [0, 0, s], toleranceDeg: 35, posture: 'side-lying' };
    case 'side-plank-clamshell':
      return {
        upP: [-s, 0, 0],
        axisP: [0, -s, 0],
        toleranceDeg: 40,
        oneWayFaultAxisP: [0, 0, s],
        posture: 'side-plank',
      };
  }
}
