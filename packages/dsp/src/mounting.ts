import { eigs } from 'mathjs';
import type { Quat, Vec3 } from './quat.ts';
import { cross, dot, normalize, quatFromColumns } from './quat.ts';

/**
 * Sensor → pelvis alignment from two direction pairs (TRIAD): the primary pair is matched exactly, the secondary one
 * as closely as the primary allows. Returns q_PS ([w,x,y,z]) with q_PS ⊗ primaryS ⊗ q_PS* = primaryP.
 * Returns undefined when either pair is (nearly) parallel, i.e. the directions do not fix a frame.
 */
export function triadMounting(primaryS: Vec3, secondaryS: Vec3, primaryP: Vec3, secondaryP: Vec3): Quat | undefined {
  const s = triad(primaryS, secondaryS);
  const p = triad(primaryP, secondaryP);
  if (!s || !p) return undefined;
  // R_PS = P·Sᵀ; column j = Σ_k S_k[j] · P_k.
  const col = (j: 0 | 1 | 2): Vec3 => [
    s[0][j] * p[0][0] + s[1][j] * p[1][0] + s[2][j] * p[2][0],
    s[0][j] * p[0][1] + s[1][j] * p[1][1] + s[2][j] * p[2][1],
    s[0][j] * p[0][2] + s[1][j] * p[1][2] + s[2][j] * p[2][2],
  ];
  return quatFromColumns(col(0), col(1), col(2));
}

function triad(a: Vec3, b: Vec3): [Vec3, Vec3, Vec3] | undefined {
  const t1 = normalize(a);
  const d = dot(t1, b);
  const r: Vec3 = [b[0] - d * t1[0], b[1] - d * t1[1], b[2] - d * t1[2]];
  if (Math.hypot(r[0], r[1], r[2]) < 0.2 * Math.hypot(b[0], b[1], b[2])) return undefined;
  const t2 = normalize(r);
  return [t1, t2, cross(t1, t2)];
}

export interface PrincipalAxis {
  /** Unit axis in the sensor frame, sign still arbitrary. */
  axisS: Vec3;
  /** Largest / second-largest eigenvalue of the angular-rate second-moment matrix. */
  eigenRatio: number;
  /** RMS angular rate about the axis, rad/s. */
  rmsRadPerS: number;
}

/**
 * Principal rotation axis of a movement: the dominant eigenvector of Σ ω ωᵀ over the samples (bias removed
 * beforehand). `gyr` holds n samples interleaved x,y,z (rad/s). One mathjs eigen-decomposition per call, not per sample.
 */
export function principalAxis(gyr: Float64Array, n: number): PrincipalAxis | undefined {
  if (n < 3) return undefined;
  let xx = 0;
  let xy = 0;
  let xz = 0;
  let yy = 0;
  let yz = 0;
  let zz = 0;
  for (let i = 0; i < n; i++) {
    const x = gyr[3 * i]!;
    const y = gyr[3 * i + 1]!;
    const z = gyr[3 * i + 2]!;
    xx += x * x;
    xy += x * y;
    xz += x * z;
    yy += y * y;
    yz += y * z;
    zz += z * z;
  }
  const m = [
    [xx / n, xy / n, xz / n],
    [xy / n, yy / n, yz / n],
    [xz / n, yz / n, zz / n],
  ];
  if (xx + yy + zz <= 0) return undefined;
  const { eigenvectors } = eigs(m);
  const sorted = eigenvectors
    .map((e) => ({ value: Number(e.value), vector: (e.vector as unknown as number[]).map(Number) }))
    .sort((a, b) => b.value - a.value);
  const top = sorted[0];
  const second = sorted[1];
  if (!top || !second) return undefined;
  const v = top.vector;
  const axisS = normalize([v[0] ?? 0, v[1] ?? 0, v[2] ?? 0]);
  return {
    axisS,
    eigenRatio: second.value > 0 ? top.value / second.value : Number.POSITIVE_INFINITY,
    rmsRadPerS: Math.sqrt(Math.max(0, top.value)),
  };
}
