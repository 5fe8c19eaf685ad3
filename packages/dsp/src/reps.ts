/**
 * Rep detector on one scalar: the excursion (degrees) about the exercise's movement axis, positive in the rep's
 * direction. Hysteresis with thresholds that adapt to the person's own reps, a resting baseline that follows slow
 * posture drift and repositioning, a minimum rep duration, and a timeout for movements that never come back
 * (rolling over, getting up). Per-sample and allocation-free; the rep's samples sit in a preallocated ring so tempo
 * and peak metrics are exact once the rep ends.
 */

import { liftFromImu, OffsetFit, REST_GAP_S, REST_RATE_RAD_PER_S, stillPoses } from './liftFromImu.ts';

export interface RepDetectorSettings {
  /** Excursion a movement must reach to count at all, degrees (the floor under the adaptive threshold). */
  minRangeDeg: number;
  /**
   * Also end a rep that settles below half its peak without returning to the exit level: for movements as small as
   * the posture drift during a rep (the clamshell's 1–4° roll). Off for large movements, where a settled plateau
   * below the peak is a held position (a sagging plank) rather than the end.
   */
  endOnSettle: boolean;
  /** The adaptive enter threshold never rises above this, degrees. */
  maxEnterDeg: number;
  /** Range assumed before the person's first rep, degrees. */
  initialRangeDeg: number;
  /**
   * Once the person has reps, the floor is this fraction of their typical range where that is lower, down to half of
   * `minRangeDeg` (0: off).
   */
  floorFraction: number;
  /** Enter threshold as a fraction of the person's typical range (median of recent reps). */
  enterFraction: number;
  /** A rep ends when the excursion falls below this fraction of its own peak. */
  exitFraction: number;
  /** Start and end of a rep: where the excursion is at or below this fraction of the peak. */
  edgeFraction: number;
  /** No new peak for this long ends the rising phase, s. */
  plateauS: number;
  /** Below the exit level for this long ends the rep even if the excursion has not returned to the edge, s. */
  settleS: number;
  /** The fraction of the peak that counts as "at the top" for tempo. */
  topFraction: number;
  minRepS: number;
  maxRepS: number;
  /** Baseline follows the excursion at rest with this time constant, s. */
  baselineS: number;
  /**
   * ... times this while the pelvis turns about the axis faster than 1 °/s (1: off). Posture drift is slower than
   * that, and a slow lift is faster: a 7° side-plank lift over 3 s rises at 2–3 °/s, which the stillness detector
   * calls still, and a baseline that followed it at τ 1.5 s ate the lift before it reached the entry level.
   */
  movingFollowFactor: number;
  /**
   * The rest is the lowest pose of the movement (thrust, bridge: hips down on the floor or bench), so resting more
   * than the entry level below the baseline re-zeroes it there. Not a side plank's: its side-lying rest rolls.
   */
  restIsLowest: boolean;
  /** Number of recent reps whose median range sets the adaptive threshold. */
  historyReps: number;
  /** Ring capacity in samples (rep metrics use at most this many samples). */
  capacity: number;
  /**
   * A movement only becomes a rep while it turns more about the exercise's axis than about the other two: leaving
   * the rest pose with the pelvis's turn off the axis (`offAxisDeg` of next()) above this multiple of the excursion
   * is repositioning, not a rep (∞: off).
   */
  maxOffAxisRatio: number;
}

export const defaultRepDetectorSettings: RepDetectorSettings = {
  minRangeDeg: 6,
  endOnSettle: false,
  maxEnterDeg: Number.POSITIVE_INFINITY,
  initialRangeDeg: 20,
  enterFraction: 0.22,
  exitFraction: 0.3,
  edgeFraction: 0.05,
  plateauS: 0.12,
  settleS: 0.4,
  topFraction: 0.95,
  minRepS: 0.6,
  maxRepS: 12,
  baselineS: 1.5,
  movingFollowFactor: 1,
  restIsLowest: false,
  floorFraction: 0,
  historyReps: 5,
  capacity: 8192,
  maxOffAxisRatio: Number.POSITIVE_INFINITY,
};

const LIFT_MARGIN_S = 0.3;
/** Turning about the axis faster than this at rest is movement, not posture drift (movingFollowFactor), °/s. */
const MOVING_DEG_PER_S = 1;
/**
 * ... judged on the rate low-passed over this, s: gyro noise alone reads over 1 °/s on a fair share of samples (a
 * noisy sensor at rest), and the baseline then followed 4× slower at rest too, so a rep ending a degree off its start
 * pose left the excursion above the rep-start edge and the next rep's start ran back to the last one's end.
 */
const MOVING_LP_S = 0.25;
/** Turning slower than this (the rate low-passed over MOVING_LP_S), the pelvis has come to rest at a pose, °/s. */
const SETTLED_DEG_PER_S = 5;

/** The lift's rest pose lies under this fraction of the rep's range above its baseline. */
const REST_FRACTION = 0.25;
/**
 * The lift is integrated this far into the hold, s: the pelvis has stopped (zero velocity, as the integration assumes)
 * and every further second adds the residual of gravity misread as acceleration twice integrated. To the peak, which
 * may lie at the far end of a 2 s hold, 9 in 10 corpus bridge lifts were within 23 % of the truth; so, 17 %.
 */
const LIFT_HOLD_S = 0.3;

export interface DetectedRep {
  startS: number;
  peakS: number;
  endS: number;
  rangeDeg: number;
  upS: number;
  holdS: number;
  downS: number;
  peakRateDegPerS: number;
  /**
   * How far the rep lifted the sensor (m), from its own rates and specific force (`imu()`, liftFromImu.ts); NaN when
   * they are not fed.
   */
  liftM: number;
}

export type RepPhase = 'rest' | 'rising' | 'top' | 'lowering';

export interface RepDetector {
  readonly phase: RepPhase;
  /** Current excursion above the resting baseline, degrees. */
  readonly excursionDeg: number;
  /** Start time of the rep in progress (NaN at rest). */
  readonly repStartS: number;
  /** Peak excursion of the rep in progress so far. */
  readonly repPeakDeg: number;
  /** true while resting near the baseline (the pelvis is at the rep's start position). */
  readonly atRest: boolean;
  /** Time of the running peak of the rep in progress. */
  readonly repPeakS: number;
  /** How many completed reps the typical range rests on (0 = the initial guess). */
  readonly historyCount: number;
  /** The adaptive typical range, degrees. */
  readonly typicalRangeDeg: number;
  /**
   * Feed one sample. `rateDegPerS` = angular rate about the axis; `still` from the stillness detector.
   * Returns the rep that ended on this sample, or undefined. The returned object is reused: copy what you keep.
   */
  next(
    tS: number,
    angleDeg: number,
    rateDegPerS: number,
    still: boolean,
    /** How far the pelvis has turned about the other two axes since the rest, deg (see maxOffAxisRatio). */
    offAxisDeg?: number,
  ): DetectedRep | undefined;
  /**
   * The pelvis sensor's bias-removed rates (rad/s) and specific force (m/s²), sensor frame, for the sample about to be
   * fed to `next()`: with them the rep's lift is measured (liftFromImu); without them it is NaN.
   */
  imu(wx: number, wy: number, wz: number, ax: number, ay: number, az: number): void;
  /** Forget the rep in progress and re-baseline at the next rest (e.g. after a gap). */
  abort(): void;
  reset(): void;
}

export function createRepDetector(settings: Partial<RepDetectorSettings> = {}): RepDetector {
  return new HysteresisRepDetector({ ...defaultRepDetectorSettings, ...settings });
}

/**
 * NOTE: state lives in class fields, not closure variables: V8 boxes every double written to a closure variable
 * (a heap allocation per write, ~10 per sample here), while a double field is updated in place.
 */
class HysteresisRepDetector implements RepDetector {
  private readonly s: RepDetectorSettings;
  private readonly cap: number;
  private readonly ringT: Float64Array;
  private readonly ringE: Float64Array;
  private readonly ringR: Float64Array;
  /** Per sample: bias-removed rates (rad/s) then specific force (m/s²), sensor frame; NaN when not fed. */
  private readonly ringI: Float64Array;
  /** The accelerometer's offset, fitted over every rep's still poses (imuLift). */
  private readonly offsets = new OffsetFit();
  private readonly offset = [0, 0, 0];
  private readonly history: Float64Array;
  private readonly sorted: Float64Array;
  private readonly out: DetectedRep = {
    startS: 0,
    peakS: 0,
    endS: 0,
    rangeDeg: 0,
    upS: 0,
    holdS: 0,
    downS: 0,
    peakRateDegPerS: 0,
    liftM: Number.NaN,
  };
  private historyN = 0;
  private lowQuartile: number;
  private typical: number;
  private baseline = Number.NaN;
  /** findLiftRest's result for the rep being finished. */
  private liftRestFromS = Number.NaN;
  private liftOnsetS = Number.NaN;
  private lastT = Number.NaN;
  phase: RepPhase = 'rest';
  private excursion = 0;
  private lastLowT = Number.NaN;
  /** Lowest excursion since the last rep ended: a rep rises from rest, and the tail of a descent is not a rise. */
  private restMin = Number.POSITIVE_INFINITY;
  private startT = Number.NaN;
  private peak = 0;
  private peakT = 0;
  private head = 0;
  private belowT = Number.NaN;
  private atLow = true;
  private speed = 0;
  /** The rate about the axis, low-passed (MOVING_LP_S), °/s. */
  private rateLp = 0;
  private lastExcursion = 0;
  private floorT = Number.NEGATIVE_INFINITY;
  private count = 0;
  private rebaseline = true;

  constructor(s: RepDetectorSettings) {
    this.s = s;
    this.cap = s.capacity;
    this.ringT = new Float64Array(s.capacity);
    this.ringE = new Float64Array(s.capacity);
    this.ringR = new Float64Array(s.capacity);
    this.ringI = new Float64Array(6 * s.capacity).fill(Number.NaN);
    this.history = new Float64Array(s.historyReps);
    this.sorted = new Float64Array(s.historyReps);
    this.lowQuartile = s.initialRangeDeg;
    this.typical = s.initialRangeDeg;
  }

  get excursionDeg(): number {
    return this.excursion;
  }
  get repStartS(): number {
    return this.startT;
  }
  get repPeakDeg(): number {
    return this.peak;
  }
  get atRest(): boolean {
    return this.phase === 'rest' && this.atLow;
  }
  get repPeakS(): number {
    return this.peakT;
  }
  get historyCount(): number {
    return this.historyN;
  }
  get typicalRangeDeg(): number {
    return this.typical;
  }

  /**
   * Enter threshold from the lower quartile of recent ranges, not the median: a few faulty, much larger reps (a
   * clamshell rolled back by 20° where 2° is normal) must not lift the threshold over the person's normal reps.
   */
  private enterLevel(): number {
    const s = this.s;
    // a person whose reps are small (stiff hips) gets a lower floor, down to half of it
    const floor =
      this.historyN > 0 && s.floorFraction > 0
        ? Math.min(s.minRangeDeg, Math.max(s.minRangeDeg / 2, s.floorFraction * this.typical))
        : s.minRangeDeg;
    return Math.min(
      s.maxEnterDeg,
      Math.max(floor, s.enterFraction * (this.historyN > 0 ? this.lowQuartile : this.typical)),
    );
  }

  private pushHistory(range: number): void {
    const { history, sorted } = this;
    if (this.historyN < this.s.historyReps) this.historyN++;
    const n = this.historyN;
    for (let i = n - 1; i > 0; i--) history[i] = history[i - 1]!;
    history[0] = range;
    for (let i = 0; i < n; i++) sorted[i] = history[i]!;
    sorted.subarray(0, n).sort();
    this.typical = sorted[n >> 1]!;
    this.lowQuartile = sorted[(n - 1) >> 2]!;
  }

  /** Walk back from the peak to the last sample at or below `edgeFraction` of the peak: the rep's true start. */
  private refineStart(): void {
    const { cap, ringT, ringE } = this;
    const n = Math.min(this.count, cap);
    const level = this.s.edgeFraction * this.peak;
    for (let k = 1; k <= n; k++) {
      const idx = (this.head - k + cap) % cap;
      const t = ringT[idx]!;
      if (t > this.peakT) continue;
      if (t <= this.floorT) break;
      if (ringE[idx]! <= level) {
        this.startT = t;
        return;
      }
      this.startT = t;
    }
  }

  private finish(): DetectedRep {
    this.refineStart();
    const { cap, ringT, ringE, ringR, head, out } = this;
    const startT = this.startT;
    const peakT = this.peakT;
    // Only the samples since shortly before the start (the lift estimate looks LIFT_MARGIN_S further back).
    let back = 1;
    while (back < Math.min(this.count, cap) && ringT[(head - back + cap) % cap]! >= startT - LIFT_MARGIN_S - 0.05)
      back++;
    const top = this.s.topFraction * this.peak;
    const edge = this.s.edgeFraction * this.peak;
    let topStart = peakT;
    let topEnd = peakT;
    let endT = this.lastT;
    let rate = 0;
    const n = back;
    let seenTop = false;
    for (let k = n; k >= 1; k--) {
      const idx = (head - k + cap) % cap;
      const t = ringT[idx]!;
      if (t < startT) continue;
      const e = ringE[idx]!;
      const r = Math.abs(ringR[idx]!);
      if (r > rate) rate = r;
      if (e >= top) {
        if (!seenTop) topStart = t;
        seenTop = true;
        topEnd = t;
      }
      if (t > topEnd && e <= edge) {
        endT = t;
        break;
      }
    }
    out.startS = startT;
    out.peakS = peakT;
    out.endS = endT;
    out.rangeDeg = this.peak;
    out.upS = Math.max(0, topStart - startT);
    out.holdS = Math.max(0, topEnd - topStart);
    out.downS = Math.max(0, endT - topEnd);
    out.peakRateDegPerS = rate;
    out.liftM = this.imuLift(n);
    return out;
  }

  imu(wx: number, wy: number, wz: number, ax: number, ay: number, az: number): void {
    const o = 6 * this.head;
    const r = this.ringI;
    r[o] = wx;
    r[o + 1] = wy;
    r[o + 2] = wz;
    r[o + 3] = ax;
    r[o + 4] = ay;
    r[o + 5] = az;
  }

  /**
   * The rep's lift from the sensor alone, from the rest before it to early in its hold (both still): orientation by
   * integrating the rates from the rest, and the accelerometer's offset fitted over the still poses of every rep so
   * far (liftFromImu.ts).
   */
  private imuLift(n: number): number {
    const { cap, ringT, ringI, head, out } = this;
    const topS = out.startS + out.upS;
    const topEndS = topS + out.holdS;
    // The poses' window runs to the end of the hold; the lift's to LIFT_HOLD_S into the hold, or the peak if sooner.
    const liftEndS = Math.min(out.peakS, topS + Math.min(LIFT_HOLD_S, 0.5 * out.holdS));
    this.findLiftRest(n, topS);
    const restFromS = this.liftRestFromS;
    let first = -1;
    let poseCount = 0;
    let liftCount = 0;
    for (let k = Math.min(n, cap - 1); k >= 1; k--) {
      const idx = (head - k + cap) % cap;
      const t = ringT[idx]!;
      if (t > Math.max(out.peakS, topEndS) || t <= restFromS) continue;
      if (Number.isNaN(ringI[6 * idx]!)) return Number.NaN;
      if (first < 0) first = idx;
      poseCount++;
      if (t <= liftEndS) liftCount++;
    }
    if (first < 0 || liftCount < 3) return Number.NaN;
    const poses = stillPoses(ringT, ringI, cap, first, poseCount, this.liftOnsetS, topS, topEndS);
    if (!poses) return Number.NaN;
    this.offsets.add(poses);
    this.offsets.offset(this.offset);
    return liftFromImu(ringT, ringI, cap, first, liftCount, poses.rest, this.offset);
  }

  /**
   * The lift's rest pose, into liftRestFromS (it begins after that sample) and liftOnsetS (the rise's onset, which
   * stillPoses takes for the start: the pose ends REST_GAP_S before it). The rest pose is still (slower than REST_RATE_RAD_PER_S) and near the start
   * (under REST_FRACTION of the range: a rise may pause). It ends REST_GAP_S before the rise's onset, the last such
   * sample before the rise turns fastest, and begins after the last sample before it that was not at rest. The
   * detector's start is no guide: a rep that follows a full one at once starts, for it, where that one ended, still
   * lowering at 8–30 °/s, and a rep that rises slowly at first starts after the rise is under way. Taken as rest,
   * either broke the lift's zero velocity at its start (partial thrusts after full ones read 40 % high, seed 1's
   * c046). Without such a sample, the detector's start. A full ring's oldest slot is the head's, its rates already
   * overwritten.
   */
  private findLiftRest(n: number, topS: number): void {
    const { cap, ringT, ringI, ringE, head, out } = this;
    const restBelowDeg = REST_FRACTION * out.rangeDeg;
    // in time order: the onset is the last still sample seen when the fastest one so far comes
    let fastest = 0;
    let stillS = Number.NaN;
    let onsetS = Number.NaN;
    for (let k = Math.min(n, cap - 1); k >= 1; k--) {
      const idx = (head - k + cap) % cap;
      const t = ringT[idx]!;
      if (t <= this.floorT || t >= topS) continue;
      const w2 = turning(ringI, idx);
      if (w2 > fastest) {
        fastest = w2;
        onsetS = stillS;
      }
      if (w2 <= REST_RATE_RAD_PER_S ** 2 && ringE[idx]! < restBelowDeg) stillS = t;
    }
    const riseS = Number.isNaN(onsetS) ? out.startS : onsetS;
    let restFromS = this.floorT;
    for (let k = Math.min(n, cap - 1); k >= 1; k--) {
      const idx = (head - k + cap) % cap;
      const t = ringT[idx]!;
      if (t <= this.floorT || t >= riseS - REST_GAP_S) continue;
      // (a lost sample, its rate NaN, is neither)
      if (turning(ringI, idx) > REST_RATE_RAD_PER_S ** 2 || !(ringE[idx]! < restBelowDeg)) restFromS = t;
    }
    this.liftRestFromS = restFromS;
    this.liftOnsetS = riseS;
  }

  private toRest(): void {
    this.phase = 'rest';
    this.restMin = Number.POSITIVE_INFINITY;
    this.startT = Number.NaN;
    this.peak = 0;
  }

  next(tS: number, angleDeg: number, rateDegPerS: number, still: boolean, offAxisDeg = 0): DetectedRep | undefined {
    const s = this.s;
    const dt = Number.isNaN(this.lastT) ? 0 : tS - this.lastT;
    this.lastT = tS;
    if (Number.isNaN(this.baseline) || (this.rebaseline && still)) {
      this.baseline = angleDeg;
      this.rebaseline = false;
    }
    const enter = this.enterLevel();
    this.rateLp += Math.min(1, dt / MOVING_LP_S) * (rateDegPerS - this.rateLp);
    if (s.endOnSettle && this.phase === 'rest' && angleDeg < this.baseline) {
      // A rep ended on settling may be re-zeroed before the pelvis is all the way back: a rep is a one-sided
      // excursion, so at rest the lowest point is where the next one starts (moving or not).
      this.baseline = angleDeg;
    } else if (
      s.restIsLowest &&
      this.phase === 'rest' &&
      angleDeg - this.baseline < -enter &&
      Math.abs(this.rateLp) < SETTLED_DEG_PER_S
    ) {
      // A rep rises from rest, so a rest more than the entry level below the baseline means the baseline is not the
      // rest pose: it was taken at the top of a rep (re-baselining after a movement too long for a rep, at the next
      // still moment, which a 2 s hold at the top is and a 1 s rest at the bottom is not), or the pose changed between
      // sets. Re-zero there. (The simulated demo's 15th set, after a 14° change of start pose: 3 of 11 reps counted.)
      this.baseline = angleDeg;
    } else if (this.phase === 'rest' && still && angleDeg - this.baseline < enter && dt > 0) {
      const tau = Math.abs(this.rateLp) > MOVING_DEG_PER_S ? s.movingFollowFactor * s.baselineS : s.baselineS;
      this.baseline += Math.min(1, dt / tau) * (angleDeg - this.baseline);
    }
    const excursion = angleDeg - this.baseline;
    this.excursion = excursion;
    const head = this.head;
    this.ringT[head] = tS;
    this.ringE[head] = excursion;
    this.ringR[head] = rateDegPerS;
    this.head = (head + 1) % this.cap;
    this.ringI[6 * this.head] = Number.NaN;
    this.count++;
    if (this.phase === 'rest') {
      if (excursion < this.restMin) this.restMin = excursion;
      this.atLow = excursion < 0.25 * enter;
      if (this.atLow) this.lastLowT = tS;
      if (excursion > enter && offAxisDeg > s.maxOffAxisRatio * excursion) {
        // Repositioning: leaving the rest pose, the pelvis turned more about the other axes than about the
        // exercise's. No rep starts; once it is still, that pose is the new rest.
        if (still) {
          this.baseline = angleDeg;
          this.excursion = 0;
          this.atLow = true;
          this.lastLowT = tS;
        }
      } else if (excursion > enter && excursion - this.restMin > enter) {
        // (a slow lowering may end the rep below the exit level before it is down: what is left of it is no rep)
        this.phase = 'rising';
        this.startT = Number.isNaN(this.lastLowT) ? tS : this.lastLowT;
        this.peak = excursion;
        this.peakT = tS;
        this.belowT = Number.NaN;
      }
      return undefined;
    }
    if (excursion > this.peak) {
      this.peak = excursion;
      this.peakT = tS;
    }
    const peak = this.peak;
    if (this.phase === 'rising' && tS - this.peakT > s.plateauS) {
      this.phase = 'top';
      this.refineStart();
    } else if (this.phase === 'top' && excursion < s.topFraction * peak) this.phase = 'lowering';
    else if (this.phase === 'lowering' && excursion >= s.topFraction * peak) this.phase = 'top';
    if (tS - this.startT > s.maxRepS) {
      // Not a rep: repositioning or a posture change. Re-baseline at the next rest.
      this.toRest();
      this.rebaseline = true;
      this.lastLowT = Number.NaN;
      return undefined;
    }
    // Settled = the excursion changes by less than half the rep's peak per second (smoothed over ~0.1 s).
    if (dt > 0) {
      const v = Math.abs(excursion - this.lastExcursion) / dt;
      this.speed += Math.min(1, dt / 0.1) * (v - this.speed);
    }
    this.lastExcursion = excursion;
    const settled = this.speed < 0.5 * peak;
    // End: back below the exit level and at the edge or settled there; or, when posture drifted during the rep,
    // settled after losing most of the peak.
    const low = excursion < s.exitFraction * peak;
    const mostlyDown = s.endOnSettle && excursion < 0.5 * peak && settled;
    if (low || mostlyDown) {
      if (Number.isNaN(this.belowT)) this.belowT = tS;
      if ((low && excursion <= s.edgeFraction * peak) || tS - this.belowT > s.settleS) {
        const valid = tS - this.startT >= s.minRepS && peak >= enter;
        const rep = valid ? this.finish() : undefined;
        if (rep) this.pushHistory(rep.rangeDeg);
        this.toRest();
        // Re-zero at the level the rep ended on where posture drift is as large as the rep (clamshell's 1–4°);
        // for large movements the baseline follows at rest instead, so a slow last bit of lowering is not lost.
        if (s.endOnSettle && excursion < 0.5 * peak) {
          this.baseline = angleDeg;
          this.excursion = 0;
        }
        this.floorT = tS;
        this.lastLowT = tS;
        return rep;
      }
    } else this.belowT = Number.NaN;
    return undefined;
  }

  abort(): void {
    this.toRest();
    this.rebaseline = true;
    this.lastLowT = Number.NaN;
  }

  reset(): void {
    this.toRest();
    this.offsets.reset();
    this.ringI.fill(Number.NaN);
    this.floorT = Number.NEGATIVE_INFINITY;
    this.count = 0;
    this.historyN = 0;
    this.lowQuartile = this.s.initialRangeDeg;
    this.typical = this.s.initialRangeDeg;
    this.baseline = Number.NaN;
    this.lastT = Number.NaN;
    this.lastLowT = Number.NaN;
    this.rebaseline = true;
    this.head = 0;
    this.excursion = 0;
    this.rateLp = 0;
  }
}

/** The squared rate of turn of ring sample `idx` (rad²/s²; NaN for a lost sample). */
function turning(ringI: Float64Array, idx: number): number {
  const o = 6 * idx;
  return ringI[o]! ** 2 + ringI[o + 1]! ** 2 + ringI[o + 2]! ** 2;
}
