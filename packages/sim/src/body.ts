import type { Joint } from './chain.ts';

type RevoluteJoint = Extract<Joint, { type: 'revolute' }>;

import type { Rng } from './prng.ts';
import { DEG, normalize, type Quat, qaxis, qfromColumns, qmul, type Vec3 } from './quat.ts';
import type { Exercise, Side } from './types.ts';

/**
 * Joint-variable channels. Every session uses the same chain; channels an exercise does not use stay at 0.
 * Angles in rad, translations in m. Positive values are the directions named in README § Biomechanics.
 */
export const CH = {
  /** Earth-frame translations (fidgets, repositioning, drift). */
  tx: 0,
  ty: 1,
  tz: 2,
  /** Small pelvis rotations about its own x, y, z through its origin (fidgets, posture drift, band jerk). */
  fx: 3,
  fy: 4,
  fz: 5,
  /** The exercise's main movement (thrust/bridge: tilt about the shoulders; side plank: lift about the knees;
   * clamshell: the small counter-roll that follows the knee opening). */
  main: 6,
  /** Roll about the pelvis long axis, positive = top side rolls back (clamshells: counter-roll and pelvic_roll). */
  roll: 7,
  /** lumbar_arch: extra tilt about a lumbar pivot. */
  arch: 8,
  /** pelvic_drop: rotation toward the unsupported side about the stance hip. */
  drop: 9,
  /** hip_sag: hips drop toward the floor about the knees (side plank). */
  sag: 10,
  /** Physiological tremor about a per-session axis. */
  tremor: 11,
  /** Extra thigh sensor only: the working hip's joint angle (flexion/extension or the clamshell opening). */
  hip: 12,
  /** Extra thigh sensor only: undoes pelvic_drop at the stance hip (the thigh stays while the pelvis drops). */
  hipDrop: 13,
} as const;
export const CHANNEL_COUNT = 14;

/** Pelvis orientation in the earth frame at the start pose, before heading, from its axes' earth directions. */
function poseFromAxes(x: Vec3, y: Vec3, z: Vec3): Quat {
  return qfromColumns(x, y, z);
}

export interface Body {
  joints: Joint[];
  /** Sensor position in the pelvis frame (m). */
  leverArmM: Vec3;
  /** Sign that turns "toward the unsupported/top side" into pelvis-frame rotation signs (README). */
  sideSign: number;
  /** Body-size scale of all pivots, and the pelvic_drop axis (pelvis frame): the extra sensors reuse them. */
  size: number;
  dropAxis: Vec3;
}

/**
 * The person on the mat: start pose in the earth frame (ENU, random heading), pivots scaled by body size, sensor on
 * the sacrum. `startTiltRad` is added about the pelvis x axis (thrust: the trunk slopes down from the bench).
 */
export function buildBody(exercise: Exercise, side: Side, rng: Rng, startTiltRad: number): Body {
  const size = rng.uniform(0.9, 1.1);
  const s = side === 'left' ? 1 : -1;
  const X: Vec3 = [1, 0, 0];
  const Y: Vec3 = [0, 1, 0];
  const Z: Vec3 = [0, 0, 1];
  let start: Quat;
  let heightM: number;
  let main: RevoluteJoint;
  let roll: RevoluteJoint;
  // supine, head north: x west, y up, z north. Side-lying on the right side (side=left, left knee on top):
  // x down, y west, z north; on the left side (side=right): x up, y east, z north.
  const supine = poseFromAxes([-1, 0, 0], [0, 0, 1], [0, 1, 0]);
  const sideLying =
    side === 'left' ? poseFromAxes([0, 0, -1], [-1, 0, 0], [0, 1, 0]) : poseFromAxes([0, 0, 1], [1, 0, 0], [0, 1, 0]);
  // bottom hip (on the floor) is +x for side=left (lying on the right), -x for side=right
  const bottomX = s;
  switch (exercise) {
    case 'hip-thrust':
      start = supine;
      heightM = 0.18;
      main = { type: 'revolute', axis: X, pivot: [0, -0.06 * size, 0.48 * size], channel: CH.main };
      roll = { type: 'revolute', axis: Z, pivot: [0, 0, 0], channel: CH.roll };
      break;
    case 'glute-bridge':
      start = supine;
      heightM = 0.1;
      main = { type: 'revolute', axis: X, pivot: [0, -0.1 * size, 0.5 * size], channel: CH.main };
      roll = { type: 'revolute', axis: Z, pivot: [0, 0, 0], channel: CH.roll };
      break;
    case 'clamshell':
      start = sideLying;
      heightM = 0.16;
      // the counter-roll happens about the bottom hip's contact with the floor
      main = { type: 'revolute', axis: [0, 0, s], pivot: [0.16 * bottomX * size, 0, 0], channel: CH.main };
      roll = { type: 'revolute', axis: [0, 0, s], pivot: [0.16 * bottomX * size, 0, 0], channel: CH.roll };
      break;
    case 'side-plank-clamshell':
      start = sideLying;
      heightM = 0.16;
      // lift about the bottom knee (0.45 m caudal): positive = hips rise. For side=left +x is down, so the axis is -y.
      main = {
        type: 'revolute',
        axis: [0, -s, 0],
        pivot: [0.1 * bottomX * size, 0.02, -0.45 * size],
        channel: CH.main,
      };
      roll = { type: 'revolute', axis: [0, 0, s], pivot: [0, 0, 0], channel: CH.roll };
      break;
  }
  // posture: individual start-pose offsets (deg) about the pelvis axes, plus the exercise's start tilt
  const posture = qmul(
    qmul(qaxis(X, startTiltRad + rng.normal() * 3 * DEG), qaxis(Y, rng.normal() * 3 * DEG)),
    qaxis(Z, rng.normal() * 3 * DEG),
  );
  const heading = qaxis(Z, rng.uniform(-Math.PI, Math.PI));
  const startQ = qmul(qmul(heading, start), posture);
  // pelvic_drop: about the stance hip (side=left: left hip, -x), toward the unsupported side: mostly transverse
  // rotation (unsupported ASIS toward the floor, -z rotation for side=left) plus a smaller obliquity part
  // (unsupported hip caudal, +y for side=left).
  const dropObliquityShare = rng.uniform(0.3, 0.55);
  const dropAxis = normalize([0, s * dropObliquityShare, -s * 1]);
  // hip_sag: the main joint run backwards (about the same pivot), so positive = hips toward the floor
  const sag: Joint = {
    type: 'revolute',
    axis: [-main.axis[0], -main.axis[1], -main.axis[2]],
    pivot: main.pivot,
    channel: CH.sag,
  };
  const tremorAxis = normalize([rng.normal(), rng.normal(), rng.normal()]);
  const joints: Joint[] = [
    { type: 'prismatic', axis: X, channel: CH.tx },
    { type: 'prismatic', axis: Y, channel: CH.ty },
    { type: 'prismatic', axis: Z, channel: CH.tz },
    { type: 'fixed', q: startQ, offset: [rng.uniform(-1, 1), rng.uniform(-1, 1), heightM] },
    { type: 'revolute', axis: X, pivot: [0, 0, 0], channel: CH.fx },
    { type: 'revolute', axis: Y, pivot: [0, 0, 0], channel: CH.fy },
    { type: 'revolute', axis: Z, pivot: [0, 0, 0], channel: CH.fz },
    main,
    roll,
    { type: 'revolute', axis: X, pivot: [0, -0.03 * size, 0.14 * size], channel: CH.arch },
    { type: 'revolute', axis: dropAxis, pivot: [-0.085 * s * size, 0, 0], channel: CH.drop },
    sag,
    { type: 'revolute', axis: tremorAxis, pivot: [0, 0, 0], channel: CH.tremor },
  ];
  // sacrum: ~10 cm posterior of the hip-joint-centre midpoint, a little cranial, with individual offsets
  const leverArmM: Vec3 = [rng.normal() * 0.01, -0.1 * size + rng.normal() * 0.01, 0.03 + rng.normal() * 0.015];
  return { joints, leverArmM, sideSign: s, size, dropAxis };
}

/**
 * A crooked clip-on: the sensor's z axis points out of the back (−y of the pelvis) or, flipped, into it; its x axis
 * lies along one of the pelvis's in-plane axes; then a random tilt of 5–30° about a random axis.
 */
export function randomMounting(rng: Rng): Quat {
  const bases: Array<[Vec3, Vec3, Vec3]> = [
    [
      [1, 0, 0],
      [0, 0, 1],
      [0, -1, 0],
    ],
    [
      [0, 0, 1],
      [-1, 0, 0],
      [0, -1, 0],
    ],
    [
      [-1, 0, 0],
      [0, 0, -1],
      [0, -1, 0],
    ],
    [
      [0, 0, -1],
      [1, 0, 0],
      [0, -1, 0],
    ],
    [
      [1, 0, 0],
      [0, 0, -1],
      [0, 1, 0],
    ],
    [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ],
  ];
  const [cx, cy, cz] = rng.pick(bases);
  const base = qfromColumns(cx, cy, cz);
  const axis = normalize([rng.normal(), rng.normal(), rng.normal()]);
  return qmul(qaxis(axis, rng.uniform(5, 30) * DEG), base);
}
