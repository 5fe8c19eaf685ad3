/**
 * Orientation error metrics as defined by the BROAD dataset (Laidig et al. 2021) for sensor → earth quaternions in the
 * same ENU z-up earth frame. Per sample q_err = q_est ⊗ q_truth⁻¹ (an earth-frame rotation):
 * inclination = 2·acos(min(1, √(w² + z²))), heading = 2·atan(|z / w|), total = 2·acos(min(1, |w|)).
 * Samples where the truth is non-finite, or the mask is 0, are skipped. Results in degrees.
 */
export interface OrientationErrorRmse {
  inclinationDeg: number;
  headingDeg: number;
  totalDeg: number;
  /** Samples that entered the RMSE. */
  count: number;
}

const RAD_TO_DEG = 180 / Math.PI;

/** RMSE over the masked samples of 4n interleaved estimate and truth quaternions [w,x,y,z]. NaN when count is 0. */
export function orientationErrorRmse(
  qEst: Float64Array,
  qTruth: Float64Array,
  mask?: ArrayLike<number | boolean>,
): OrientationErrorRmse {
  const n = Math.min(qEst.length, qTruth.length) >> 2;
  let sInc = 0;
  let sHead = 0;
  let sTot = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (mask !== undefined && !mask[i]) continue;
    const k = 4 * i;
    const tw = qTruth[k]!;
    const tx = qTruth[k + 1]!;
    const ty = qTruth[k + 2]!;
    const tz = qTruth[k + 3]!;
    if (!Number.isFinite(tw + tx + ty + tz)) continue;
    const e = errorQuaternion(qEst[k]!, qEst[k + 1]!, qEst[k + 2]!, qEst[k + 3]!, tw, tx, ty, tz);
    if (!Number.isFinite(e.w + e.z)) continue;
    const inc = 2 * Math.acos(Math.min(1, Math.sqrt(e.w * e.w + e.z * e.z)));
    const head = 2 * Math.atan(Math.abs(e.z / e.w));
    const tot = 2 * Math.acos(Math.min(1, Math.abs(e.w)));
    sInc += inc * inc;
    sHead += head * head;
    sTot += tot * tot;
    count++;
  }
  return {
    inclinationDeg: Math.sqrt(sInc / count) * RAD_TO_DEG,
    headingDeg: Math.sqrt(sHead / count) * RAD_TO_DEG,
    totalDeg: Math.sqrt(sTot / count) * RAD_TO_DEG,
    count,
  };
}

/** Per-sample inclination error in degrees (NaN where the truth is missing); 4n quaternions in, n values out. */
export function inclinationErrorDeg(qEst: Float64Array, qTruth: Float64Array): Float64Array {
  const n = Math.min(qEst.length, qTruth.length) >> 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = 4 * i;
    const e = errorQuaternion(
      qEst[k]!,
      qEst[k + 1]!,
      qEst[k + 2]!,
      qEst[k + 3]!,
      qTruth[k]!,
      qTruth[k + 1]!,
      qTruth[k + 2]!,
      qTruth[k + 3]!,
    );
    out[i] = 2 * Math.acos(Math.min(1, Math.sqrt(e.w * e.w + e.z * e.z))) * RAD_TO_DEG;
  }
  return out;
}

/** q_est ⊗ q_truth⁻¹ — only w and z are needed by the metrics. Inputs need not be exactly unit. */
function errorQuaternion(
  aw: number,
  ax: number,
  ay: number,
  az: number,
  bw: number,
  bx: number,
  by: number,
  bz: number,
): { w: number; z: number } {
  const na = Math.sqrt(aw * aw + ax * ax + ay * ay + az * az);
  const nb = Math.sqrt(bw * bw + bx * bx + by * by + bz * bz);
  // a ⊗ conj(b) / (|a||b|)
  const w = (aw * bw + ax * bx + ay * by + az * bz) / (na * nb);
  const z = (-aw * bz - ax * by + ay * bx + az * bw) / (na * nb);
  return { w, z };
}
