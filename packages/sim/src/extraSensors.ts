import { type Body, CH } from './body.ts';
import type { Joint } from './chain.ts';
import type { Rng } from './prng.ts';
import type { Piece } from './profile.ts';
import { DEG, type Vec3 } from './quat.ts';
import type { Timeline } from './timeline.ts';
import type { Exercise, ExtraPlacement } from './types.ts';

/** A body segment carrying an extra sensor: its joint chain from the earth frame and the sensor's lever arm. */
export interface SegmentChain {
  placement: ExtraPlacement;
  joints: Joint[];
  /** Sensor position in the segment's frame (m). */
  leverArmM: Vec3;
}

function scaled(pieces: readonly Piece[], k: number): Piece[] {
  return pieces.map((p) => (p.type === 'ramp' ? { ...p, delta: p.delta * k } : { ...p, amp: p.amp * k }));
}

/**
 * Upper lumbar (L1) sensor: rigid with the thorax, i.e. the pelvis chain without the lumbar-arch joint (the ribcage
 * stays on the bench/floor while the pelvis arches). On the spine 0.28 m cranial of the hip centres, 0.11 m
 * posterior, ±1 cm.
 */
export function lumbarChain(body: Body, rng: Rng): SegmentChain {
  const joints = body.joints.filter((j) => j.type === 'fixed' || j.channel !== CH.arch);
  const leverArmM: Vec3 = [
    0.01 * rng.normal(),
    -0.11 * body.size + 0.01 * rng.normal(),
    0.28 * body.size + 0.01 * rng.normal(),
  ];
  return { placement: 'lumbar', joints, leverArmM };
}

/** Start hip flexion of the working leg (deg) per exercise. */
const HIP_FLEXION_DEG: Record<Exercise, number> = {
  'hip-thrust': 100,
  'glute-bridge': 50,
  clamshell: 45,
  'side-plank-clamshell': 10,
};

/**
 * Working thigh (side = left: left thigh): the pelvis chain, then the hip joint centre, then the hip's own motion.
 * Sensor on the lateral mid-thigh, 0.2 m distal of the hip centre and 0.07 m lateral.
 * - thrust, bridge: hip extension about the pelvis x axis = −(pelvis tilt + the thigh's own opposite rotation,
 *   0.9–1.3 × the tilt: hips rise, so the hip–knee line turns the other way) − lumbar arch; the thigh also stays
 *   put while the pelvis drops about this hip (pelvic_drop is undone at the hip).
 * - clamshells: the hip opens the knee about the pelvis long axis (the hip–heel line), by the knee opening minus
 *   whatever the pelvis rolled back (counter-roll, band jerk, pelvic_roll): the knee's path in the room is the same.
 */
export function thighChain(body: Body, exercise: Exercise, timeline: Timeline, rng: Rng): SegmentChain {
  const s = body.sideSign;
  const size = body.size;
  const clamshellLike = exercise === 'clamshell' || exercise === 'side-plank-clamshell';
  const hipAxis: Vec3 = clamshellLike ? [0, 0, s] : [1, 0, 0];
  const joints: Joint[] = [
    ...body.joints,
    { type: 'fixed', q: [1, 0, 0, 0], offset: [-0.085 * s * size, 0, 0] },
    { type: 'revolute', axis: hipAxis, pivot: [0, 0, 0], channel: CH.hip },
    { type: 'revolute', axis: body.dropAxis, pivot: [0, 0, 0], channel: CH.hipDrop },
  ];
  const phi = (HIP_FLEXION_DEG[exercise] + 5 * rng.normal()) * DEG;
  const along = 0.2 * size;
  const leverArmM: Vec3 = [-0.07 * s, along * Math.sin(phi), -along * Math.cos(phi)];
  const p = timeline.pieces;
  let hip: Piece[];
  let hipDrop: Piece[] = [];
  if (clamshellLike) {
    const pelvisRoll = exercise === 'clamshell' ? [...p[CH.main]!, ...p[CH.roll]!] : p[CH.roll]!;
    hip = [...timeline.kneePieces, ...scaled(pelvisRoll, -1)];
  } else {
    const c = rng.uniform(0.9, 1.3);
    hip = [...scaled(p[CH.main]!, -(1 + c)), ...scaled(p[CH.arch]!, -1)];
    hipDrop = scaled(p[CH.drop]!, -1);
  }
  timeline.pieces[CH.hip] = hip;
  timeline.pieces[CH.hipDrop] = hipDrop;
  return { placement: 'thigh', joints, leverArmM };
}
