/**
 * Small quaternion helpers on plain tuples, [w,x,y,z] Hamilton (docs/frames.md). For setup code and tests; the
 * per-sample paths inline the same arithmetic on locals to avoid allocation.
 */

export type Quat = [number, number, number, number];
export type Vec3 = [number, number, number];

export function quatMultiply(a: Quat, b: Quat): Quat {
  const [aw, ax, ay, az] = a;
  const [bw, bx, by, bz] = b;
  return [
    aw * bw - ax * bx - ay * by - az * bz,
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
  ];
}

export function quatConjugate(q: Quat): Quat {
  return [q[0], -q[1], -q[2], -q[3]];
}

export function quatNormalize(q: Quat): Quat {
  const n = Math.hypot(q[0], q[1], q[2], q[3]) || 1;
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** v_A = q_AB ⊗ v_B ⊗ q_AB*. */
export function quatRotate(q: Quat, v: Vec3): Vec3 {
  const [w, x, y, z] = q;
  const [vx, vy, vz] = v;
  // t = 2 * cross(q.xyz, v); v' = v + w t + cross(q.xyz, t)
  const tx = 2 * (y * vz - z * vy);
  const ty = 2 * (z * vx - x * vz);
  const tz = 2 * (x * vy - y * vx);
  return [vx + w * tx + (y * tz - z * ty), vy + w * ty + (z * tx - x * tz), vz + w * tz + (x * ty - y * tx)];
}

export function quatFromAxisAngle(axis: Vec3, angleRad: number): Quat {
  const n = Math.hypot(axis[0], axis[1], axis[2]) || 1;
  const s = Math.sin(angleRad / 2) / n;
  return [Math.cos(angleRad / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}

/**
 * Quaternion of the rotation whose matrix has the given columns: R = [c0 c1 c2], so R·e_i = c_i.
 * Shepperd's method; the columns must be orthonormal and right-handed.
 */
export function quatFromColumns(c0: Vec3, c1: Vec3, c2: Vec3): Quat {
  const m00 = c0[0];
  const m10 = c0[1];
  const m20 = c0[2];
  const m01 = c1[0];
  const m11 = c1[1];
  const m21 = c1[2];
  const m02 = c2[0];
  const m12 = c2[1];
  const m22 = c2[2];
  const tr = m00 + m11 + m22;
  let q: Quat;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    q = [0.25 * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    q = [(m21 - m12) / s, 0.25 * s, (m01 + m10) / s, (m02 + m20) / s];
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    q = [(m02 - m20) / s, (m01 + m10) / s, 0.25 * s, (m12 + m21) / s];
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    q = [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, 0.25 * s];
  }
  return quatNormalize(q[0] < 0 ? [-q[0], -q[1], -q[2], -q[3]] : q);
}

/** The shortest rotation taking unit vector `from` onto unit vector `to`. */
export function quatFromTwoVectors(from: Vec3, to: Vec3): Quat {
  const d = from[0] * to[0] + from[1] * to[1] + from[2] * to[2];
  if (d < -0.999999) {
    // Opposite: any perpendicular axis.
    const axis: Vec3 = Math.abs(from[0]) < 0.9 ? cross(from, [1, 0, 0]) : cross(from, [0, 1, 0]);
    return quatFromAxisAngle(axis, Math.PI);
  }
  const c = cross(from, to);
  return quatNormalize([1 + d, c[0], c[1], c[2]]);
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function angleBetweenDeg(a: Vec3, b: Vec3): number {
  const c = dot(normalize(a), normalize(b));
  return (Math.acos(Math.max(-1, Math.min(1, c))) * 180) / Math.PI;
}

/**
 * Intrinsic X-Y-Z decomposition of a rotation given as a quaternion (docs/frames.md): R = Rx(tilt)·Ry(obl)·Rz(rot).
 */
export function quatToTiltObliquityRotationDeg(q: Quat): [number, number, number] {
  const [w, x, y, z] = q;
  const r00 = 1 - 2 * (y * y + z * z);
  const r01 = 2 * (x * y - w * z);
  const r02 = 2 * (x * z + w * y);
  const r12 = 2 * (y * z - w * x);
  const r22 = 1 - 2 * (x * x + y * y);
  const k = 180 / Math.PI;
  return [Math.atan2(-r12, r22) * k, Math.asin(Math.max(-1, Math.min(1, r02))) * k, Math.atan2(-r01, r00) * k];
}

/** Inverse of quatToTiltObliquityRotationDeg. */
export function quatFromTiltObliquityRotationDeg(tiltDeg: number, obliquityDeg: number, rotationDeg: number): Quat {
  const k = Math.PI / 180;
  return quatMultiply(
    quatMultiply(quatFromAxisAngle([1, 0, 0], tiltDeg * k), quatFromAxisAngle([0, 1, 0], obliquityDeg * k)),
    quatFromAxisAngle([0, 0, 1], rotationDeg * k),
  );
}
