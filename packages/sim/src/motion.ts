import { CHANNEL_COUNT } from './body.ts';
import { evalChain, type Joint, newChainState } from './chain.ts';
import { ProfileCursor } from './profile.ts';
import { DEG, type Quat, qconj, qmul, qtoIntrinsicXyz, type Vec3 } from './quat.ts';
import type { Timeline } from './timeline.ts';

export const GRAVITY_MPS2 = 9.80665;
/** Earth magnetic field in ENU, µT (central Europe: 19 µT north, 45 µT down, inclination ≈ 67°). */
export const EARTH_FIELD_UT = [0, 19, -45] as const;

/** Exact physics at the sample instants: what an ideal IMU would read, and the pose behind it. */
export interface Motion {
  tTrueS: Float64Array;
  /** q_EP (pelvis → earth), 4n, full precision. */
  qEP: Float64Array;
  /** q_ES (sensor → earth), 4n. */
  qES: Float32Array;
  /** Ideal gyroscope (rad/s) and accelerometer specific force (m/s²), sensor frame, 3n. */
  gyrRadPerS: Float64Array;
  accMps2: Float64Array;
  /** Ideal magnetometer (µT, sensor frame, 3n) when asked for. */
  magUt: Float64Array | undefined;
  /** The angular fault's own deviation (deg) and the pelvis origin's height (m, earth z). */
  faultDeviationDeg: Float32Array;
  heightM: Float64Array;
}

/** out = a ⊗ b (no allocation). */
function quatMul(a: ArrayLike<number>, b: ArrayLike<number>, out: Float64Array): void {
  const a0 = a[0]!;
  const a1 = a[1]!;
  const a2 = a[2]!;
  const a3 = a[3]!;
  const b0 = b[0]!;
  const b1 = b[1]!;
  const b2 = b[2]!;
  const b3 = b[3]!;
  out[0] = a0 * b0 - a1 * b1 - a2 * b2 - a3 * b3;
  out[1] = a0 * b1 + a1 * b0 + a2 * b3 - a3 * b2;
  out[2] = a0 * b2 - a1 * b3 + a2 * b0 + a3 * b1;
  out[3] = a0 * b3 + a1 * b2 - a2 * b1 + a3 * b0;
}

/** out[o..o+2] = q ⊗ v ⊗ q* (or with q* when `inverse`), no allocation. */
function rotateInto(
  q: ArrayLike<number>,
  v0: number,
  v1: number,
  v2: number,
  inverse: boolean,
  out: Float64Array,
  o = 0,
): void {
  const w = q[0]!;
  const s = inverse ? -1 : 1;
  const x = s * q[1]!;
  const y = s * q[2]!;
  const z = s * q[3]!;
  const tx = 2 * (y * v2 - z * v1);
  const ty = 2 * (z * v0 - x * v2);
  const tz = 2 * (x * v1 - y * v0);
  out[o] = v0 + w * tx + (y * tz - z * ty);
  out[o + 1] = v1 + w * ty + (z * tx - x * tz);
  out[o + 2] = v2 + w * tz + (x * ty - y * tx);
}

/**
 * Samples the scripted motion at t_k = k·dt (k < n): evaluates the joint chain with its exact derivatives and
 * derives the ideal IMU readings at the sensor's lever arm: gyro = ω in the sensor frame, accelerometer =
 * a + α×r + ω×(ω×r) − g in the sensor frame (g = (0, 0, −9.80665) in ENU).
 */
export function sampleMotion(
  timeline: Timeline,
  body: { joints: readonly Joint[]; leverArmM: Vec3 },
  mounting: Quat,
  n: number,
  dt: number,
  withMag: boolean,
): Motion {
  const m: Motion = {
    tTrueS: new Float64Array(n),
    qEP: new Float64Array(4 * n),
    qES: new Float32Array(4 * n),
    gyrRadPerS: new Float64Array(3 * n),
    accMps2: new Float64Array(3 * n),
    magUt: withMag ? new Float64Array(3 * n) : undefined,
    faultDeviationDeg: new Float32Array(n),
    heightM: new Float64Array(n),
  };
  const cursors = timeline.pieces.map((p) => new ProfileCursor(p));
  const faultCursor = new ProfileCursor(timeline.faultPieces);
  const channels = CHANNEL_COUNT;
  const x = new Float64Array(channels);
  const dx = new Float64Array(channels);
  const ddx = new Float64Array(channels);
  const st = newChainState();
  const r = new Float64Array(3);
  const qs = new Float64Array(4);
  const lever = body.leverArmM;
  // NOTE: joints whose channel never moves are the identity and are dropped, and only moving channels are
  // evaluated: this loop runs once per sample.
  const joints = body.joints.filter((j) => j.type === 'fixed' || (timeline.pieces[j.channel]?.length ?? 0) > 0);
  const moving = timeline.pieces.flatMap((p, c) => (p.length > 0 ? [c] : []));
  for (let k = 0; k < n; k++) {
    const t = k * dt;
    m.tTrueS[k] = t;
    for (const c of moving) {
      const v = cursors[c]!.at(t);
      x[c] = v.x;
      dx[c] = v.dx;
      ddx[c] = v.ddx;
    }
    evalChain(joints, x, dx, ddx, st);
    m.faultDeviationDeg[k] = faultCursor.at(t).x / DEG;
    m.heightM[k] = st.p[2]!;
    m.qEP.set(st.q, 4 * k);
    quatMul(st.q, mounting, qs);
    for (let c = 0; c < 4; c++) m.qES[4 * k + c] = qs[c]!;
    rotateInto(st.q, lever[0], lever[1], lever[2], false, r);
    const r0 = r[0]!;
    const r1 = r[1]!;
    const r2 = r[2]!;
    const w = st.w;
    const al = st.al;
    const wr0 = w[1]! * r2 - w[2]! * r1;
    const wr1 = w[2]! * r0 - w[0]! * r2;
    const wr2 = w[0]! * r1 - w[1]! * r0;
    const f0 = st.a[0]! + al[1]! * r2 - al[2]! * r1 + (w[1]! * wr2 - w[2]! * wr1);
    const f1 = st.a[1]! + al[2]! * r0 - al[0]! * r2 + (w[2]! * wr0 - w[0]! * wr2);
    const f2 = st.a[2]! + al[0]! * r1 - al[1]! * r0 + (w[0]! * wr1 - w[1]! * wr0) + GRAVITY_MPS2;
    // into the sensor frame: v_S = q_ES* ⊗ v_E ⊗ q_ES
    rotateInto(qs, w[0]!, w[1]!, w[2]!, true, m.gyrRadPerS, 3 * k);
    rotateInto(qs, f0, f1, f2, true, m.accMps2, 3 * k);
    if (m.magUt) rotateInto(qs, EARTH_FIELD_UT[0], EARTH_FIELD_UT[1], EARTH_FIELD_UT[2], true, m.magUt, 3 * k);
  }
  return m;
}

/** Tilt / obliquity / rotation (deg, docs/frames.md) of q_EP relative to sample `kRef`. */
export function pelvisAngles(
  qEP: Float64Array,
  kRef: number,
): { tiltDeg: Float32Array; obliquityDeg: Float32Array; rotationDeg: Float32Array } {
  const n = qEP.length / 4;
  const q0c = qconj([qEP[4 * kRef]!, qEP[4 * kRef + 1]!, qEP[4 * kRef + 2]!, qEP[4 * kRef + 3]!]);
  const tiltDeg = new Float32Array(n);
  const obliquityDeg = new Float32Array(n);
  const rotationDeg = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const e = qtoIntrinsicXyz(qmul(q0c, [qEP[4 * k]!, qEP[4 * k + 1]!, qEP[4 * k + 2]!, qEP[4 * k + 3]!]));
    tiltDeg[k] = e[0] / DEG;
    obliquityDeg[k] = e[1] / DEG;
    rotationDeg[k] = e[2] / DEG;
  }
  return { tiltDeg, obliquityDeg, rotationDeg };
}
