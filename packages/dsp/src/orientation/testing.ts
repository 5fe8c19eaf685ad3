/**
 * Small quaternion helpers for tests and benches (allocate freely; not for per-sample paths).
 * Quaternions [w, x, y, z], Hamilton.
 */
export type Quat = readonly [number, number, number, number];

export function quatMultiply(a: ArrayLike<number>, b: ArrayLike<number>): [number, number, number, number] {
  const [aw, ax, ay, az] = [a[0]!, a[1]!, a[2]!, a[3]!];
  const [bw, bx, by, bz] = [b[0]!, b[1]!, b[2]!, b[3]!];
  return [
    aw * bw - ax * bx - ay * by - az * bz,
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
  ];
}

export function quatConjugate(q: ArrayLike<number>): [number, number, number, number] {
  return [q[0]!, -q[1]!, -q[2]!, -q[3]!];
}

/** Rotation by `angleRad` about the unit axis (x, y, z). */
export function quatFromAxisAngle(x: number, y: number, z: number, angleRad: number): [number, number, number, number] {
  const s = Math.sin(angleRad / 2);
  return [Math.cos(angleRad / 2), x * s, y * s, z * s];
}

/** v' = q ⊗ v ⊗ q*. */
export function quatRotate(q: ArrayLike<number>, v: ArrayLike<number>): [number, number, number] {
  const r = quatMultiply(quatMultiply(q, [0, v[0]!, v[1]!, v[2]!]), quatConjugate(q));
  return [r[1], r[2], r[3]];
}

/** Rotation angle between two unit quaternions, radians in [0, π]. */
export function quatAngleBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = Math.abs(a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!);
  return 2 * Math.acos(Math.min(1, d));
}

/** Deterministic standard-normal generator (mulberry32 + Box–Muller) for reproducible test noise. */
export function gaussianRng(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}
