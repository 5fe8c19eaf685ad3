import { exerciseGeometry } from '../poses.ts';
import type { Quat } from '../quat.ts';
import {
  quatConjugate,
  quatFromTiltObliquityRotationDeg,
  quatFromTwoVectors,
  quatMultiply,
  quatNormalize,
  quatRotate,
} from '../quat.ts';
import type { Exercise, Side } from '../types.ts';

/**
 * A small kinematic generator for unit tests (not the product simulator, packages/sim): pelvis angles relative to the
 * exercise's start pose as functions of time → exact gyro (body rate by finite differences of the orientation) and
 * accelerometer (gravity only, plus optional white noise) for a given mounting.
 */
export interface SynthRep {
  startS: number;
  upS: number;
  holdS: number;
  downS: number;
  /** Peak angles (deg) reached at the top, relative to the start pose. */
  tiltDeg: number;
  obliquityDeg: number;
  rotationDeg: number;
}

export interface SynthSpec {
  exercise: Exercise;
  side: Side;
  qPS: Quat;
  rateHz: number;
  durationS: number;
  reps: SynthRep[];
  noise?: { gyrRadPerS: number; accMps2: number; seed: number };
}

/** Smooth 0→1→0 profile of a rep at time t. */
function repShape(r: SynthRep, t: number): number {
  const u = t - r.startS;
  if (u <= 0) return 0;
  const ease = (x: number) => 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, Math.max(0, x)));
  if (u < r.upS) return ease(u / r.upS);
  if (u < r.upS + r.holdS) return 1;
  const d = u - r.upS - r.holdS;
  if (d < r.downS) return 1 - ease(d / r.downS);
  return 0;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function synthAngles(spec: SynthSpec, t: number): [number, number, number] {
  let tilt = 0;
  let obl = 0;
  let rot = 0;
  for (const r of spec.reps) {
    const k = repShape(r, t);
    tilt += k * r.tiltDeg;
    obl += k * r.obliquityDeg;
    rot += k * r.rotationDeg;
  }
  return [tilt, obl, rot];
}

export function synthSession(spec: SynthSpec) {
  const g = exerciseGeometry(spec.exercise, spec.side);
  // Start pelvis orientation: expected up mapped to earth +z, with an arbitrary heading.
  const qEP0 = quatMultiply(quatFromTwoVectors([0, 0, 1], [0, 0, 1]), quatFromTwoVectors(g.upP, [0, 0, 1]));
  const qSP = quatConjugate(spec.qPS);
  const n = Math.round(spec.durationS * spec.rateHz);
  const dt = 1 / spec.rateHz;
  const tS = new Float64Array(n);
  const gyr = new Float64Array(3 * n);
  const acc = new Float64Array(3 * n);
  const rand = mulberry32(spec.noise?.seed ?? 1);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const qES = (t: number): Quat => {
    const [a, b, c] = synthAngles(spec, t);
    return quatNormalize(quatMultiply(quatMultiply(qEP0, quatFromTiltObliquityRotationDeg(a, b, c)), spec.qPS));
  };
  for (let i = 0; i < n; i++) {
    const t = i * dt;
    tS[i] = t;
    const q0 = qES(t - dt / 2);
    const q1 = qES(t + dt / 2);
    // Body rate: 2·log(q0* ⊗ q1)/dt ≈ 2·vec(q0* ⊗ q1)/dt for small steps.
    const d = quatMultiply(quatConjugate(q0), q1);
    const sgn = d[0] < 0 ? -1 : 1;
    const q = qES(t);
    const up = quatRotate(quatConjugate(q), [0, 0, 9.80665]);
    for (let k = 0; k < 3; k++) {
      gyr[3 * i + k] = (2 * sgn * d[k + 1]!) / dt + (spec.noise ? spec.noise.gyrRadPerS * gauss() : 0);
      acc[3 * i + k] = up[k]! + (spec.noise ? spec.noise.accMps2 * gauss() : 0);
    }
  }
  void qSP;
  return { tS, gyrRadPerS: gyr, accMps2: acc };
}

/** Evenly spaced reps after a hold of `holdS`. */
export function regularReps(
  count: number,
  firstS: number,
  periodS: number,
  peak: { tiltDeg?: number; obliquityDeg?: number; rotationDeg?: number },
  tempo = { upS: 1, holdS: 0.5, downS: 1.2 },
): SynthRep[] {
  return Array.from({ length: count }, (_, i) => ({
    startS: firstS + i * periodS,
    ...tempo,
    tiltDeg: peak.tiltDeg ?? 0,
    obliquityDeg: peak.obliquityDeg ?? 0,
    rotationDeg: peak.rotationDeg ?? 0,
  }));
}
