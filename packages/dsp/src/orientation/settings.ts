/**
 * Settings of the orientation filter (see docs/orientation.md for the algorithm).
 * Defaults follow the published VQF parameters (Laidig & Seel 2023) where the algorithm has one;
 * the others are hipcue's and say so.
 */
export interface OrientationSettings {
  /** Time constant of the accelerometer low-pass (in the almost-inertial frame), seconds. Larger = trusts the gyro longer. */
  tauAccS: number;
  /** Time constant of the magnetometer heading correction, seconds. */
  tauMagS: number;
  /** Estimate the gyro bias while the sensor rests (rest detection below). */
  restBiasEstEnabled: boolean;
  /** Estimate the gyro bias in motion from the accelerometer corrections (horizontal components only). */
  motionBiasEstEnabled: boolean;
  /** Standard deviation of the initial bias estimate, degrees per second. Also the cap of the bias uncertainty. */
  biasSigmaInitDegPerS: number;
  /** Time in which the bias variance grows by (0.1 °/s)² without information, seconds (process noise). */
  biasForgettingTimeS: number;
  /** The bias estimate and each bias innovation are clipped to ± this, degrees per second. */
  biasClipDegPerS: number;
  /** Converged bias uncertainty (std) reached in motion, degrees per second; sets the motion measurement noise. */
  biasSigmaMotionDegPerS: number;
  /** Converged bias uncertainty (std) reached at rest, degrees per second; sets the rest measurement noise. */
  biasSigmaRestDegPerS: number;
  /**
   * hipcue: the accelerometer correction, rest-detection low-passes and bias updates run on block means of at least
   * this length, seconds; the gyro is integrated every sample. VQF runs everything every sample; the corrections act on
   * time constants of seconds, so 50 Hz loses nothing measurable (docs/orientation.md) and costs a fraction per sample.
   * At or below the sample interval every sample is its own block.
   */
  blockPeriodS: number;
  /** Minimum time all rest criteria must hold before rest is declared, seconds. */
  restMinTimeS: number;
  /** Time constant of the low-passes that rest detection compares samples against, seconds. */
  restFilterTauS: number;
  /** Rest threshold on gyro deviation from its low-pass and on the low-passed rate itself, degrees per second. */
  restThGyrDegPerS: number;
  /** Rest threshold on accelerometer deviation from its low-pass, m/s². */
  restThAccMps2: number;
  /**
   * hipcue: a sample interval above this is a gap, seconds. The gyro is not integrated across a gap (the rotation during
   * it is unknown); inclination restarts from the accelerometer and `flags.recovering` is set until the low-pass has
   * re-converged (tauAccS).
   */
  maxDtS: number;
  /**
   * hipcue: samples whose specific-force norm differs from 9.80665 by more than this are not fed to the accelerometer
   * low-pass (the previous low-passed value is held instead) and raise `flags.accRejected`, m/s². Infinity disables.
   */
  accRejectionMps2: number;
  /** Use the magnetometer (when samples carry it) for heading. */
  magEnabled: boolean;
  /** Reject magnetic disturbances (norm or dip deviating from the learned reference). */
  magDistRejectionEnabled: boolean;
  /** Time constant of the low-pass of the current field norm and dip, seconds. */
  magCurrentTauS: number;
  /** Time constant with which the reference norm and dip follow the undisturbed field, seconds. */
  magRefTauS: number;
  /** Allowed relative deviation of the field norm from the reference (0.1 = 10 %). */
  magNormTh: number;
  /** Allowed deviation of the dip angle from the reference, degrees. */
  magDipThDeg: number;
  /** A new homogeneous field is accepted as reference after this long, seconds. */
  magNewTimeS: number;
  /** Same, for the very first reference after start, seconds. */
  magNewFirstTimeS: number;
  /** While waiting for a new field, only time with at least this rotation rate counts, degrees per second. */
  magNewMinGyrDegPerS: number;
  /** Undisturbed time needed before a disturbance flag is cleared, seconds. */
  magMinUndisturbedTimeS: number;
  /** After this long disturbed, the field is accepted again (heading is corrected with reduced gain), seconds. */
  magMaxRejectionTimeS: number;
  /** Gain reduction factor of the heading correction while the rejection time runs out (dimensionless, ≥ 1). */
  magRejectionFactor: number;
}

/** Defaults: VQF's published parameters, plus hipcue's gap and rejection limits. */
export const defaultOrientationSettings: Readonly<OrientationSettings> = Object.freeze({
  tauAccS: 3,
  tauMagS: 9,
  restBiasEstEnabled: true,
  motionBiasEstEnabled: true,
  biasSigmaInitDegPerS: 0.5,
  biasForgettingTimeS: 100,
  biasClipDegPerS: 2,
  biasSigmaMotionDegPerS: 0.1,
  biasSigmaRestDegPerS: 0.03,
  blockPeriodS: 0.05,
  restMinTimeS: 1.5,
  restFilterTauS: 0.5,
  restThGyrDegPerS: 2,
  restThAccMps2: 0.5,
  maxDtS: 0.1,
  accRejectionMps2: Number.POSITIVE_INFINITY,
  magEnabled: true,
  magDistRejectionEnabled: true,
  magCurrentTauS: 0.05,
  magRefTauS: 20,
  magNormTh: 0.1,
  magDipThDeg: 10,
  magNewTimeS: 20,
  magNewFirstTimeS: 5,
  magNewMinGyrDegPerS: 20,
  magMinUndisturbedTimeS: 0.5,
  magMaxRejectionTimeS: 60,
  magRejectionFactor: 2,
});
