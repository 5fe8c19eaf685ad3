import type { ExerciseGeometry } from './poses.ts';
import type { Quat } from './quat.ts';
import { quatConjugate, quatMultiply, quatRotate } from './quat.ts';
import type { AnglesDeg } from './types.ts';

const RAD_TO_DEG = 180 / Math.PI;

/**
 * Pelvis angles relative to the calibrated start (docs/frames.md): with q_ES(t) from the attitude tracker, the start
 * q_ES0 and the mounting q_PS, R_rel = R_PS·R_ES0ᵀ·R_ES(t)·R_SP, decomposed intrinsic X-Y-Z into tilt, obliquity,
 * rotation. Also the rep signal: the angle about the exercise's movement axis, signed so reps go positive.
 * NOTE: the per-sample path is two inlined quaternion products on locals; no allocation (state in class fields:
 * a double written to a closure variable is a heap allocation in V8).
 */
export function createAngleTracker(geometry: ExerciseGeometry): AngleTracker {
  return new AngleTracker(geometry);
}

export class AngleTracker {
  // A = q_PS ⊗ q_ES0*, B = q_PS* (so q_rel = A ⊗ q ⊗ B).
  private a0 = 1;
  private a1 = 0;
  private a2 = 0;
  private a3 = 0;
  private qStart: Quat = [1, 0, 0, 0];
  private qPS: Quat = [1, 0, 0, 0];
  private b0 = 1;
  private b1 = 0;
  private b2 = 0;
  private b3 = 0;
  private ax = 0;
  private ay = 0;
  private az = 0;
  private signal = 0;
  private readonly axisIndex: number;
  private readonly axisSign: number;

  constructor(private readonly geometry: ExerciseGeometry) {
    const axisP = geometry.axisP;
    this.axisIndex = Math.abs(axisP[0]) > 0.5 ? 0 : Math.abs(axisP[1]) > 0.5 ? 1 : 2;
    this.axisSign = Math.sign(axisP[this.axisIndex]!) || 1;
  }

  private recompute(): void {
    const qPS = this.qPS;
    const a = quatMultiply(qPS, quatConjugate(this.qStart));
    this.a0 = a[0];
    this.a1 = a[1];
    this.a2 = a[2];
    this.a3 = a[3];
    this.b0 = qPS[0];
    this.b1 = -qPS[1];
    this.b2 = -qPS[2];
    this.b3 = -qPS[3];
    const axisS = quatRotate(quatConjugate(qPS), this.geometry.axisP);
    this.ax = axisS[0];
    this.ay = axisS[1];
    this.az = axisS[2];
  }

  get signalDeg(): number {
    return this.signal;
  }

  setStart(q: ArrayLike<number>): void {
    this.qStart = [q[0]!, q[1]!, q[2]!, q[3]!];
    this.recompute();
  }

  /**
   * Re-anchors the start's heading at rest. Rotation about the earth's vertical is gyro integration only (no
   * gravity reference), so over minutes bias drift and the patient shifting on the floor accumulate in it until
   * the X-Y-Z decomposition wraps (seen live: obliquity 0 → 90° in 8 min of thrusts, then tilt flipping ±180°).
   * At rest the pelvis is back at its start pose, so the twist of q·q_ES0* about earth z is drift, not movement:
   * fold it into the start (swing-twist, q_ES0 ← T·q_ES0). Only when it exceeds `minDeg` (allocates; rare).
   * Returns true when it re-anchored.
   */
  reanchorHeading(q: ArrayLike<number>, minDeg: number): boolean {
    // D = q ⊗ qStart*; only D's w and z are needed for the twist about earth z.
    const qStart = this.qStart;
    const s0 = qStart[0];
    const s1 = -qStart[1];
    const s2 = -qStart[2];
    const s3 = -qStart[3];
    const dw = q[0]! * s0 - q[1]! * s1 - q[2]! * s2 - q[3]! * s3;
    const dz = q[0]! * s3 + q[1]! * s2 - q[2]! * s1 + q[3]! * s0;
    const n = Math.hypot(dw, dz);
    if (n < 1e-9) return false;
    const twistDeg = 2 * Math.atan2(Math.abs(dz), Math.abs(dw)) * RAD_TO_DEG;
    if (twistDeg <= minDeg) return false;
    this.qStart = quatMultiply([dw / n, 0, 0, dz / n], qStart);
    this.recompute();
    return true;
  }

  setMounting(q: Quat): void {
    this.qPS = q;
    this.recompute();
  }

  /** Angular rate about the movement axis, deg/s, from bias-removed sensor rates (rad/s). */
  rateDegPerS(wx: number, wy: number, wz: number): number {
    return (wx * this.ax + wy * this.ay + wz * this.az) * RAD_TO_DEG;
  }

  update(q: ArrayLike<number>, out: AnglesDeg): void {
    const { a0, a1, a2, a3, b0, b1, b2, b3 } = this;
    const qw = q[0]!;
    const qx = q[1]!;
    const qy = q[2]!;
    const qz = q[3]!;
    // t = A ⊗ q
    const tw = a0 * qw - a1 * qx - a2 * qy - a3 * qz;
    const tx = a0 * qx + a1 * qw + a2 * qz - a3 * qy;
    const ty = a0 * qy - a1 * qz + a2 * qw + a3 * qx;
    const tz = a0 * qz + a1 * qy - a2 * qx + a3 * qw;
    // r = t ⊗ B
    const w = tw * b0 - tx * b1 - ty * b2 - tz * b3;
    const x = tw * b1 + tx * b0 + ty * b3 - tz * b2;
    const y = tw * b2 - tx * b3 + ty * b0 + tz * b1;
    const z = tw * b3 + tx * b2 - ty * b1 + tz * b0;
    const r00 = 1 - 2 * (y * y + z * z);
    const r01 = 2 * (x * y - w * z);
    const r02 = 2 * (x * z + w * y);
    const r12 = 2 * (y * z - w * x);
    const r22 = 1 - 2 * (x * x + y * y);
    out.tiltDeg = Math.atan2(-r12, r22) * RAD_TO_DEG;
    out.obliquityDeg = Math.asin(Math.min(1, Math.max(-1, r02))) * RAD_TO_DEG;
    out.rotationDeg = Math.atan2(-r01, r00) * RAD_TO_DEG;
    const i = this.axisIndex;
    const v = i === 0 ? out.tiltDeg : i === 1 ? out.obliquityDeg : out.rotationDeg;
    this.signal = this.axisSign * v;
  }
}
