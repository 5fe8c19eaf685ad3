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
  return new RepFaultChecker(exercise, side, sink, applicable);
}

/** NOTE: state in class fields rather than closure variables, so per-sample double writes do not allocate. */
class RepFaultChecker implements FaultChecker {
  private readonly s: number;
  private readonly allowed: number;
  mask = 0;
  private repStart = Number.NaN;
  private startObl = 0;
  private startRot = 0;
  private upChecked = false;
  private speed = 0;
  private lastT = Number.NaN;
  private lastExc = 0;
  private rangeChecked = false;

  constructor(
    private readonly exercise: Exercise,
    side: Side,
    private readonly sink: FaultSink,
    applicable: readonly FaultCode[],
  ) {
    this.s = side === 'left' ? 1 : -1;
    let allowed = 0;
    for (const c of applicable) allowed |= faultBit[c];
    this.allowed = allowed;
  }

  private fire(code: FaultCode, tS: number, value: number, threshold: number, unit: 'deg' | 's' | 'ratio'): void {
    const bit = faultBit[code];
    if ((this.allowed & bit) === 0 || (this.mask & bit) !== 0) return;
    this.mask |= bit;
    this.sink(code, tS, value, threshold, unit);
  }

  next(x: FaultInput, t: Thresholds): void {
    const s = this.s;
    const exercise = this.exercise;
    if (x.candidate !== this.repStart) {
      this.repStart = x.candidate;
      this.mask = 0;
      this.upChecked = false;
      this.rangeChecked = false;
      this.startObl = x.restObliquityDeg;
      this.speed = 0;
      this.lastT = Number.NaN;
      this.startRot = x.restRotationDeg;
    }
    if (!Number.isNaN(this.lastT) && x.tS > this.lastT) {
      const raw = (x.excursionDeg - this.lastExc) / (x.tS - this.lastT);
      this.speed += Math.min(1, (x.tS - this.lastT) / SPEED_SMOOTHING_S) * (raw - this.speed);
    }
    this.lastT = x.tS;
    this.lastExc = x.excursionDeg;
    const dObl = x.obliquityDeg - this.startObl;
    const dRot = x.rotationDeg - this.startRot;
    if (exercise === 'hip-thrust' || exercise === 'glute-bridge') {
      if (x.typicalFromReps >= 1) {
        const over = x.excursionDeg - x.typicalRangeDeg;
        if (over > t.lumbarArchDeg) this.fire('lumbar_arch', x.tS, over, t.lumbarArchDeg, 'deg');
      }
      // Unsupported side drops toward the floor (rotation) or caudally (obliquity).
      const drop = Math.hypot(Math.max(0, -s * dRot), Math.max(0, s * dObl));
      if (drop > t.pelvicDropDeg) this.fire('pelvic_drop', x.tS, drop, t.pelvicDropDeg, 'deg');
    } else if (exercise === 'clamshell') {
      const roll = s * dRot;
      if (roll > t.pelvicRollDeg) this.fire('pelvic_roll', x.tS, roll, t.pelvicRollDeg, 'deg');
    } else {
      const roll = s * dRot;
      if (roll > t.pelvicRollDeg) this.fire('pelvic_roll', x.tS, roll, t.pelvicRollDeg, 'deg');
      // Sag: the hips sink and the plank is held lower. The deliberate lowering goes on to the floor, so a sag is
      // a settled excursion (smoothed speed < SAG_SETTLED_DEG_PER_S) well below the peak but well above the floor.
      if (x.phase !== 'rising' && x.tS - x.peakS > 0.3 && Math.abs(this.speed) < SAG_SETTLED_DEG_PER_S) {
        const sag = x.peakDeg - x.excursionDeg;
        if (sag > t.hipSagDeg && x.excursionDeg > 0.3 * x.peakDeg) this.fire('hip_sag', x.tS, sag, t.hipSagDeg, 'deg');
      }
    }
    // Rushed lift: judged once the top is reached (a pause part-way up, or a band jerk, is not the top).
    if (!this.upChecked && x.phase !== 'rising' && x.typicalFromReps >= 1 && x.peakDeg >= 0.8 * x.typicalRangeDeg) {
      this.upChecked = true;
      const upS = x.peakS - x.repStartS;
      if (upS < t.rushedUpS) this.fire('rushed_tempo', x.tS, upS, t.rushedUpS, 's');
    }
    // Partial range: judged when the lowering starts, against the person's usual range.
    if (!this.rangeChecked && x.phase === 'lowering') {
      this.rangeChecked = true;
      if (x.typicalFromReps >= 2) {
        const ratio = x.peakDeg / x.typicalRangeDeg;
        if (ratio < t.partialRangeFraction) this.fire('partial_range', x.tS, ratio, t.partialRangeFraction, 'ratio');
      }
    }
  }

  end(endS: number, upS: number, downS: number, t: Thresholds): void {
    if (upS + downS < t.rushedUpDownS) this.fire('rushed_tempo', endS, upS + downS, t.rushedUpDownS, 's');
  }

  reset(): void {
    this.mask = 0;
    this.repStart = Number.NaN;
  }
}
