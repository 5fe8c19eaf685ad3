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

/**
 * Offline review of partial range: live, a rep can only be compared with the reps before it; after the set, each
 * rep is compared with the upper quartile of its whole set, which also judges the first reps.
 */
function reviewPartialRange(reps: RepMetrics[], fraction: number, archMeasured: boolean): void {
  const bySet = new Map<number, RepMetrics[]>();
  for (const r of reps) bySet.set(r.setIndex, [...(bySet.get(r.setIndex) ?? []), r]);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1] ?? Number.NaN;
  for (const set of bySet.values()) {
    if (set.length < 3) continue;
    // Arch or partial? Live, a set that starts with partial reps makes the full ones look arched. An arch adds at
    // most ~20° of lumbar extension to a 20–45° lift, so "arched" reps ≥ 1.75× the others are full reps after
    // partial ones: relabel them.
    const arched = set.filter((r) => r.faults.includes('lumbar_arch'));
    const others = set.filter((r) => !r.faults.includes('lumbar_arch'));
    if (!archMeasured && arched.length >= 2 && others.length >= 1) {
      if (median(arched.map((r) => r.rangeDeg)) >= 1.75 * median(others.map((r) => r.rangeDeg))) {
        for (const r of arched) r.faults = r.faults.filter((f) => f !== 'lumbar_arch');
      }
    }
    // Yardstick: the upper quartile of the set's reps whose range is not inflated by a fault (arch, roll-back),
    // so up to half the reps may be partial.
    const sorted = set
      .filter((r) => !r.faults.includes('lumbar_arch') && !r.faults.includes('pelvic_roll'))
      .map((r) => r.rangeDeg)
      .sort((x, y) => x - y);
    if (sorted.length < 3) continue;
    const reference = sorted[Math.floor(0.75 * (sorted.length - 1))]!;
    for (const r of set) {
      const partial = r.rangeDeg < fraction * reference;
      const has = r.faults.includes('partial_range');
      if (partial && !has) r.faults.push('partial_range');
      if (!partial && has) r.faults = r.faults.filter((f) => f !== 'partial_range');
    }
  }
}

/**
 * Offline review of lumbar arching: live, the first reps of a set have no yardstick, and when they are arched they
 * become it. After the set, when the non-partial reps split into two clear clusters (a gap of at least the
 * threshold between neighbours, the upper cluster ≥ threshold above the lower one's median but < 1.75× it, which
 * would be partial-vs-full instead), the upper cluster is arched.
 */
function reviewArch(reps: RepMetrics[], thresholdDeg: number): void {
  const bySet = new Map<number, RepMetrics[]>();
  for (const r of reps) bySet.set(r.setIndex, [...(bySet.get(r.setIndex) ?? []), r]);
  for (const set of bySet.values()) {
    const full = set.filter((r) => !r.faults.includes('partial_range')).sort((a, b) => a.rangeDeg - b.rangeDeg);
    if (full.length < 4) continue;
    let gap = 0;
    let split = -1;
    for (let i = 1; i < full.length; i++) {
      const g = full[i]!.rangeDeg - full[i - 1]!.rangeDeg;
      if (g > gap) {
        gap = g;
        split = i;
      }
    }
    if (split < 1 || gap < thresholdDeg) continue;
    const lower = full.slice(0, split);
    const upper = full.slice(split);
    const lowerMedian = lower[(lower.length - 1) >> 1]!.rangeDeg;
    const upperMin = upper[0]!.rangeDeg;
    if (upperMin - lowerMedian < thresholdDeg || upperMin >= 1.75 * lowerMedian) continue;
    for (const r of upper) if (!r.faults.includes('lumbar_arch')) r.faults.push('lumbar_arch');
  }
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

/** Run a whole recording (starting with the calibration hold) through the pipeline: what `hipcue analyze` prints. */
export function analyzeSession(samples: SessionSamples, options: AnalyzeOptions): SessionAnalysis {
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
    if (options.onSample) options.onSample(i, p.angles, p.state === 'ready' || p.state === 'in-set');
    if ((i & 1023) === 0) for (const e of p.drainEvents()) events.push(e);
  }
  p.endSet();
  for (const e of p.drainEvents()) events.push(e);

  const reps: RepMetrics[] = [];
  const sets: SetSummary[] = [];
  const cues: Cue[] = [];
  const faults: FaultDetection[] = [];
  const failed: CalibrationFailure[] = [];
  for (const e of events) {
    if (e.type === 'rep') reps.push(e.rep);
    else if (e.type === 'set-end') sets.push(e.set);
    else if (e.type === 'cue') cues.push(e.cue);
    else if (e.type === 'fault') faults.push(e.fault);
    else if (e.type === 'calibration-failed') failed.push(e.failure);
  }
  const t = mergeThresholds(defaultThresholds, options.thresholds ?? {});
  // With an upper-lumbar sensor arching is measured, not inferred from the pelvis's range: no review of it.
  const lumbarMeasured = p.segments.lumbar === 'ok';
  reviewPartialRange(reps, t.partialRangeFraction, lumbarMeasured);
  if ((options.exercise === 'hip-thrust' || options.exercise === 'glute-bridge') && !lumbarMeasured) {
    reviewArch(reps, t.lumbarArchDeg);
  }
  const faultCounts: Partial<Record<FaultCode, number>> = {};
  for (const r of reps) for (const f of r.faults) faultCounts[f] = (faultCounts[f] ?? 0) + 1;
  const durationS = n > 1 ? samples.tS[n - 1]! - samples.tS[0]! : 0;
  return {
    reps,
    sets: sets.filter((s) => s.reps > 0),
    cues,
    faults,
    calibration: p.calibration ?? { failed },
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
