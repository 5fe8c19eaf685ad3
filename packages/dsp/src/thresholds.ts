import type { Exercise, FaultCode } from './types.ts';

/**
 * Therapist-tunable fault thresholds. Angles in degrees relative to the calibrated start pose (or to the rep's own
 * top, where stated), durations in seconds. Defaults and their reasons: docs/dsp.md, "Thresholds".
 */
export interface Thresholds {
  /** Thrust/bridge: tilt beyond the person's usual top (hips driven up by arching the low back), degrees. */
  lumbarArchDeg: number;
  /** Single-leg thrust/bridge: pelvis dropping or rotating toward the unsupported side, degrees. */
  pelvicDropDeg: number;
  /** Clamshells: pelvis rolling back (top hip moving posterior) as the knee opens, degrees. */
  pelvicRollDeg: number;
  /** Side plank: hips sinking from the rep's top while the plank is held, degrees. */
  hipSagDeg: number;
  /** A rep whose range is below this fraction of the person's usual range is partial (0..1). */
  partialRangeFraction: number;
  /** Lifting phase shorter than this is rushed, seconds. */
  rushedUpS: number;
  /** Lifting + lowering shorter than this is rushed, seconds (both measured between 5% and 95% of the range). */
  rushedUpDownS: number;
}

export const defaultThresholds: Thresholds = {
  lumbarArchDeg: 5,
  pelvicDropDeg: 4.5,
  pelvicRollDeg: 6,
  hipSagDeg: 5,
  partialRangeFraction: 0.67,
  rushedUpS: 0.3,
  rushedUpDownS: 0.7,
};

/** Which faults apply to which exercise. `pelvic_drop` applies to the single-leg thrust and bridge. */
export const faultsByExercise: Record<Exercise, readonly FaultCode[]> = {
  'hip-thrust': ['lumbar_arch', 'pelvic_drop', 'partial_range', 'rushed_tempo'],
  'glute-bridge': ['lumbar_arch', 'pelvic_drop', 'partial_range', 'rushed_tempo'],
  clamshell: ['pelvic_roll', 'partial_range', 'rushed_tempo'],
  'side-plank-clamshell': ['pelvic_roll', 'hip_sag', 'partial_range', 'rushed_tempo'],
};

/** Most important first: safety of the low back, then pelvic control, then range and tempo. */
export const faultPriority: readonly FaultCode[] = [
  'lumbar_arch',
  'pelvic_drop',
  'hip_sag',
  'pelvic_roll',
  'partial_range',
  'rushed_tempo',
];

/** Merge a partial update into thresholds, ignoring non-finite or negative values. */
export function mergeThresholds(base: Thresholds, update: Partial<Thresholds>): Thresholds {
  const out = { ...base };
  for (const key of Object.keys(update) as (keyof Thresholds)[]) {
    const v = update[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = v;
  }
  return out;
}
