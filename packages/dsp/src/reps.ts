/**
 * Rep detector on one scalar: the excursion (degrees) about the exercise's movement axis, positive in the rep's
 * direction. Hysteresis with thresholds that adapt to the person's own reps, a resting baseline that follows slow
 * posture drift and repositioning, a minimum rep duration, and a timeout for movements that never come back
 * (rolling over, getting up). Per-sample and allocation-free; the rep's samples sit in a preallocated ring so tempo
 * and peak metrics are exact once the rep ends.
 */

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
  /** Number of recent reps whose median range sets the adaptive threshold. */
  historyReps: number;
  /** Ring capacity in samples (rep metrics use at most this many samples). */
  capacity: number;
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
  historyReps: 5,
  capacity: 8192,
};

const LIFT_MARGIN_S = 0.3;

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
   * Peak vertical displacement during the rep (m), from the `verticalAccMps2` channel integrated twice with zero
   * velocity at the rep's start and end (the pelvis rests there); NaN when the channel is not fed.
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
    verticalAccMps2?: number,
  ): DetectedRep | undefined;
  /** Forget the rep in progress and re-baseline at the next rest (e.g. after a gap). */
  abort(): void;
  reset(): void;
}

export function createRepDetector(settings: Partial<RepDetectorSettings> = {}): RepDetector {
  const s = { ...defaultRepDetectorSettings, ...settings };
  const cap = s.capacity;
  const ringT = new Float64Array(cap);
  const ringE = new Float64Array(cap);
  const ringR = new Float64Array(cap);
  const ringA = new Float64Array(cap);
  const history = new Float64Array(s.historyReps);
  const sorted = new Float64Array(s.historyReps);
  const out: DetectedRep = {
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
  let historyN = 0;
  let lowQuartile = s.initialRangeDeg;
  let typical = s.initialRangeDeg;
  let baseline = Number.NaN;
  let lastT = Number.NaN;
  let phase: RepPhase = 'rest';
  let excursion = 0;
  let lastLowT = Number.NaN;
  let startT = Number.NaN;
  let peak = 0;
  let peakT = 0;
  let head = 0;
  let belowT = Number.NaN;
  let atLow = true;
  let speed = 0;
  let lastExcursion = 0;
  let floorT = Number.NEGATIVE_INFINITY;
  let count = 0;
  let rebaseline = true;

  /**
   * Enter threshold from the lower quartile of recent ranges, not the median: a few faulty, much larger reps (a
   * clamshell rolled back by 20° where 2° is normal) must not lift the threshold over the person's normal reps.
   */
  function enterLevel(): number {
    return Math.min(s.maxEnterDeg, Math.max(s.minRangeDeg, s.enterFraction * (historyN > 0 ? lowQuartile : typical)));
  }

  function pushHistory(range: number): void {
    if (historyN < s.historyReps) historyN++;
    for (let i = historyN - 1; i > 0; i--) history[i] = history[i - 1]!;
    history[0] = range;
    for (let i = 0; i < historyN; i++) sorted[i] = history[i]!;
    sorted.subarray(0, historyN).sort();
    typical = sorted[historyN >> 1]!;
    lowQuartile = sorted[(historyN - 1) >> 2]!;
  }

  /** Walk back from the peak to the last sample at or below `edgeFraction` of the peak: the rep's true start. */
  function refineStart(): void {
    const n = Math.min(count, cap);
    const level = s.edgeFraction * peak;
    for (let k = 1; k <= n; k++) {
      const idx = (head - k + cap) % cap;
      const t = ringT[idx]!;
      if (t > peakT) continue;
      if (t <= floorT) break;
      if (ringE[idx]! <= level) {
        startT = t;
        return;
      }
      startT = t;
    }
  }

  function finish(): DetectedRep {
    refineStart();
    // Only the samples since shortly before the start (the lift estimate looks LIFT_MARGIN_S further back).
    let back = 1;
    while (back < Math.min(count, cap) && ringT[(head - back + cap) % cap]! >= startT - LIFT_MARGIN_S - 0.05) back++;
    const top = s.topFraction * peak;
    const edge = s.edgeFraction * peak;
    let topStart = peakT;
    let topEnd = peakT;
    let endT = lastT;
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
    out.rangeDeg = peak;
    out.upS = Math.max(0, topStart - startT);
    out.holdS = Math.max(0, topEnd - topStart);
    out.downS = Math.max(0, endT - topEnd);
    out.peakRateDegPerS = rate;
    out.liftM = lift(n);
    return out;
  }

  /** Double integration of vertical acceleration over [start, end] with v = 0 at both ends (linear drift removed). */
  function lift(n: number): number {
    let v = 0;
    let prevT = Number.NaN;
    let first = -1;
    let last = -1;
    for (let k = n; k >= 1; k--) {
      const idx = (head - k + cap) % cap;
      const t = ringT[idx]!;
      // A margin on both sides: the 5 % edges are not yet zero velocity.
      if (t < out.startS - LIFT_MARGIN_S || t > out.endS + LIFT_MARGIN_S || t <= floorT) continue;
      if (Number.isNaN(ringA[idx]!)) return Number.NaN;
      if (first < 0) first = k;
      last = k;
      if (!Number.isNaN(prevT)) v += ringA[idx]! * (t - prevT);
      prevT = t;
    }
    if (first < 0 || first === last) return Number.NaN;
    const t0 = ringT[(head - first + cap) % cap]!;
    const t1 = ringT[(head - last + cap) % cap]!;
    const drift = t1 > t0 ? v / (t1 - t0) : 0;
    let vel = 0;
    let pos = 0;
    let best = 0;
    prevT = Number.NaN;
    for (let k = first; k >= last; k--) {
      const idx = (head - k + cap) % cap;
      const t = ringT[idx]!;
      if (!Number.isNaN(prevT)) {
        const dt = t - prevT;
        vel += (ringA[idx]! - drift) * dt;
        pos += vel * dt;
        if (pos > best) best = pos;
      }
      prevT = t;
    }
    return best;
  }

  function toRest(): void {
    phase = 'rest';
    startT = Number.NaN;
    peak = 0;
  }

  return {
    get phase() {
      return phase;
    },
    get excursionDeg() {
      return excursion;
    },
    get repStartS() {
      return startT;
    },
    get repPeakDeg() {
      return peak;
    },
    get atRest() {
      return phase === 'rest' && atLow;
    },
    get repPeakS() {
      return peakT;
    },
    get historyCount() {
      return historyN;
    },
    get typicalRangeDeg() {
      return typical;
    },
    next(tS, angleDeg, rateDegPerS, still, verticalAccMps2 = Number.NaN) {
      const dt = Number.isNaN(lastT) ? 0 : tS - lastT;
      lastT = tS;
      if (Number.isNaN(baseline) || (rebaseline && still)) {
        baseline = angleDeg;
        rebaseline = false;
      }
      const enter = enterLevel();
      if (phase === 'rest' && still && angleDeg - baseline < enter && dt > 0) {
        baseline += Math.min(1, dt / s.baselineS) * (angleDeg - baseline);
      }
      excursion = angleDeg - baseline;
      ringT[head] = tS;
      ringE[head] = excursion;
      ringR[head] = rateDegPerS;
      ringA[head] = verticalAccMps2;
      head = (head + 1) % cap;
      count++;
      if (phase === 'rest') {
        atLow = excursion < 0.25 * enter;
        if (atLow) lastLowT = tS;
        if (excursion > enter) {
          phase = 'rising';
          startT = Number.isNaN(lastLowT) ? tS : lastLowT;
          peak = excursion;
          peakT = tS;
          belowT = Number.NaN;
        }
        return undefined;
      }
      if (excursion > peak) {
        peak = excursion;
        peakT = tS;
      }
      if (phase === 'rising' && tS - peakT > s.plateauS) {
        phase = 'top';
        refineStart();
      } else if (phase === 'top' && excursion < s.topFraction * peak) phase = 'lowering';
      else if (phase === 'lowering' && excursion >= s.topFraction * peak) phase = 'top';
      if (tS - startT > s.maxRepS) {
        // Not a rep: repositioning or a posture change. Re-baseline at the next rest.
        toRest();
        rebaseline = true;
        lastLowT = Number.NaN;
        return undefined;
      }
      // Settled = the excursion changes by less than half the rep's peak per second (smoothed over ~0.1 s).
      if (dt > 0) {
        const v = Math.abs(excursion - lastExcursion) / dt;
        speed += Math.min(1, dt / 0.1) * (v - speed);
      }
      lastExcursion = excursion;
      const settled = speed < 0.5 * peak;
      // End: back below the exit level and at the edge or settled there; or, when posture drifted during the rep,
      // settled after losing most of the peak.
      const low = excursion < s.exitFraction * peak;
      const mostlyDown = s.endOnSettle && excursion < 0.5 * peak && settled;
      if (low || mostlyDown) {
        if (Number.isNaN(belowT)) belowT = tS;
        if ((low && excursion <= s.edgeFraction * peak) || tS - belowT > s.settleS) {
          const valid = tS - startT >= s.minRepS && peak >= enter;
          const repPeak = peak;
          const rep = valid ? finish() : undefined;
          if (rep) pushHistory(rep.rangeDeg);
          toRest();
          // Re-zero at the level the rep ended on where posture drift is as large as the rep (clamshell's 1–4°);
          // for large movements the baseline follows at rest instead, so a slow last bit of lowering is not lost.
          if (s.endOnSettle && excursion < 0.5 * repPeak) {
            baseline = angleDeg;
            excursion = 0;
          }
          floorT = tS;
          lastLowT = tS;
          return rep;
        }
      } else belowT = Number.NaN;
      return undefined;
    },
    abort() {
      toRest();
      rebaseline = true;
      lastLowT = Number.NaN;
    },
    reset() {
      toRest();
      floorT = Number.NEGATIVE_INFINITY;
      count = 0;
      historyN = 0;
      lowQuartile = s.initialRangeDeg;
      typical = s.initialRangeDeg;
      baseline = Number.NaN;
      lastT = Number.NaN;
      lastLowT = Number.NaN;
      rebaseline = true;
      head = 0;
      excursion = 0;
    },
  };
}
