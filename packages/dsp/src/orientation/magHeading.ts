import type { OrientationSettings } from './settings.ts';

const DEG = Math.PI / 180;

/**
 * Magnetometer heading correction with disturbance rejection (after VQF's description, simplified).
 * Holds δ, a rotation about earth z applied on top of the six-axis orientation, pulled towards the heading that makes
 * the horizontal field point north (+y, ENU) with time constant `tauMagS`. The field's norm and dip are compared with a
 * learned reference; a disturbed field is not used until it has been disturbed for `magMaxRejectionTimeS` (then with
 * reduced gain) or until a new homogeneous field has been stable for `magNewTimeS` while the sensor turned.
 */
export class MagHeading {
  /** cos(δ/2), sin(δ/2) of the heading correction δ (rad). */
  cosHalf = 1;
  sinHalf = 0;
  private delta = 0;
  private count = 0;
  private kMag = 0;
  private aCurrent = 1;
  private aRef = 0;
  private normLp = 0;
  private dipLp = 0;
  private refNorm = 0;
  private refDip = 0;
  private candNorm = 0;
  private candDip = 0;
  private candT = 0;
  private disturbed = false;
  private undisturbedT = 0;
  private rejectT = 0;

  constructor(private readonly s: Readonly<OrientationSettings>) {}

  reset(): void {
    this.cosHalf = 1;
    this.sinHalf = 0;
    this.delta = 0;
    this.count = 0;
    this.normLp = 0;
    this.dipLp = 0;
    this.refNorm = 0;
    this.refDip = 0;
    this.candNorm = 0;
    this.candDip = 0;
    this.candT = 0;
    this.disturbed = false;
    this.undisturbedT = 0;
    this.rejectT = 0;
  }

  setDt(dtS: number): void {
    this.kMag = 1 - Math.exp(-dtS / this.s.tauMagS);
    this.aCurrent = 1 - Math.exp(-dtS / this.s.magCurrentTauS);
    this.aRef = 1 - Math.exp(-dtS / this.s.magRefTauS);
  }

  /**
   * One magnetometer sample (µT, sensor frame) with the current six-axis orientation q6 and the gyro rate magnitude.
   * Returns false when the sample was not used (invalid or judged disturbed).
   */
  update(
    dtS: number,
    w: number,
    x: number,
    y: number,
    z: number,
    mx: number,
    my: number,
    mz: number,
    rateRadPerS: number,
  ): boolean {
    const norm = Math.sqrt(mx * mx + my * my + mz * mz);
    if (!(norm > 0) || norm === Number.POSITIVE_INFINITY) return false;
    // Field in E (six-axis frame).
    const tx = 2 * (y * mz - z * my);
    const ty = 2 * (z * mx - x * mz);
    const tz = 2 * (x * my - y * mx);
    const ex = mx + w * tx + (y * tz - z * ty);
    const ey = my + w * ty + (z * tx - x * tz);
    const ez = mz + w * tz + (x * ty - y * tx);
    const dip = Math.asin(Math.max(-1, Math.min(1, ez / norm)));
    const first = this.count === 0;
    if (first || dtS === 0) {
      this.normLp = norm;
      this.dipLp = dip;
    } else {
      this.normLp += this.aCurrent * (norm - this.normLp);
      this.dipLp += this.aCurrent * (dip - this.dipLp);
    }
    let gain = 1;
    if (this.s.magDistRejectionEnabled) {
      const r = this.rejection(dtS, rateRadPerS);
      if (r === 0) return false;
      gain = r;
    }
    // Heading that brings the horizontal field onto +y: δ* = atan2(ex, ey).
    let err = Math.atan2(ex, ey) - this.delta;
    err = err > Math.PI ? err - 2 * Math.PI : err < -Math.PI ? err + 2 * Math.PI : err;
    this.count += 1;
    // Start-up: average the first samples (gain 1/n) until the first-order gain takes over.
    const k = Math.max(this.kMag * gain, 1 / this.count);
    let d = this.delta + k * err;
    d = d > Math.PI ? d - 2 * Math.PI : d < -Math.PI ? d + 2 * Math.PI : d;
    this.delta = d;
    this.cosHalf = Math.cos(d / 2);
    this.sinHalf = Math.sin(d / 2);
    return true;
  }

  /** Returns the gain factor to use: 1 undisturbed, 1/magRejectionFactor after a long rejection, 0 to reject. */
  private rejection(dtS: number, rateRadPerS: number): number {
    const s = this.s;
    const normTh = s.magNormTh;
    const dipTh = s.magDipThDeg * DEG;
    // Candidate for a new reference: the current field, as long as it stays homogeneous.
    const candOk =
      this.candNorm > 0 &&
      Math.abs(this.normLp - this.candNorm) < normTh * this.candNorm &&
      Math.abs(this.dipLp - this.candDip) < dipTh;
    if (candOk) {
      this.candNorm += this.aRef * (this.normLp - this.candNorm);
      this.candDip += this.aRef * (this.dipLp - this.candDip);
      if (this.refNorm === 0 || rateRadPerS >= s.magNewMinGyrDegPerS * DEG) this.candT += dtS;
    } else {
      this.candNorm = this.normLp;
      this.candDip = this.dipLp;
      this.candT = 0;
    }
    if (this.refNorm === 0) {
      // No reference yet: use the field, and adopt the candidate once it has been stable long enough.
      if (this.candT >= s.magNewFirstTimeS) this.adoptCandidate();
      return 1;
    }
    const ok =
      Math.abs(this.normLp - this.refNorm) < normTh * this.refNorm && Math.abs(this.dipLp - this.refDip) < dipTh;
    if (ok) {
      this.undisturbedT += dtS;
      if (this.disturbed && this.undisturbedT < s.magMinUndisturbedTimeS) return 0;
      this.disturbed = false;
      this.rejectT = 0;
      this.refNorm += this.aRef * (this.normLp - this.refNorm);
      this.refDip += this.aRef * (this.dipLp - this.refDip);
      return 1;
    }
    this.disturbed = true;
    this.undisturbedT = 0;
    this.rejectT += dtS;
    if (this.candT >= s.magNewTimeS) {
      this.adoptCandidate();
      return 1;
    }
    return this.rejectT >= s.magMaxRejectionTimeS ? 1 / s.magRejectionFactor : 0;
  }

  private adoptCandidate(): void {
    this.refNorm = this.candNorm;
    this.refDip = this.candDip;
    this.disturbed = false;
    this.rejectT = 0;
    this.candT = 0;
  }
}
