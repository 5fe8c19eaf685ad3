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
  /**
   * Lumbar extension (pelvis relative to an upper-lumbar sensor, about the tilt axis, deg) now and at the rest before
   * the rep; NaN without that sensor (then arching is judged from the pelvis overshooting its usual range).
   */
  lumbarExtensionDeg: number;
  restLumbarExtensionDeg: number;
  /**
   * False where the range does not measure the rep: a clamshell without the thigh sensor, where the pelvis's
   * counter-roll stands in for the knee opening. Live, 53 of 97 partial-range flags on the corpus were clean reps
   * (a well-done clamshell barely moves the pelvis), so partial range waits for the after-set review there.
   */
  rangeMeasuresRep: boolean;
  /**
   * True while a pelvis overshooting its usual range is not called arched during the rep: the rep before read as
   * fuller than the yardstick, not arched, so the yardstick may be a partial rep's and only this rep's lift, known at
   * its end, can tell (the pipeline judges it there).
   */
  holdArch: boolean;
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
  /**
   * Side plank: the pelvis's roll back (+) or forward (−) about its long axis when the lift peaked, degrees relative
   * to the rest before the rep; NaN for the other exercises.
   */
  readonly rollAtPeakDeg: number;
  reset(): void;
}

/** Below this smoothed speed of the excursion the plank is held (sagged or not), deg/s. */
const SAG_SETTLED_DEG_PER_S = 3;
/** Smoothing of the excursion speed: tremor (7–12 Hz) must not look like movement, s. */
const SPEED_SMOOTHING_S = 0.12;
/** Low-pass of the rate about the movement axis for the descent's braking (2 poles; tremor is 7–12 Hz), Hz. */
const DESCENT_LOWPASS_HZ = 4;
/** A descent slower than this is posture sway, not a sag, deg/s. */
const DESCENT_MIN_DEG_PER_S = 4;
/** Braking = the descent rate fell below this fraction of its maximum. */
const DESCENT_BRAKED = 0.9;
/**
 * A descent predicted to stop above this fraction of the lift lost, or a plank held above the rest of the lift, is a
 * sag, not the lowering (which goes on to the floor).
 */
const DESCENT_STOP_FRACTION = 0.8;
/** The descent's speed is binned this finely for the drop at which it first reached each speed, deg/s, ... */
const DESCENT_BIN_DEG_PER_S = 0.5;
/** ... up to this many bins (128 °/s: a rushed 25° side-plank lowering in 0.3 s peaks near 130 °/s). */
const DESCENT_BINS = 256;

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
  rollAtPeakDeg = Number.NaN;
  private repStart = Number.NaN;
  private startObl = 0;
  private startRot = 0;
  private upChecked = false;
  private speed = 0;
  private lastT = Number.NaN;
  private lastExc = 0;
  private rangeChecked = false;
  /**
   * Descent after the top (side plank): low-passed rate about the movement axis and its fastest descent so far; per
   * DESCENT_BIN_DEG_PER_S of descent speed, the drop when the descent first reached it (valid where its stamp is the
   * descent's number).
   */
  private rate1 = 0;
  private rate2 = 0;
  private descentMax = 0;
  private descentNo = 0;
  private readonly dropAtSpeed = new Float64Array(DESCENT_BINS);
  private readonly dropAtSpeedNo = new Int32Array(DESCENT_BINS).fill(-1);
  /** The excursion through the same low-pass as the rate, so that the two are read with the same lag. */
  private exc1 = 0;
  private exc2 = 0;

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
      this.rate1 = x.rateDegPerS;
      this.exc1 = x.excursionDeg;
      this.exc2 = x.excursionDeg;
      this.rate2 = x.rateDegPerS;
      this.descentMax = 0;
      this.descentNo++;
    }
    if (!Number.isNaN(this.lastT) && x.tS > this.lastT) {
      const dt = x.tS - this.lastT;
      const raw = (x.excursionDeg - this.lastExc) / dt;
      this.speed += Math.min(1, dt / SPEED_SMOOTHING_S) * (raw - this.speed);
      const k = Math.min(1, dt * 2 * Math.PI * DESCENT_LOWPASS_HZ);
      this.rate1 += k * (x.rateDegPerS - this.rate1);
      this.rate2 += k * (this.rate1 - this.rate2);
      this.exc1 += k * (x.excursionDeg - this.exc1);
      this.exc2 += k * (this.exc1 - this.exc2);
    }
    this.lastT = x.tS;
    this.lastExc = x.excursionDeg;
    const dObl = x.obliquityDeg - this.startObl;
    const dRot = x.rotationDeg - this.startRot;
    if (exercise === 'hip-thrust' || exercise === 'glute-bridge') {
      if (!Number.isNaN(x.lumbarExtensionDeg)) {
        const ext = x.lumbarExtensionDeg - x.restLumbarExtensionDeg;
        if (ext > t.lumbarArchDeg) this.fire('lumbar_arch', x.tS, ext, t.lumbarArchDeg, 'deg');
      } else if (x.typicalFromReps >= 1 && !x.holdArch) {
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
      if (x.excursionDeg >= x.peakDeg) this.rollAtPeakDeg = roll;
      // Sag: the hips sink and the plank is held lower. The deliberate lowering goes on to the floor, so a sag is
      // a settled excursion (smoothed speed < SAG_SETTLED_DEG_PER_S) well below the peak but well above the floor.
      if (x.phase !== 'rising' && x.tS - x.peakS > 0.3 && Math.abs(this.speed) < SAG_SETTLED_DEG_PER_S) {
        const sag = x.peakDeg - x.excursionDeg;
        if (sag > t.hipSagDeg && x.excursionDeg > (1 - DESCENT_STOP_FRACTION) * x.peakDeg) {
          this.fire('hip_sag', x.tS, sag, t.hipSagDeg, 'deg');
        }
      }
      if (x.phase !== 'rising') this.earlySag(x, t);
    }
    // Rushed lift: judged once the top is reached (a pause part-way up, or a band jerk, is not the top).
    if (!this.upChecked && x.phase !== 'rising' && x.typicalFromReps >= 1 && x.peakDeg >= 0.8 * x.typicalRangeDeg) {
      this.upChecked = true;
      const upS = x.peakS - x.repStartS;
      if (upS < t.rushedUpS) this.fire('rushed_tempo', x.tS, upS, t.rushedUpS, 's');
    }
    // Partial range: judged when the lowering starts, against the person's usual range.
    if (!this.rangeChecked && x.phase === 'lowering' && x.rangeMeasuresRep) {
      this.rangeChecked = true;
      if (x.typicalFromReps >= 2) {
        const ratio = x.peakDeg / x.typicalRangeDeg;
        if (ratio < t.partialRangeFraction) this.fire('partial_range', x.tS, ratio, t.partialRangeFraction, 'ratio');
      }
    }
  }

  /**
   * A sag is told from the deliberate lowering as soon as the descent brakes. A movement brakes over about the
   * distance it took to get up to speed: the drop from the braking point (the speed down to DESCENT_BRAKED of its
   * peak) to the stop mirrors the drop from the start to where the speed first rose through that same speed. So
   * the stop is predicted as the drop at braking plus the drop at which the descent first reached the braking speed,
   * and a descent predicted to stop above DESCENT_STOP_FRACTION of the lift lost is a sag. That holds for a
   * bell-shaped descent (minimum jerk: it brakes just past half way, and doubling the drop at its peak speed was the
   * rule before) and as well for one that cruises at an even speed and brakes late, as a slow, controlled lowering
   * does: read as a bell, a lowering of 14° that cruised at 7 °/s and braked at 76 % of the lift was a 'sag'
   * (independent generator, seed 1: 13 clean side-plank reps flagged). Median ~0.35 s sooner than waiting for the
   * plank to settle (the rule in next()), which stays for sags that brake late. What no pelvis sensor can do: tell a
   * sag from a lowering before the descent brakes, so a deep sag that crosses the threshold early is cued after it.
   * The drops are read from the excursion through the same low-pass as the rate: read raw, the drop at the speed's
   * peak was the drop ~80 ms after it (≈ 2° at 26°/s), and a sag of 0.7 × the lift looked like a lowering.
   */
  private earlySag(x: FaultInput, t: Thresholds): void {
    const descent = -this.rate2;
    const drop = x.peakDeg - x.excursionDeg;
    if (descent <= 0) {
      if (this.descentMax > 0) this.descentNo++;
      this.descentMax = 0;
      return;
    }
    const dropLp = x.peakDeg - this.exc2;
    if (descent > this.descentMax) {
      // the first time the descent reaches each speed bin up to this one
      const to = Math.min(DESCENT_BINS - 1, Math.floor(descent / DESCENT_BIN_DEG_PER_S));
      for (let k = Math.min(DESCENT_BINS - 1, Math.floor(this.descentMax / DESCENT_BIN_DEG_PER_S)); k <= to; k++) {
        if (this.dropAtSpeedNo[k] !== this.descentNo) {
          this.dropAtSpeedNo[k] = this.descentNo;
          this.dropAtSpeed[k] = dropLp;
        }
      }
      this.descentMax = descent;
      return;
    }
    if (this.descentMax > DESCENT_MIN_DEG_PER_S && descent < DESCENT_BRAKED * this.descentMax && drop > t.hipSagDeg) {
      const k = Math.min(DESCENT_BINS - 1, Math.floor(descent / DESCENT_BIN_DEG_PER_S));
      const toSpeed = this.dropAtSpeedNo[k] === this.descentNo ? this.dropAtSpeed[k]! : dropLp;
      const stop = dropLp + toSpeed;
      if (stop < DESCENT_STOP_FRACTION * x.peakDeg && drop < DESCENT_STOP_FRACTION * x.peakDeg) {
        this.fire('hip_sag', x.tS, drop, t.hipSagDeg, 'deg');
      }
    }
  }

  end(endS: number, upS: number, downS: number, t: Thresholds): void {
    if (upS + downS < t.rushedUpDownS) this.fire('rushed_tempo', endS, upS + downS, t.rushedUpDownS, 's');
  }

  reset(): void {
    this.mask = 0;
    this.rollAtPeakDeg = Number.NaN;
    this.repStart = Number.NaN;
  }
}
