/**
 * Factor that renormalises a quaternion of squared norm n2. NOTE: the quaternions here are products of unit
 * quaternions, so n2 differs from 1 only by rounding; one Newton step for 1/√n2 (no sqrt, no division) is then exact
 * to ~(n2 − 1)². Anything further off takes the exact path.
 */
export function renormFactor(n2: number): number {
  const e = n2 - 1;
  return e < 1e-6 && e > -1e-6 ? 1 - 0.5 * e : 1 / Math.sqrt(n2);
}
