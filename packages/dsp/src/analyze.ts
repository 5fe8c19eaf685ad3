import { median, whichGroupIsFaulty } from './archOrPartial.ts';
import type { CalibrationSettings } from './calibrator.ts';
import { createPipeline, type PipelineOptions } from './pipeline.ts';
import type { SegmentRole } from './segment.ts';
import { exerciseTargets } from './sets.ts';
import { defaultThresholds, mergeThresholds, type Thresholds } from './thresholds.ts';
import type {
  CalibrationFailure,
  CalibrationResult,
  Cue,
  Exercise,
  FaultCode,
  FaultDetection,
  PipelineEvent,
  RepMetrics,
  SetSummary,
  Side,
} from './types.ts';

/** Samples as columns: times in s, rates in rad/s and specific force in m/s², sensor frame. */
export interface SessionSamples {
  tS: ArrayLike<number>;
  gyrRadPerS: ArrayLike<ArrayLike<number>> | ArrayLike<number>;
  accMps2: ArrayLike<ArrayLike<number>> | ArrayLike<number>;
}

export interface AnalyzeOptions {
  exercise: Exercise;
  side: Side;
  thresholds?: Partial<Thresholds>;
  pipeline?: Omit<PipelineOptions, 'exercise' | 'side' | 'thresholds'>;
  /**
   * Extra sensors' recordings (thigh, upper lumbar), in the same time base as `samples` (see PipelineOptions.segments
   * for what each is used for). Each is fed before the pelvis sample of the same time.
   */
  segments?: Partial<Record<SegmentRole, SessionSamples>>;
  /** Keep every pipeline event in the result (large); default false. */
  keepEvents?: boolean;
  /** Called after each sample with the current pelvis angles (for evaluation against truth). */
  onSample?: (
    index: number,
    angles: Readonly<{ tiltDeg: number; obliquityDeg: number; rotationDeg: number }>,
    calibrated: boolean,
  ) => void;
}

export interface SessionAnalysis {
  reps: RepMetrics[];
  sets: SetSummary[];
  cues: Cue[];
  faults: FaultDetection[];
  calibration: CalibrationResult | { failed: CalibrationFailure[] };
  /** What the after-set review changed in the kept pass's verdicts (`reps[].faults` are after it). */
  review: SetReview;
  /**
   * The reps and cues as the live pipeline gave them: the first pass (a side plank's second look, §1 of docs/dsp.md,
   * is not live), its verdicts before the after-set review.
   */
  live: { reps: RepMetrics[]; cues: Cue[] };
  summary: {
    exercise: Exercise;
    side: Side;
    reps: number;
    sets: number;
    faultCounts: Partial<Record<FaultCode, number>>;
    goodReps: number;
    durationS: number;
    target: (typeof exerciseTargets)[Exercise];
  };
  events?: PipelineEvent[];
}

/** A side-plank rep reading this fraction of the roll threshold forward at its peak shows the frame absorbed roll. */
const FRAME_ROLL_FRACTION = 0.5;

/** The middle of a list sorted ascending, the lower one of two: an element of the list (a rep's own range). */
function lowerMiddle<T>(sorted: readonly T[]): T {
  return sorted[(sorted.length - 1) >> 1]!;
}

/**
 * Where values sorted ascending step up most, by `step(below, above)`, over the indices 1 ≤ i < end: the index of
 * the value above the step and the step's size, or index −1 when no step exceeds `floor`.
 */
function largestStep(
  sorted: readonly number[],
  step: (below: number, above: number) => number,
  floor: number,
  end = sorted.length,
): { at: number; size: number } {
  const best = { at: -1, size: floor };
  for (let i = 1; i < end; i++) {
    const q = step(sorted[i - 1]!, sorted[i]!);
    if (q > best.size) {
      best.size = q;
      best.at = i;
    }
  }
  return best;
}

/** A set's reps by set index, in order. */
function repsOf(events: readonly PipelineEvent[]): RepMetrics[] {
  const reps: RepMetrics[] = [];
  for (const e of events) if (e.type === 'rep') reps.push(e.rep);
  return reps;
}

function bySet(reps: RepMetrics[]): RepMetrics[][] {
  const sets = new Map<number, RepMetrics[]>();
  for (const r of reps) {
    const set = sets.get(r.setIndex);
    if (set) set.push(r);
    else sets.set(r.setIndex, [r]);
  }
  return [...sets.values()];
}

/**
 * Where the review says a rep has a fault, the value it measured: the rep's range as a fraction of the set's
 * yardstick (partial range), or its range beyond the clean reps' median (arch), as live (faults.ts).
 */
type Measured = Pick<FaultDetection, 'value' | 'threshold' | 'unit'>;
type ReviewLog = (r: RepMetrics, code: FaultCode, measured: Measured) => void;

function setFault(r: RepMetrics, code: FaultCode, on: boolean, log?: ReviewLog, measured?: Measured): void {
  const has = r.faults.includes(code);
  if (on && !has) r.faults.push(code);
  if (!on && has) r.faults = r.faults.filter((f) => f !== code);
  if (on && log && measured) log(r, code, measured);
}

const ratio = (value: number, threshold: number): Measured => ({ value, threshold, unit: 'ratio' });

/**
 * Offline review of partial range: live, a rep can only be compared with the reps before it; after the set, each
 * rep is compared with the upper quartile of its set's reps whose range no fault inflated (arch, roll-back), which
 * also judges the first reps and lets up to a quarter of them be partial. A set that is mostly partial has a partial
 * upper quartile: when those reps fall into two groups with every lower rep under the fraction of every upper one
 * (at least two upper reps), the yardstick is the upper group's median instead. Thrust and bridge: reviewThrustSet.
 */
export function reviewPartialRange(set: RepMetrics[], fraction: number, log?: ReviewLog): void {
  if (set.length < 3) return;
  const sorted = set
    .filter((r) => !r.faults.includes('lumbar_arch') && !r.faults.includes('pelvic_roll'))
    .map((r) => r.rangeDeg)
    .sort((x, y) => x - y);
  if (sorted.length < 3) return;
  let reference = sorted[Math.floor(0.75 * (sorted.length - 1))]!;
  // the largest ratio between neighbours, leaving at least two reps above it
  const split = largestStep(sorted, (below, above) => above / Math.max(below, 1e-9), 1, sorted.length - 1).at;
  if (split > 0 && sorted[split - 1]! < fraction * sorted[split]!) reference = lowerMiddle(sorted.slice(split));
  for (const r of set) {
    setFault(r, 'partial_range', r.rangeDeg < fraction * reference, log, ratio(r.rangeDeg / reference, fraction));
  }
}

/**
 * The largest gap between neighbouring ranges of reps sorted by range, when it is a clear split into two groups: at
 * least `minDeg`, the upper group's lowest at least `minDeg` above the lower group's median, four reps or more.
 */
function clearSplit(sorted: RepMetrics[], minDeg: number): [RepMetrics[], RepMetrics[]] | undefined {
  if (sorted.length < 4) return undefined;
  const gap = largestStep(
    sorted.map((r) => r.rangeDeg),
    (below, above) => above - below,
    0,
  );
  if (gap.at < 1 || gap.size < minDeg) return undefined;
  const lower = sorted.slice(0, gap.at);
  const upper = sorted.slice(gap.at);
  if (upper[0]!.rangeDeg - lowerMiddle(lower).rangeDeg < minDeg) return undefined;
  return [lower, upper];
}

/**
 * Offline review of a thrust or bridge set, pelvis only. Live, the first reps of a set are the yardstick: a set
 * that begins arched makes the clean reps look partial, one that begins partial makes the full ones look arched,
 * and one that is mostly partial has no full reps to compare with. After the set, while its ranges split into two
 * clear groups (clearSplit), whichGroupIsFaulty says which is faulty, and the review goes on in the other group, since
 * a set can hold partial, clean and arched reps at once and arches differ in depth. Upper arched: flagged, and the
 * lower group is reviewed next. Lower partial: no live arch flag stands among the reps reviewed (live, they were
 * measured against partial reps), and the upper group is reviewed next; when the review ends, each rep not arched is
 * partial if below the fraction of the median of the group it ended in, the clean one. Without a partial group, live
 * arch flags below the splits stand and partial range is judged against the set's upper quartile (reviewPartialRange).
 */
export function reviewThrustSet(set: RepMetrics[], t: Thresholds, log?: ReviewLog): void {
  let rest = [...set].sort((a, b) => a.rangeDeg - b.rangeDeg);
  let partialFound = false;
  for (let split = clearSplit(rest, t.lumbarArchDeg); split; split = clearSplit(rest, t.lumbarArchDeg)) {
    const [lower, upper] = split;
    const verdict = whichGroupIsFaulty(lower, upper, t.partialRangeFraction);
    if (verdict === 'neither') break;
    if (verdict === 'lower partial') {
      for (const r of rest) setFault(r, 'lumbar_arch', false);
      partialFound = true;
      rest = upper;
    } else {
      const clean = median(lower, (r) => r.rangeDeg);
      for (const r of upper) {
        setFault(r, 'lumbar_arch', true, log, { value: r.rangeDeg - clean, threshold: t.lumbarArchDeg, unit: 'deg' });
      }
      rest = lower;
    }
  }
  if (!partialFound) {
    reviewPartialRange(set, t.partialRangeFraction, log);
    return;
  }
  const reference = lowerMiddle(rest).rangeDeg;
  const fraction = t.partialRangeFraction;
  for (const r of set) {
    const partial = !r.faults.includes('lumbar_arch') && r.rangeDeg < fraction * reference;
    setFault(r, 'partial_range', partial, log, ratio(r.rangeDeg / reference, fraction));
  }
}

/** What the after-set review changed: faults it found (`tS` the rep's peak, no live cue) and live ones it withdrew. */
export interface SetReview {
  added: FaultDetection[];
  cleared: Array<{ repIndex: number; code: FaultCode }>;
  /** Reps the review found were no rep (trailingMovement): not counted, their faults not judged. */
  notReps: Array<{ repIndex: number; setIndex: number }>;
}

/**
 * When a set's last counted rep was a movement after the set rather than a rep (docs/dsp.md §4): it came late for the
 * set's rhythm (start to start, in median rep periods), and was both smaller and quicker than the set's reps (range
 * and duration, fractions of their medians). A fatigued last rep may come late and fall short, but it is slower, not
 * quicker. Set from three-set sessions of corpus seeds 1, 7, 11 (§7).
 */
export const NOT_A_REP = { latePeriods: 1.4, rangeFraction: 0.7, durationFraction: 0.8, minReps: 4 } as const;

/** The set's last rep if it is no rep by NOT_A_REP; the set's reps are in order. */
export function trailingMovement(set: readonly RepMetrics[]): RepMetrics | undefined {
  if (set.length < NOT_A_REP.minReps) return undefined;
  const last = set.at(-1)!;
  const body = set.slice(0, -1);
  const median = (xs: number[]) => lowerMiddle(xs.sort((a, b) => a - b));
  const period = median(body.slice(1).map((r, i) => r.startS - body[i]!.startS));
  const late = last.startS - body.at(-1)!.startS >= NOT_A_REP.latePeriods * period;
  const small = last.rangeDeg < NOT_A_REP.rangeFraction * median(body.map((r) => r.rangeDeg));
  const quick = last.endS - last.startS < NOT_A_REP.durationFraction * median(body.map((r) => r.endS - r.startS));
  return late && small && quick ? last : undefined;
}

/**
 * The after-set review of every set (reviewThrustSet for a thrust or bridge without an upper-lumbar sensor, else
 * reviewPartialRange), in place on the reps' faults; `thresholdsOf` gives the thresholds a set was judged with.
 */
export function reviewSets(
  reps: RepMetrics[],
  exercise: Exercise,
  thresholdsOf: (setIndex: number) => Thresholds,
  lumbarMeasured: boolean,
): SetReview {
  const live = new Map(reps.map((r) => [r, [...r.faults]]));
  const measured = new Map<RepMetrics, Map<FaultCode, Measured>>();
  const log: ReviewLog = (r, code, m) => {
    const of = measured.get(r) ?? new Map<FaultCode, Measured>();
    measured.set(r, of.set(code, m));
  };
  const thrustLike = exercise === 'hip-thrust' || exercise === 'glute-bridge';
  const notReps: SetReview['notReps'] = [];
  for (const whole of bySet(reps)) {
    const extra = trailingMovement(whole);
    if (extra) notReps.push({ repIndex: extra.index, setIndex: extra.setIndex });
    const set = extra ? whole.slice(0, -1) : whole;
    const t = thresholdsOf(set[0]!.setIndex);
    if (thrustLike && !lumbarMeasured) reviewThrustSet(set, t, log);
    else reviewPartialRange(set, t.partialRangeFraction, log);
  }
  const review: SetReview = { added: [], cleared: [], notReps };
  const dropped = new Set(notReps.map((x) => x.repIndex));
  for (const [r, before] of live) {
    if (dropped.has(r.index)) continue;
    for (const code of r.faults) {
      const m = measured.get(r)?.get(code);
      if (!before.includes(code) && m) review.added.push({ code, repIndex: r.index, tS: r.peakS, ...m });
    }
    for (const code of before) if (!r.faults.includes(code)) review.cleared.push({ repIndex: r.index, code });
  }
  return review;
}

/** Row i of `gyrRadPerS`/`accMps2`, which may be an array of triples or a flat x,y,z array. */
function reader(col: SessionSamples['gyrRadPerS']): (i: number, k: number) => number {
  const first = (col as ArrayLike<unknown>)[0];
  if (typeof first === 'number') {
    const flat = col as ArrayLike<number>;
    return (i, k) => flat[3 * i + k] ?? Number.NaN;
  }
  const rows = col as ArrayLike<ArrayLike<number>>;
  return (i, k) => rows[i]?.[k] ?? Number.NaN;
}

interface Run {
  events: PipelineEvent[];
  lumbarMeasured: boolean;
  calibration: CalibrationResult | undefined;
}

/** One pass of the recording through a pipeline; `onSample` as in AnalyzeOptions. */
function runPipeline(
  samples: SessionSamples,
  options: AnalyzeOptions,
  calibration: Partial<CalibrationSettings>,
  onSample: AnalyzeOptions['onSample'],
): Run {
  const segmentInputs = Object.entries(options.segments ?? {}).map(([role, x]) => ({
    role: role as SegmentRole,
    tS: x!.tS,
    g: reader(x!.gyrRadPerS),
    a: reader(x!.accMps2),
    next: 0,
  }));
  const p = createPipeline({
    // offline: the axis fit's buffer is analysed at once, so each sample's angles line up with it
    catchUpPerSample: Number.POSITIVE_INFINITY,
    ...(segmentInputs.length > 0 ? { segments: segmentInputs.map((x) => x.role) } : {}),
    ...options.pipeline,
    calibration: { ...options.pipeline?.calibration, ...calibration },
    exercise: options.exercise,
    side: options.side,
    ...(options.thresholds ? { thresholds: options.thresholds } : {}),
  });
  const g = reader(samples.gyrRadPerS);
  const a = reader(samples.accMps2);
  const n = samples.tS.length;
  const events: PipelineEvent[] = [];
  for (let i = 0; i < n; i++) {
    const t = samples.tS[i]!;
    for (const x of segmentInputs) {
      for (; x.next < x.tS.length && x.tS[x.next]! <= t; x.next++) {
        const k = x.next;
        p.nextSegment(x.role, x.tS[k]!, x.g(k, 0), x.g(k, 1), x.g(k, 2), x.a(k, 0), x.a(k, 1), x.a(k, 2));
      }
    }
    p.next(samples.tS[i]!, g(i, 0), g(i, 1), g(i, 2), a(i, 0), a(i, 1), a(i, 2));
    if (onSample) onSample(i, p.angles, p.state === 'ready' || p.state === 'in-set');
    if ((i & 1023) === 0) for (const e of p.drainEvents()) events.push(e);
  }
  p.endSet();
  for (const e of p.drainEvents()) events.push(e);
  // With an upper-lumbar sensor arching is measured, not inferred from the pelvis's range: no review of it.
  return { events, lumbarMeasured: p.segments.lumbar === 'ok', calibration: p.calibration };
}

/**
 * Side plank: nothing in the movement rolls the pelvis forward, so a rep that reads as rolling forward at its peak
 * rolled less than the reps the frame was fitted on (calibrator.ts, leastFaultedAxis: the least-rolled of the first
 * ~5) — they all rolled back, and the frame absorbed the roll. The turn, in degrees, that makes the most
 * forward-rolling full rep (range ≥ half the median: a partial rep's ratio is noise) read no roll; 0 when its forward
 * roll is under half the roll threshold (clean reps in the corpus and on seeds 7 and 11: ≤ 0.7°; the two sets whose
 * first reps all rolled: 5.9° and 9.2°).
 */
export function frameRollCorrectionDeg(reps: readonly RepMetrics[], rollThresholdDeg: number): number {
  const withRoll = reps.filter((r) => r.rollAtPeakDeg !== undefined && r.rangeDeg > 0);
  if (withRoll.length === 0) return 0;
  const half = 0.5 * median(withRoll, (r) => r.rangeDeg);
  let best: RepMetrics | undefined;
  for (const r of withRoll) {
    if (r.rangeDeg < half) continue;
    if (!best || r.rollAtPeakDeg! / r.rangeDeg < best.rollAtPeakDeg! / best.rangeDeg) best = r;
  }
  if (!best || best.rollAtPeakDeg! > -FRAME_ROLL_FRACTION * rollThresholdDeg) return 0;
  return (Math.atan2(-best.rollAtPeakDeg!, best.rangeDeg) * 180) / Math.PI;
}

/** Run a whole recording (starting with the calibration hold) through the pipeline: what `hipcue analyze` prints. */
export function analyzeSession(samples: SessionSamples, options: AnalyzeOptions): SessionAnalysis {
  const t = mergeThresholds(defaultThresholds, options.thresholds ?? {});
  const n = samples.tS.length;
  // A side plank may be run twice (frameRollCorrectionDeg); the caller sees the angles of the pass that is kept.
  const twoPass = options.exercise === 'side-plank-clamshell' && options.onSample !== undefined;
  const angles = twoPass ? new Float64Array(4 * n) : undefined;
  const record: AnalyzeOptions['onSample'] = angles
    ? (i, x, calibrated) => {
        angles[4 * i] = x.tiltDeg;
        angles[4 * i + 1] = x.obliquityDeg;
        angles[4 * i + 2] = x.rotationDeg;
        angles[4 * i + 3] = calibrated ? 1 : 0;
      }
    : options.onSample;
  let run = runPipeline(samples, options, {}, record);
  // as the live pipeline judged and cued: the first pass, before any review (the reps' fault lists are copied)
  const live = {
    reps: repsOf(run.events).map((r) => ({ ...r, faults: [...r.faults] })),
    cues: run.events.flatMap((e) => (e.type === 'cue' ? [e.cue] : [])),
  };
  if (options.exercise === 'side-plank-clamshell' && !options.pipeline?.calibration?.faultSideCorrectionDeg) {
    const correctionDeg = frameRollCorrectionDeg(repsOf(run.events), t.pelvicRollDeg);
    if (correctionDeg > 0) run = runPipeline(samples, options, { faultSideCorrectionDeg: correctionDeg }, record);
  }
  if (angles && options.onSample) {
    const x = { tiltDeg: 0, obliquityDeg: 0, rotationDeg: 0 };
    for (let i = 0; i < n; i++) {
      x.tiltDeg = angles[4 * i]!;
      x.obliquityDeg = angles[4 * i + 1]!;
      x.rotationDeg = angles[4 * i + 2]!;
      options.onSample(i, x, angles[4 * i + 3] === 1);
    }
  }
  const { events, lumbarMeasured } = run;

  const counted: RepMetrics[] = [];
  const sets: SetSummary[] = [];
  const cues: Cue[] = [];
  const faults: FaultDetection[] = [];
  const failed: CalibrationFailure[] = [];
  for (const e of events) {
    if (e.type === 'rep') counted.push(e.rep);
    else if (e.type === 'set-end') sets.push(e.set);
    else if (e.type === 'cue') cues.push(e.cue);
    else if (e.type === 'fault') faults.push(e.fault);
    else if (e.type === 'calibration-failed') failed.push(e.failure);
  }
  const review = reviewSets(counted, options.exercise, () => t, lumbarMeasured);
  // what the review found was no rep leaves the count
  const dropped = new Set(review.notReps.map((x) => x.repIndex));
  const reps = counted.filter((r) => !dropped.has(r.index));
  for (const [k, s] of sets.entries()) {
    const less = review.notReps.filter((x) => x.setIndex === s.index).length;
    if (less > 0) sets[k] = { ...s, reps: s.reps - less };
  }
  const faultCounts: Partial<Record<FaultCode, number>> = {};
  for (const r of reps) for (const f of r.faults) faultCounts[f] = (faultCounts[f] ?? 0) + 1;
  const durationS = n > 1 ? samples.tS[n - 1]! - samples.tS[0]! : 0;
  return {
    reps,
    sets: sets.filter((s) => s.reps > 0),
    cues,
    faults,
    calibration: run.calibration ?? { failed },
    review,
    live,
    summary: {
      exercise: options.exercise,
      side: options.side,
      reps: reps.length,
      sets: sets.filter((s) => s.reps > 0).length,
      faultCounts,
      goodReps: reps.filter((r) => r.faults.length === 0).length,
      durationS,
      target: exerciseTargets[options.exercise],
    },
    ...(options.keepEvents ? { events } : {}),
  };
}
