import { analyzeSession } from './analyze.ts';
import type { SegmentRole } from './segment.ts';
import { defaultThresholds, faultsByExercise, mergeThresholds, type Thresholds } from './thresholds.ts';
import type { Exercise, FaultCode, RepMetrics, Side } from './types.ts';
import { faultCodes } from './types.ts';

/** The parts of a simulated session (packages/sim `SimSession`) the scorecard needs; typed structurally. */
export interface SimLike {
  meta: { id: string; exercise: Exercise; side: Side };
  samples: { tS: ArrayLike<number>; gyrRadPerS: ArrayLike<number>; accMps2: ArrayLike<number> };
  truth: {
    reps: Array<{
      startS: number;
      peakS: number;
      endS: number;
      romDeg: number;
      faults: Array<{ code: FaultCode; startS: number }>;
    }>;
    tTrueS: ArrayLike<number>;
    tiltDeg: ArrayLike<number>;
    obliquityDeg: ArrayLike<number>;
    rotationDeg: ArrayLike<number>;
  };
  /**
   * Extra sensors (thigh, upper lumbar) sampled at the same instants as the pelvis (the sim's), so sample k shares
   * the pelvis's time `samples.tS[k]`; the gateway aligns real sensors by host time instead.
   */
  extraSensors?: Array<{
    placement: SegmentRole;
    samples: { gyrRadPerS: ArrayLike<number>; accMps2: ArrayLike<number> };
  }>;
}

export interface FaultScore {
  truePositive: number;
  falseNegative: number;
  trueNegative: number;
  falsePositive: number;
  sensitivity: number;
  specificity: number;
}

export interface ScorecardResult {
  sets: number;
  repCountExactPct: number;
  repCountWithinOnePct: number;
  faults: Partial<Record<FaultCode, FaultScore>>;
  /**
   * The same per rep for the verdicts as they stood live, before the after-set review (what the patient's cues were
   * drawn from), and `falseCues`: correction cues with that code on reps without the fault (or on no true rep).
   */
  liveFaults: Partial<Record<FaultCode, FaultScore & { falseCues: number }>>;
  cueLatencyMs: { n: number; p50: number; p95: number };
  /** The same per angular fault. */
  cueLatencyByFaultMs: Partial<Record<FaultCode, { n: number; p50: number; p95: number }>>;
  angleRmseDeg: { tilt: number; obliquity: number; rotation: number };
  perExercise: Record<string, { sets: number; exactPct: number; withinOnePct: number }>;
  /** Sets whose count was off, for inspection. */
  misses: Array<{ id: string; truth: number; detected: number }>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Sample index of sensor time `t` (binary search), used to map pipeline times onto true session time. */
function trueTimeOf(sim: SimLike, t: number): number {
  const ts = sim.samples.tS;
  let lo = 0;
  let hi = ts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return sim.truth.tTrueS[lo] ?? t;
}

/**
 * When the true deviation of an angular fault first crossed the threshold, from the sim's truth angles (the same
 * measure the detector uses, relative to the rep's start). Undefined for range/tempo faults.
 */
function truthCrossingS(
  sim: SimLike,
  rep: SimLike['truth']['reps'][number],
  code: FaultCode,
  t: Thresholds,
): number | undefined {
  const s = sim.meta.side === 'left' ? 1 : -1;
  const tt = sim.truth.tTrueS;
  let k0 = 0;
  while (k0 < tt.length && tt[k0]! < rep.startS) k0++;
  const tilt0 = sim.truth.tiltDeg[k0] ?? 0;
  const obl0 = sim.truth.obliquityDeg[k0] ?? 0;
  const rot0 = sim.truth.rotationDeg[k0] ?? 0;
  let best = Number.NEGATIVE_INFINITY;
  for (let k = k0; k < tt.length && tt[k]! <= rep.endS; k++) {
    const dTilt = sim.truth.tiltDeg[k]! - tilt0;
    const dObl = sim.truth.obliquityDeg[k]! - obl0;
    const dRot = sim.truth.rotationDeg[k]! - rot0;
    let v: number;
    let thr: number;
    if (code === 'lumbar_arch') {
      v = dTilt - rep.romDeg;
      thr = t.lumbarArchDeg;
    } else if (code === 'pelvic_drop') {
      v = Math.hypot(Math.max(0, -s * dRot), Math.max(0, s * dObl));
      thr = t.pelvicDropDeg;
    } else if (code === 'pelvic_roll') {
      v = s * dRot;
      thr = t.pelvicRollDeg;
    } else if (code === 'hip_sag') {
      const lift = -s * dObl;
      if (tt[k]! < rep.peakS) {
        best = Math.max(best, lift);
        continue;
      }
      best = Math.max(best, lift);
      v = best - lift;
      thr = t.hipSagDeg;
    } else return undefined;
    if (v >= thr) return tt[k]!;
  }
  return undefined;
}

/**
 * Run the pipeline over simulated sessions and score it against their truth: rep counts per set, per-rep fault
 * sensitivity/specificity (detected reps matched to true reps by their peak time), cue latency for angular faults,
 * and angle RMSE after calibration.
 */
export function evaluateCorpus<S>(
  specs: readonly S[],
  simulate: (spec: S) => SimLike,
  onProgress?: (done: number, total: number) => void,
  thresholds: Partial<Thresholds> = {},
): ScorecardResult {
  const t = mergeThresholds(defaultThresholds, thresholds);
  const zero = (): FaultScore => ({
    truePositive: 0,
    falseNegative: 0,
    trueNegative: 0,
    falsePositive: 0,
    sensitivity: 0,
    specificity: 0,
  });
  const counts: Record<string, FaultScore> = {};
  const liveCounts: Record<string, FaultScore & { falseCues: number }> = {};
  for (const c of faultCodes) {
    counts[c] = zero();
    liveCounts[c] = { ...zero(), falseCues: 0 };
  }
  const latencies: number[] = [];
  const latencyByFault = new Map<FaultCode, number[]>();
  const perExercise: Record<string, { sets: number; exact: number; withinOne: number }> = {};
  const misses: ScorecardResult['misses'] = [];
  let exact = 0;
  let withinOne = 0;
  let se = [0, 0, 0];
  let seN = 0;
  specs.forEach((spec, i) => {
    const sim = simulate(spec);
    const { exercise, side } = sim.meta;
    const errs = se;
    let n = 0;
    const segments = Object.fromEntries(
      (sim.extraSensors ?? []).map((x) => [x.placement, { tS: sim.samples.tS, ...x.samples }]),
    );
    const a = analyzeSession(sim.samples, {
      exercise,
      side,
      thresholds,
      segments,
      onSample: (k, ang, calibrated) => {
        if (!calibrated) return;
        errs[0]! += (ang.tiltDeg - sim.truth.tiltDeg[k]!) ** 2;
        errs[1]! += (ang.obliquityDeg - sim.truth.obliquityDeg[k]!) ** 2;
        errs[2]! += (ang.rotationDeg - sim.truth.rotationDeg[k]!) ** 2;
        n++;
      },
    });
    se = errs;
    seN += n;
    const truthReps = sim.truth.reps;
    const pe = perExercise[exercise] ?? { sets: 0, exact: 0, withinOne: 0 };
    pe.sets++;
    const diff = Math.abs(a.reps.length - truthReps.length);
    if (diff === 0) {
      exact++;
      pe.exact++;
    } else misses.push({ id: sim.meta.id, truth: truthReps.length, detected: a.reps.length });
    if (diff <= 1) {
      withinOne++;
      pe.withinOne++;
    }
    perExercise[exercise] = pe;
    const tally = (c: FaultScore, truthHas: boolean, found: boolean) => {
      if (truthHas && found) c.truePositive++;
      else if (truthHas) c.falseNegative++;
      else if (found) c.falsePositive++;
      else c.trueNegative++;
    };
    // Match each true rep to the detected rep whose (true-time) peak lies inside it; the rest are extra reps.
    const matchTruth = (reps: readonly RepMetrics[]) => {
      const detected = reps.map((r) => ({ rep: r, peakTrue: trueTimeOf(sim, r.peakS), used: false }));
      const matched = truthReps.map((tr) => {
        const m = detected.find((d) => !d.used && d.peakTrue >= tr.startS - 0.2 && d.peakTrue <= tr.endS + 0.2);
        if (m) m.used = true;
        return m?.rep;
      });
      return { matched, extra: detected.filter((d) => !d.used).map((d) => d.rep) };
    };
    // The verdicts after the review, and as judged and cued live (a separate pass for a side plank's second look).
    const final = matchTruth(a.reps);
    const live = matchTruth(a.live.reps);
    const liveCue = (r: RepMetrics, code: FaultCode) =>
      a.live.cues.find((q) => q.code === code && q.repIndex === r.index);
    truthReps.forEach((tr, k) => {
      for (const code of faultsByExercise[exercise]) {
        const truthHas = tr.faults.some((f) => f.code === code);
        tally(counts[code]!, truthHas, final.matched[k]?.faults.includes(code) ?? false);
        const lr = live.matched[k];
        tally(liveCounts[code]!, truthHas, lr?.faults.includes(code) ?? false);
        const cue = lr && liveCue(lr, code);
        if (!cue) continue;
        if (!truthHas) {
          liveCounts[code]!.falseCues++;
          continue;
        }
        // latency of the cue the patient got for a true fault
        const crossing = truthCrossingS(sim, tr, code, t);
        if (crossing === undefined) continue;
        const ms = (trueTimeOf(sim, cue.tS) - crossing) * 1000;
        latencies.push(ms);
        const list = latencyByFault.get(code) ?? [];
        list.push(ms);
        latencyByFault.set(code, list);
      }
    });
    // Detected reps with no true rep: their faults are false positives.
    for (const r of final.extra) for (const code of r.faults) counts[code]!.falsePositive++;
    for (const r of live.extra) {
      for (const code of r.faults) {
        liveCounts[code]!.falsePositive++;
        if (liveCue(r, code)) liveCounts[code]!.falseCues++;
      }
    }
    onProgress?.(i + 1, specs.length);
  });
  /** Fills in sensitivity and specificity; false when the fault was never scored. */
  const rated = (s: FaultScore): boolean => {
    if (s.truePositive + s.falseNegative + s.trueNegative + s.falsePositive === 0) return false;
    s.sensitivity =
      s.truePositive + s.falseNegative > 0 ? s.truePositive / (s.truePositive + s.falseNegative) : Number.NaN;
    s.specificity =
      s.trueNegative + s.falsePositive > 0 ? s.trueNegative / (s.trueNegative + s.falsePositive) : Number.NaN;
    return true;
  };
  const faults: Partial<Record<FaultCode, FaultScore>> = {};
  const liveFaults: ScorecardResult['liveFaults'] = {};
  for (const c of faultCodes) {
    if (rated(counts[c]!)) faults[c] = counts[c]!;
    if (rated(liveCounts[c]!)) liveFaults[c] = liveCounts[c]!;
  }
  latencies.sort((x, y) => x - y);
  const nSets = specs.length;
  const pct = (x: number, of: number) => (of > 0 ? (100 * x) / of : Number.NaN);
  return {
    sets: nSets,
    repCountExactPct: pct(exact, nSets),
    repCountWithinOnePct: pct(withinOne, nSets),
    faults,
    liveFaults,
    cueLatencyMs: { n: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    cueLatencyByFaultMs: Object.fromEntries(
      [...latencyByFault.entries()].map(([code, xs]) => {
        xs.sort((x, y) => x - y);
        return [code, { n: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95) }];
      }),
    ),
    angleRmseDeg: {
      tilt: Math.sqrt(se[0]! / Math.max(1, seN)),
      obliquity: Math.sqrt(se[1]! / Math.max(1, seN)),
      rotation: Math.sqrt(se[2]! / Math.max(1, seN)),
    },
    perExercise: Object.fromEntries(
      Object.entries(perExercise).map(([k, v]) => [
        k,
        { sets: v.sets, exactPct: pct(v.exact, v.sets), withinOnePct: pct(v.withinOne, v.sets) },
      ]),
    ),
    misses,
  };
}
