import type { RepPhase } from './reps.ts';
import type { Thresholds } from './thresholds.ts';
import type { Exercise, FaultCode, Side } from './types.ts';

/** What the fault checker sees on each sample of a rep. Angles in degrees relative to the calibrated start. */
export interface FaultInput {
  tS: number;
  phase: RepPhase;
  repStartS: number;
  /** Serial number of the rep candidate; a new number starts a new rep. */
  candidate: number;
  /** Excursion about the movement axis above the resting baseline, and its running peak for this rep. */
  excursionDeg: number;
  peakDeg: number;
  peakS: number;
  /** Angular rate about the movement axis, deg/s (positive toward the rep's direction). */
  rateDegPerS: number;
  /** The person's usual range (median of recent reps) and how many reps it rests on. */
  typicalRangeDeg: number;
  typicalFromReps: number;
  tiltDeg: number;
  obliquityDeg: number;
  rotationDeg: number;
  /** Angles at the last sample the pelvis rested at the rep's start position. */
  restTiltDeg: number;
  restObliquityDeg: number;
  restRotationDeg: number;
}

export type FaultSink = (
  code: FaultCode,
  tS: number,
  value: number,
  threshold: number,
  unit: 'deg' | 's' | 'ratio',
) => void;

export interface FaultChecker {
  /** Call on every sample while a rep is in progress. */
  next(input: FaultInput, t: Thresholds): void;
  /** Call once when a rep ends, with its tempo. */
  end(endS: number, upS: number, downS: number, t: Thresholds): void;
  /** Bitmask of faults found in the current rep, bit i = faultBit(code). */
  readonly mask: number;
  reset(): void;
}

/** Below this smoothed speed of the excursion the plank is held (sagged or not), deg/s. */
const SAG_SETTLED_DEG_PER_S = 3;
/** Smoothing of the excursion speed: tremor (7–12 Hz) must not look like movement, s. */
const SPEED_SMOOTHING_S = 0.12;

export const faultBit: Record<FaultCode, number> = {
  lumbar_arch: 1,
  pelvic_drop: 2,
  pelvic_roll: 4,
  hip_sag: 8,
  partial_range: 16,
  rushed_tempo: 32,
};

export function faultsFromMask(mask: number): FaultCode[] {
  return (Object.keys(faultBit) as FaultCode[]).filter((c) => (mask & faultBit[c]) !== 0);
}

/**
 * Per-rep fault checks that fire on the sample where the measured value crosses its threshold, once per rep each.
 * Directions follow docs/frames.md: `side = left` means the left leg works / left knee on top, so the unsupported
 * (or top) side is the right (or left) one.
 */
export function createFaultChecker(
  exercise: Exercise,
  side: Side,
  sink: FaultSink,
  applicable: readonly FaultCode[],
): FaultChecker {
  const s = side === 'left' ? 1 : -1;
  let allowed = 0;
  for (const c of applicable) allowed |= faultBit[c];
  let mask = 0;
  let repStart = Number.NaN;
  let startObl = 0;
  let startRot = 0;
  let upChecked = false;
  let speed = 0;
  let lastT = Number.NaN;
  let lastExc = 0;
  let rangeChecked = false;

  function fire(code: FaultCode, tS: number, value: number, threshold: number, unit: 'deg' | 's' | 'ratio'): void {
    const bit = faultBit[code];
    if ((allowed & bit) === 0 || (mask & bit) !== 0) return;
    mask |= bit;
    sink(code, tS, value, threshold, unit);
  }

  const checker: FaultChecker = {
    get mask() {
      return mask;
    },
    next(x, t) {
      if (x.candidate !== repStart) {
        repStart = x.candidate;
        mask = 0;
        upChecked = false;
        rangeChecked = false;
        startObl = x.restObliquityDeg;
        speed = 0;
        lastT = Number.NaN;
        startRot = x.restRotationDeg;
      }
      if (!Number.isNaN(lastT) && x.tS > lastT) {
        const raw = (x.excursionDeg - lastExc) / (x.tS - lastT);
        speed += Math.min(1, (x.tS - lastT) / SPEED_SMOOTHING_S) * (raw - speed);
      }
      lastT = x.tS;
      lastExc = x.excursionDeg;
      const dObl = x.obliquityDeg - startObl;
      const dRot = x.rotationDeg - startRot;
      if (exercise === 'hip-thrust' || exercise === 'glute-bridge') {
        if (x.typicalFromReps >= 1) {
          const over = x.excursionDeg - x.typicalRangeDeg;
          if (over > t.lumbarArchDeg) fire('lumbar_arch', x.tS, over, t.lumbarArchDeg, 'deg');
        }
        // Unsupported side drops toward the floor (rotation) or caudally (obliquity).
        const drop = Math.hypot(Math.max(0, -s * dRot), Math.max(0, s * dObl));
        if (drop > t.pelvicDropDeg) fire('pelvic_drop', x.tS, drop, t.pelvicDropDeg, 'deg');
      } else if (exercise === 'clamshell') {
        const roll = s * dRot;
        if (roll > t.pelvicRollDeg) fire('pelvic_roll', x.tS, roll, t.pelvicRollDeg, 'deg');
      } else {
        const roll = s * dRot;
        if (roll > t.pelvicRollDeg) fire('pelvic_roll', x.tS, roll, t.pelvicRollDeg, 'deg');
        // Sag: the hips sink and the plank is held lower. The deliberate lowering goes on to the floor, so a sag is
        // a settled excursion (smoothed speed < SAG_SETTLED_DEG_PER_S) well below the peak but well above the floor.
        if (x.phase !== 'rising' && x.tS - x.peakS > 0.3 && Math.abs(speed) < SAG_SETTLED_DEG_PER_S) {
          const sag = x.peakDeg - x.excursionDeg;
          if (sag > t.hipSagDeg && x.excursionDeg > 0.3 * x.peakDeg) fire('hip_sag', x.tS, sag, t.hipSagDeg, 'deg');
        }
      }
      // Rushed lift: judged once the top is reached (a pause part-way up, or a band jerk, is not the top).
      if (!upChecked && x.phase !== 'rising' && x.typicalFromReps >= 1 && x.peakDeg >= 0.8 * x.typicalRangeDeg) {
        upChecked = true;
        const upS = x.peakS - x.repStartS;
        if (upS < t.rushedUpS) fire('rushed_tempo', x.tS, upS, t.rushedUpS, 's');
      }
      // Partial range: judged when the lowering starts, against the person's usual range.
      if (!rangeChecked && x.phase === 'lowering') {
        rangeChecked = true;
        if (x.typicalFromReps >= 2) {
          const ratio = x.peakDeg / x.typicalRangeDeg;
          if (ratio < t.partialRangeFraction) fire('partial_range', x.tS, ratio, t.partialRangeFraction, 'ratio');
        }
      }
    },
    end(endS, upS, downS, t) {
      if (upS + downS < t.rushedUpDownS) fire('rushed_tempo', endS, upS + downS, t.rushedUpDownS, 's');
    },
    reset() {
      mask = 0;
      repStart = Number.NaN;
    },
  };
  return checker;
}
