import type { SegmentRole, SegmentStatus } from './segment.ts';

/**
 * The public vocabulary of @hipcue/dsp: exercises, sides, fault and cue codes, and the events the pipeline emits.
 * Angles in degrees relative to the calibrated start pose (docs/frames.md), times in seconds (`tS`) as they arrived
 * with the samples.
 */

export type Exercise = 'hip-thrust' | 'glute-bridge' | 'clamshell' | 'side-plank-clamshell';
export const exercises: readonly Exercise[] = ['hip-thrust', 'glute-bridge', 'clamshell', 'side-plank-clamshell'];

/** `left` = the left leg works (single-leg thrust/bridge) or the left knee is on top (clamshells). See frames.md. */
export type Side = 'left' | 'right';

export type FaultCode = 'lumbar_arch' | 'pelvic_drop' | 'pelvic_roll' | 'hip_sag' | 'partial_range' | 'rushed_tempo';
export const faultCodes: readonly FaultCode[] = [
  'lumbar_arch',
  'pelvic_drop',
  'pelvic_roll',
  'hip_sag',
  'partial_range',
  'rushed_tempo',
];

/** Fault cues share the fault's code; `good_rep` is the positive reinforcement. */
export type CueCode = FaultCode | 'good_rep';

export interface AnglesDeg {
  tiltDeg: number;
  obliquityDeg: number;
  rotationDeg: number;
}

/** Why calibration failed; `detail` carries the measured value the app can show. */
export type CalibrationFailure =
  | { reason: 'moved'; detail: { gyroRmsDegPerS: number; accStdMps2: number } }
  | { reason: 'flipped'; detail: { angleDeg: number } }
  | { reason: 'wrong_pose'; detail: { angleDeg: number; toleranceDeg: number } }
  | { reason: 'no_gravity'; detail: { accNormMps2: number } }
  | { reason: 'no_movement_axis'; detail: { eigenRatio: number } };

export interface CalibrationResult {
  /** Unit "up" (specific force at rest) in sensor coordinates, from the hold. */
  upS: [number, number, number];
  /** Gyro bias measured during the hold, rad/s, sensor frame. */
  gyroBiasRadPerS: [number, number, number];
  /** Mounting rotation sensor → pelvis, [w,x,y,z] (q_PS in frames.md notation). */
  qPS: [number, number, number, number];
  /** Angle between the measured up direction and the exercise's expected one, degrees. */
  poseErrorDeg: number;
  /** How the horizontal pelvis axes were found: from the first movement's principal axis or the mounting prior. */
  axisSource: 'movement' | 'mounting-prior';
  /** Largest / second-largest eigenvalue of the movement's gyro covariance (∞ when not used). */
  eigenRatio: number;
  holdStartS: number;
  holdEndS: number;
  /** Extra sensors in use at calibration and what became of them (absent when none was configured). */
  segments?: Partial<Record<SegmentRole, SegmentStatus>>;
}

export interface RepMetrics {
  /** 0-based index of the rep in the session. */
  index: number;
  /** 0-based index of the set this rep belongs to. */
  setIndex: number;
  startS: number;
  peakS: number;
  endS: number;
  /** Peak excursion about the exercise's movement axis, degrees, relative to the rest before the rep. */
  rangeDeg: number;
  upS: number;
  holdS: number;
  downS: number;
  peakAngularVelocityDegPerS: number;
  /** Peak vertical displacement estimate of the sensor (metres), where the exercise lifts the hips; else undefined. */
  liftM?: number;
  /**
   * Side plank: the pelvis's roll about its long axis when the lift peaked, degrees relative to the rest before the rep,
   * back (+, the `pelvic_roll` direction) or forward (−); else undefined.
   */
  rollAtPeakDeg?: number;
  faults: FaultCode[];
}

export interface FaultDetection {
  code: FaultCode;
  repIndex: number;
  /** When the measured value first crossed the threshold. */
  tS: number;
  /** Measured value and the threshold it crossed, in `unit`. */
  value: number;
  threshold: number;
  unit: 'deg' | 's' | 'ratio';
}

export interface Cue {
  tS: number;
  code: CueCode;
  text: string;
  repIndex: number;
}

export interface SetSummary {
  index: number;
  startS: number;
  endS: number;
  reps: number;
  /** Fatigue estimate 0..1 (0 = none) from velocity and range loss vs the set's first reps. An estimate. */
  fatigueEstimate: number;
  fatigueLevel: FatigueLevel;
}

export type FatigueLevel = 'none' | 'mild' | 'moderate' | 'high';

export type PipelineState = 'calibrating' | 'calibrating-axis' | 'ready' | 'in-set' | 'failed';

/** What the after-set review changed: faults it found (`tS` the rep's peak, no live cue) and live ones it withdrew. */
export interface SetReview {
  added: FaultDetection[];
  cleared: Array<{ repIndex: number; code: FaultCode }>;
  /** Reps the review found were no rep (review.ts movementsIn): not counted, their faults not judged. */
  notReps: Array<{ repIndex: number; setIndex: number }>;
}

export type PipelineEvent =
  | { type: 'calibration-progress'; tS: number; stillS: number; requiredS: number; stillness: number }
  | { type: 'calibration-done'; tS: number; calibration: CalibrationResult; stage: 'hold' | 'axis' }
  | { type: 'calibration-failed'; tS: number; failure: CalibrationFailure; message: string }
  | { type: 'rep-start'; tS: number; repIndex: number }
  | { type: 'rep'; tS: number; rep: RepMetrics }
  | { type: 'fault'; tS: number; fault: FaultDetection }
  | { type: 'cue'; tS: number; cue: Cue }
  | { type: 'set-start'; tS: number; setIndex: number }
  /**
   * The after-set review of a set (review.ts reviewSets), as it closes (before its `set-end`, whose count and
   * fatigue estimate follow it) or when the stream ends in it (`flush()`): `reps` are the set's reps with the
   * review's verdicts (copies; the `rep` events stand as judged live).
   */
  | { type: 'set-review'; tS: number; setIndex: number; reps: RepMetrics[]; review: SetReview }
  | { type: 'set-end'; tS: number; set: SetSummary }
  | { type: 'fatigue'; tS: number; setIndex: number; estimate: number; level: FatigueLevel; targetReached: boolean }
  | { type: 'gap'; tS: number; fromS: number; toS: number };
