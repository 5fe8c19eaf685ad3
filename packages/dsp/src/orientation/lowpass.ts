/**
 * Second-order Butterworth low-pass, discretised with the bilinear transform and run in transposed direct form II.
 * Coefficients are stored as [b0, b1, b2, a1, a2] at `offset`; the state of one channel is two numbers.
 * The cut-off is fc = √2 / (2π·tau), so `tauS` plays the role of a first-order time constant (as in VQF).
 */
export function setLowpassCoefficients(tauS: number, dtS: number, out: Float64Array, offset = 0): void {
  if (!(tauS > 0) || !(dtS > 0)) {
    // Pass-through: y = x.
    out[offset] = 1;
    out[offset + 1] = 0;
    out[offset + 2] = 0;
    out[offset + 3] = 0;
    out[offset + 4] = 0;
    return;
  }
  const fc = Math.SQRT2 / (2 * Math.PI * tauS);
  // Keep the prewarped frequency below Nyquist so tan() stays finite for very long intervals.
  const k = Math.tan(Math.min(Math.PI * fc * dtS, 1.5));
  const k2 = k * k;
  const norm = 1 / (1 + Math.SQRT2 * k + k2);
  const b0 = k2 * norm;
  out[offset] = b0;
  out[offset + 1] = 2 * b0;
  out[offset + 2] = b0;
  out[offset + 3] = 2 * (k2 - 1) * norm;
  out[offset + 4] = (1 - Math.SQRT2 * k + k2) * norm;
}

/** One step of channel `i` (state at s[2i], s[2i+1]) with coefficients c[0..4]; returns the filtered value. */
export function lowpassStep(x: number, c: Float64Array, s: Float64Array, i: number): number {
  const j = 2 * i;
  const y = c[0]! * x + s[j]!;
  s[j] = c[1]! * x - c[3]! * y + s[j + 1]!;
  s[j + 1] = c[2]! * x - c[4]! * y;
  return y;
}

/** Sets channel `i` to the steady state of a constant input x (output x from the next step on). */
export function lowpassSteady(x: number, c: Float64Array, s: Float64Array, i: number): void {
  const j = 2 * i;
  s[j + 1] = (c[2]! - c[4]!) * x;
  s[j] = (c[1]! - c[3]!) * x + s[j + 1]!;
}
