/** Plain-arithmetic quaternion and vector helpers. Quaternions are [w, x, y, z], Hamilton (docs/frames.md). */
export type Quat = [number, number, number, number];
export type Vec3 = [number, number, number];

export const DEG = Math.PI / 180;

export function qmul(a: Quat, b: Quat): Quat {
  return [
    a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
    a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
    a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
    a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
  ];
}

export function qconj(q: Quat): Quat {
  return [q[0], -q[1], -q[2], -q[3]];
}

export function qnormalize(q: Quat): Quat {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** Rotation by `angleRad` about unit `axis`. */
export function qaxis(axis: Vec3, angleRad: number): Quat {
  const s = Math.sin(angleRad / 2);
  return [Math.cos(angleRad / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}

/** v' = q ⊗ v ⊗ q* (frame B → frame A for q = q_AB). */
export function qrotate(q: Quat, v: Vec3): Vec3 {
  const [w, x, y, z] = q;
  const tx = 2 * (y * v[2] - z * v[1]);
  const ty = 2 * (z * v[0] - x * v[2]);
  const tz = 2 * (x * v[1] - y * v[0]);
  return [v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz), v[2] + w * tz + (x * ty - y * tx)];
}

/** Quaternion from a rotation matrix given by its columns (the images of the x, y, z unit vectors). */
export function qfromColumns(cx: Vec3, cy: Vec3, cz: Vec3): Quat {
  const m00 = cx[0];
  const m11 = cy[1];
  const m22 = cz[2];
  const tr = m00 + m11 + m22;
  let q: Quat;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    q = [0.25 * s, (cy[2] - cz[1]) / s, (cz[0] - cx[2]) / s, (cx[1] - cy[0]) / s];
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    q = [(cy[2] - cz[1]) / s, 0.25 * s, (cy[0] + cx[1]) / s, (cz[0] + cx[2]) / s];
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    q = [(cz[0] - cx[2]) / s, (cy[0] + cx[1]) / s, 0.25 * s, (cz[1] + cy[2]) / s];
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    q = [(cx[1] - cy[0]) / s, (cz[0] + cx[2]) / s, (cz[1] + cy[2]) / s, 0.25 * s];
  }
  return qnormalize(q);
}

/**
 * Intrinsic X-Y-Z Euler angles (radians) of the rotation q: q = Rx(a) · Ry(b) · Rz(c).
 * This is the tilt / obliquity / rotation decomposition of docs/frames.md.
 */
export function qtoIntrinsicXyz(q: Quat): Vec3 {
  const [w, x, y, z] = q;
  // Rotation matrix elements needed for R = Rx Ry Rz: R02 = sin b, R12 = -sin a cos b, R22 = cos a cos b,
  // R01 = -cos b sin c, R00 = cos b cos c.
  const r02 = 2 * (x * z + w * y);
  const r12 = 2 * (y * z - w * x);
  const r22 = 1 - 2 * (x * x + y * y);
  const r01 = 2 * (x * y - w * z);
  const r00 = 1 - 2 * (y * y + z * z);
  const b = Math.asin(Math.max(-1, Math.min(1, r02)));
  return [Math.atan2(-r12, r22), b, Math.atan2(-r01, r00)];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/**
 * Angle in radians of the rotation between two unit quaternions. Uses atan2 of the relative rotation's vector and
 * scalar parts, which stays accurate near 0 (acos of a dot product does not, least of all with Float32 inputs).
 */
export function qangle(a: Quat, b: Quat): number {
  const r = qmul(qconj(a), b);
  return 2 * Math.atan2(Math.hypot(r[1], r[2], r[3]), Math.abs(r[0]));
}
