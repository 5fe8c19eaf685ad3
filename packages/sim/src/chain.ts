import type { Quat, Vec3 } from './quat.ts';

/**
 * A serial kinematic chain from the earth frame (root) to the pelvis frame (tip). Each joint moves its child frame
 * relative to its parent; axes, pivots and offsets are given in the parent frame's coordinates. Joint variables
 * come from scalar profiles with exact first and second derivatives, so the recursion below gives the pelvis's
 * exact angular velocity and acceleration and the exact linear velocity and acceleration of its origin:
 *
 *   revolute   R_k = R_{k-1}·Rot(u, θ)            ω_k = ω_{k-1} + θ'·R_{k-1}u
 *              α_k = α_{k-1} + θ''·R_{k-1}u + ω_{k-1} × θ'·R_{k-1}u
 *              the pivot c is a point of both frames, so the origin is p_k = p_{k-1} + R_{k-1}c − R_k c
 *   prismatic  p_k = p_{k-1} + R_{k-1}u·d         (velocity/acceleration with Coriolis and transport terms)
 *   fixed      R_k = R_{k-1}·q, p_k = p_{k-1} + R_{k-1}·offset
 */
export type Joint =
  | { type: 'revolute'; axis: Vec3; pivot: Vec3; channel: number }
  | { type: 'prismatic'; axis: Vec3; channel: number }
  | { type: 'fixed'; q: Quat; offset: Vec3 };

/** Kinematic state of a frame, everything in earth coordinates. Mutated in place by `evalChain`. */
export interface ChainState {
  /** q_E,frame [w, x, y, z]. */
  q: Float64Array;
  /** Origin position (m), velocity (m/s), acceleration (m/s²). */
  p: Float64Array;
  v: Float64Array;
  a: Float64Array;
  /** Angular velocity (rad/s) and acceleration (rad/s²). */
  w: Float64Array;
  al: Float64Array;
}

export function newChainState(): ChainState {
  return {
    q: new Float64Array(4),
    p: new Float64Array(3),
    v: new Float64Array(3),
    a: new Float64Array(3),
    w: new Float64Array(3),
    al: new Float64Array(3),
  };
}

// Scratch vectors: the chain evaluation allocates nothing per sample.
const r = new Float64Array(3);
const u = new Float64Array(3);
const t1 = new Float64Array(3);

/** out = q ⊗ v ⊗ q* */
function rot(q: Float64Array, v0: number, v1: number, v2: number, out: Float64Array): void {
  const w = q[0]!;
  const x = q[1]!;
  const y = q[2]!;
  const z = q[3]!;
  const tx = 2 * (y * v2 - z * v1);
  const ty = 2 * (z * v0 - x * v2);
  const tz = 2 * (x * v1 - y * v0);
  out[0] = v0 + w * tx + (y * tz - z * ty);
  out[1] = v1 + w * ty + (z * tx - x * tz);
  out[2] = v2 + w * tz + (x * ty - y * tx);
}

/** q ← q ⊗ b */
function mulRight(q: Float64Array, b0: number, b1: number, b2: number, b3: number): void {
  const a0 = q[0]!;
  const a1 = q[1]!;
  const a2 = q[2]!;
  const a3 = q[3]!;
  q[0] = a0 * b0 - a1 * b1 - a2 * b2 - a3 * b3;
  q[1] = a0 * b1 + a1 * b0 + a2 * b3 - a3 * b2;
  q[2] = a0 * b2 - a1 * b3 + a2 * b0 + a3 * b1;
  q[3] = a0 * b3 + a1 * b2 - a2 * b1 + a3 * b0;
}

/**
 * Moves a point rigidly attached to the current frame: the state's origin velocity/acceleration become those of the
 * point at world offset r (v += ω×r, a += α×r + ω×(ω×r)) and p += r.
 */
function transport(s: ChainState, rx: number, ry: number, rz: number): void {
  const w = s.w;
  const al = s.al;
  const wx = w[0]!;
  const wy = w[1]!;
  const wz = w[2]!;
  const cx = wy * rz - wz * ry;
  const cy = wz * rx - wx * rz;
  const cz = wx * ry - wy * rx;
  s.p[0]! += rx;
  s.p[1]! += ry;
  s.p[2]! += rz;
  s.v[0]! += cx;
  s.v[1]! += cy;
  s.v[2]! += cz;
  s.a[0]! += al[1]! * rz - al[2]! * ry + (wy * cz - wz * cy);
  s.a[1]! += al[2]! * rx - al[0]! * rz + (wz * cx - wx * cz);
  s.a[2]! += al[0]! * ry - al[1]! * rx + (wx * cy - wy * cx);
}

/**
 * Evaluates the chain with joint variables x[ch], dx[ch], ddx[ch] and writes the tip frame's state into `out`.
 */
export function evalChain(
  joints: readonly Joint[],
  x: Float64Array,
  dx: Float64Array,
  ddx: Float64Array,
  out: ChainState,
): void {
  out.q[0] = 1;
  out.q[1] = 0;
  out.q[2] = 0;
  out.q[3] = 0;
  out.p.fill(0);
  out.v.fill(0);
  out.a.fill(0);
  out.w.fill(0);
  out.al.fill(0);
  for (const j of joints) {
    if (j.type === 'fixed') {
      rot(out.q, j.offset[0], j.offset[1], j.offset[2], r);
      transport(out, r[0]!, r[1]!, r[2]!);
      mulRight(out.q, j.q[0], j.q[1], j.q[2], j.q[3]);
      continue;
    }
    const th = x[j.channel]!;
    const dth = dx[j.channel]!;
    const ddth = ddx[j.channel]!;
    rot(out.q, j.axis[0], j.axis[1], j.axis[2], u); // joint axis in earth coordinates
    if (j.type === 'prismatic') {
      // point at R u d moves with the parent, plus relative velocity u d' and acceleration u d'' + 2 ω × u d'
      transport(out, u[0]! * th, u[1]! * th, u[2]! * th);
      const w = out.w;
      out.v[0]! += u[0]! * dth;
      out.v[1]! += u[1]! * dth;
      out.v[2]! += u[2]! * dth;
      out.a[0]! += u[0]! * ddth + 2 * dth * (w[1]! * u[2]! - w[2]! * u[1]!);
      out.a[1]! += u[1]! * ddth + 2 * dth * (w[2]! * u[0]! - w[0]! * u[2]!);
      out.a[2]! += u[2]! * ddth + 2 * dth * (w[0]! * u[1]! - w[1]! * u[0]!);
      continue;
    }
    // revolute: move to the pivot (rigid in the parent), rotate, move back (rigid in the child)
    rot(out.q, j.pivot[0], j.pivot[1], j.pivot[2], r);
    transport(out, r[0]!, r[1]!, r[2]!);
    const w = out.w;
    const al = out.al;
    // α += θ'' u + ω_{k-1} × θ' u  (uses ω before the update)
    t1[0] = w[1]! * u[2]! - w[2]! * u[1]!;
    t1[1] = w[2]! * u[0]! - w[0]! * u[2]!;
    t1[2] = w[0]! * u[1]! - w[1]! * u[0]!;
    al[0]! += ddth * u[0]! + dth * t1[0]!;
    al[1]! += ddth * u[1]! + dth * t1[1]!;
    al[2]! += ddth * u[2]! + dth * t1[2]!;
    w[0]! += dth * u[0]!;
    w[1]! += dth * u[1]!;
    w[2]! += dth * u[2]!;
    const s = Math.sin(th / 2);
    mulRight(out.q, Math.cos(th / 2), j.axis[0] * s, j.axis[1] * s, j.axis[2] * s);
    rot(out.q, -j.pivot[0], -j.pivot[1], -j.pivot[2], r);
    transport(out, r[0]!, r[1]!, r[2]!);
  }
}
