import { median } from './archOrPartial.ts';
import type { CalibrationSettings } from './calibrator.ts';
import { createPipeline, type PipelineOptions } from './pipeline.ts';
import type { SetReview } from './review.ts';
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

/** The reps of a pass, in order, as the live pipeline gave them. */
function repsOf(events: readonly PipelineEvent[]): RepMetrics[] {
  const reps: RepMetrics[] = [];
  for (const e of events) if (e.type === 'rep') reps.push(e.rep);
  return reps;
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
  return { events, calibration: p.calibration };
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
  const { events } = run;

  const sets: SetSummary[] = [];
  const cues: Cue[] = [];
  const faults: FaultDetection[] = [];
  const failed: CalibrationFailure[] = [];
  // the pipeline reviewed each set as it closed (set-review; a later review of a set replaces an earlier one); set
  // counts already leave out what was no rep
  const reviewed = new Map<number, RepMetrics>();
  const bySetReview = new Map<number, SetReview>();
  for (const e of events) {
    if (e.type === 'set-review') {
      for (const r of e.reps) reviewed.set(r.index, r);
      bySetReview.set(e.setIndex, e.review);
    } else if (e.type === 'set-end') sets.push(e.set);
    else if (e.type === 'cue') cues.push(e.cue);
    else if (e.type === 'fault') faults.push(e.fault);
    else if (e.type === 'calibration-failed') failed.push(e.failure);
  }
  // Sets left with no rep (every movement in them was no rep) are not listed: the others are numbered as listed, and
  // reps and no-reps name their set by that number (a no-rep in an unlisted set: -1).
  const keptSets = sets.filter((s) => s.reps > 0);
  const setNumber = new Map(keptSets.map((s, k) => [s.index, k]));
  const reviews = [...bySetReview.values()];
  const review: SetReview = {
    added: reviews.flatMap((x) => x.added),
    cleared: reviews.flatMap((x) => x.cleared),
    notReps: reviews.flatMap((x) => x.notReps.map((r) => ({ ...r, setIndex: setNumber.get(r.setIndex) ?? -1 }))),
  };
  const dropped = new Set(review.notReps.map((x) => x.repIndex));
  const reps = repsOf(events)
    .map((r) => reviewed.get(r.index) ?? r)
    .filter((r) => !dropped.has(r.index))
    .map((r) => ({ ...r, setIndex: setNumber.get(r.setIndex) ?? r.setIndex }));
  const faultCounts: Partial<Record<FaultCode, number>> = {};
  for (const r of reps) for (const f of r.faults) faultCounts[f] = (faultCounts[f] ?? 0) + 1;
  const durationS = n > 1 ? samples.tS[n - 1]! - samples.tS[0]! : 0;
  return {
    reps,
    sets: keptSets.map((s, k) => ({ ...s, index: k })),
    cues,
    faults,
    calibration: run.calibration ?? { failed },
    review,
    live,
    summary: {
      exercise: options.exercise,
      side: options.side,
      reps: reps.length,
      sets: keptSets.length,
      faultCounts,
      goodReps: reps.filter((r) => r.faults.length === 0).length,
      durationS,
      target: exerciseTargets[options.exercise],
    },
    ...(options.keepEvents ? { events } : {}),
  };
}
