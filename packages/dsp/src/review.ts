import { median, whichGroupIsFaulty } from './archOrPartial.ts';
import type { Thresholds } from './thresholds.ts';
import type { Exercise, FaultCode, FaultDetection, RepMetrics, SetReview } from './types.ts';

export type { SetReview } from './types.ts';

/*
 * The after-set review (docs/dsp.md §4): once a set is over, each rep is judged against the whole set, not only the
 * reps before it. The pipeline runs it as each set closes (pipeline.ts, `set-review` events).
 */
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
 * A gap of half `minDeg` or more with two upper reps or more is a `weak` split: a person's clean reps spread over a
 * few degrees and so do the arched ones, so arches of 5–8° can sit less than 5° above the fullest clean rep (a quick
 * bridge set begun arched: clean 25–29°, arched 34–49°, largest gap 4.6°). Range alone cannot call it; the review
 * asks the lift (reviewThrustSet).
 */
function clearSplit(
  sorted: RepMetrics[],
  minDeg: number,
): { lower: RepMetrics[]; upper: RepMetrics[]; weak: boolean } | undefined {
  if (sorted.length < 4) return undefined;
  const gap = largestStep(
    sorted.map((r) => r.rangeDeg),
    (below, above) => above - below,
    0,
  );
  if (gap.at < 1 || gap.size < WEAK_GAP_FRACTION * minDeg) return undefined;
  const lower = sorted.slice(0, gap.at);
  const upper = sorted.slice(gap.at);
  if (upper[0]!.rangeDeg - lowerMiddle(lower).rangeDeg < minDeg) return undefined;
  const weak = gap.size < minDeg;
  if (weak && upper.length < 2) return undefined;
  return { lower, upper, weak };
}

/** The smallest gap for a weak split, as a fraction of the arch threshold. */
const WEAK_GAP_FRACTION = 0.5;

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
 * A weak split (ranges closer than the arch threshold) is taken only when the lift says the upper group is arched
 * (whichGroupIsFaulty): its extra range lifted the hips little, as an arch about the lumbar spine does. A fuller rep,
 * or the fresher reps of a set that tires, lift in proportion, so they make no split.
 */
export function reviewThrustSet(set: RepMetrics[], t: Thresholds, log?: ReviewLog): void {
  let rest = [...set].sort((a, b) => a.rangeDeg - b.rangeDeg);
  let partialFound = false;
  for (let split = clearSplit(rest, t.lumbarArchDeg); split; split = clearSplit(rest, t.lumbarArchDeg)) {
    const { lower, upper, weak } = split;
    const verdict = whichGroupIsFaulty(lower, upper, t.partialRangeFraction, weak);
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

/**
 * When a set's last counted rep was a movement after the set rather than a rep (docs/dsp.md §4): it was smaller than
 * the set's reps (range, a fraction of their median) and shows two of three signs — it came late for the set's rhythm
 * (start to start, in median rep periods), it was quicker than the set's reps (duration, a fraction of their median),
 * or it lifted the hips far less than its range would (lift per degree, a fraction of the set's median, where the
 * exercise lifts the hips). A fatigued last rep may come late and fall short, but it is slower, not quicker, and lifts
 * as far per degree as the set's other reps: the hips rise because the pelvis turns about a fixed pivot, and a
 * repositioning move turns the pelvis without that. Set from three-set sessions of corpus seeds 1, 7, 11 (§7).
 */
export const NOT_A_REP = {
  latePeriods: 1.4,
  rangeFraction: 0.7,
  durationFraction: 0.8,
  liftPerDegFraction: 0.4,
  minReps: 4,
} as const;

/** The set's last rep if it is no rep by NOT_A_REP; the set's reps are in order. */
export function trailingMovement(set: readonly RepMetrics[]): RepMetrics | undefined {
  if (set.length < NOT_A_REP.minReps) return undefined;
  const last = set.at(-1)!;
  const body = set.slice(0, -1);
  // medians as the rest of the review takes them (the mean of the two middles of an even count)
  const starts = body.slice(1).map((r, i) => r.startS - body[i]!.startS);
  const period = median(starts, (x) => x);
  const late = last.startS - body.at(-1)!.startS >= NOT_A_REP.latePeriods * period;
  const small = last.rangeDeg < NOT_A_REP.rangeFraction * median(body, (r) => r.rangeDeg);
  if (!small) return undefined;
  const quick = last.endS - last.startS < NOT_A_REP.durationFraction * median(body, (r) => r.endS - r.startS);
  // two signs of three: quick and liftless, it is no rep however soon it came (a slow set's rhythm may leave a
  // rest's move on time)
  const signs = Number(late) + Number(quick) + Number(liftless(last, body));
  return signs >= 2 ? last : undefined;
}

/**
 * The reps of a set that were no rep: its last if trailingMovement says so, and any other that is small, quick *and*
 * liftless against the set's other reps — a fidget inside the set (a shift of the pelvis between two reps, or before
 * the first) turns the pelvis briefly without the lift a rep's turn about its pivot makes. A rushed partial rep is
 * small and quick too, but lifts in proportion, and a clamshell's lift is not measured, so neither is touched. In the
 * set's order. Found on seed 7's stiff-hips row, checked on rows of seeds 1, 7, 11 and 13 (docs/dsp.md §4).
 */
export function movementsIn(set: readonly RepMetrics[]): RepMetrics[] {
  const last = trailingMovement(set);
  const reps = last ? set.slice(0, -1) : set;
  const out: RepMetrics[] = [];
  if (reps.length >= NOT_A_REP.minReps) {
    for (const r of reps) {
      const others = reps.filter((x) => x !== r);
      const small = r.rangeDeg < NOT_A_REP.rangeFraction * median(others, (x) => x.rangeDeg);
      const quick = r.endS - r.startS < NOT_A_REP.durationFraction * median(others, (x) => x.endS - x.startS);
      if (small && quick && liftless(r, others)) out.push(r);
    }
  }
  if (last) out.push(last);
  return out;
}

/**
 * How far a rep alone in its set may differ from the person's reps in tempo before it is a movement in the rest,
 * not a set: its duration under `quickFraction` or over `slowFactor` times theirs (the median over the sets before,
 * at least NOT_A_REP.minReps reps). A lone set is one movement with a rest of `setRestS` or more on either side of
 * it; the person's reps come in sets (the prescription: 8–15 to fatigue). A movement in the rest, settling on the mat
 * or a shift of the hips, is quick (under a second, there and back), or two of them a few seconds apart read as one
 * slow movement. Range does not decide: fatigue shrinks a rep's range but keeps the person's tempo, and a tired set
 * whose other reps fell under the floor leaves one small rep alone (independent generator, seed 3: a 0.28° rep
 * after reps of 0.54°, at 0.94 of their duration). A lone rep at the person's tempo stays a set. Found on the
 * independent generator's clamshells (test/independent): seeds 1 and 3 held 12 lone fidgets, of which this finds 10,
 * and 3 lone reps, which it keeps; a fidget's 1–5° turn is as large as a clamshell's roll, and the axis check at the
 * rep's start (reps.ts maxOffAxisRatio) lets through those that turn about an axis near the clamshell's.
 */
export const LONE_MOVEMENT = { quickFraction: NOT_A_REP.durationFraction, slowFactor: 2 } as const;

/** Whether a set's only rep, `rep`, is unlike the person's reps of the sets before (`earlier`) in tempo. */
export function isLoneMovement(rep: RepMetrics, earlier: readonly RepMetrics[]): boolean {
  if (earlier.length < NOT_A_REP.minReps) return false;
  const duration = median(earlier, (r) => r.endS - r.startS);
  const d = rep.endS - rep.startS;
  return d < LONE_MOVEMENT.quickFraction * duration || d > LONE_MOVEMENT.slowFactor * duration;
}

/** Whether `rep` lifted the hips far less per degree than the reps of `body` (false where lift is not measured). */
function liftless(rep: RepMetrics, body: readonly RepMetrics[]): boolean {
  const lifted = body.filter((r) => r.liftM !== undefined && r.rangeDeg > 0);
  if (rep.liftM === undefined || lifted.length < NOT_A_REP.minReps - 1) return false;
  const perDeg = median(lifted, (r) => r.liftM! / r.rangeDeg);
  return perDeg > 0 && rep.liftM < NOT_A_REP.liftPerDegFraction * perDeg * rep.rangeDeg;
}

/**
 * The after-set review of every set (reviewThrustSet for a thrust or bridge without an upper-lumbar sensor, else
 * reviewPartialRange), in place on the reps' faults; `thresholdsOf` gives the thresholds a set was judged with.
 * `earlier`: the reps counted in the sets before these, the yardstick for a set of one rep (isLoneMovement).
 */
export function reviewSets(
  reps: RepMetrics[],
  exercise: Exercise,
  thresholdsOf: (setIndex: number) => Thresholds,
  lumbarMeasured: boolean,
  earlier: readonly RepMetrics[] = [],
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
    const extra = whole.length === 1 && isLoneMovement(whole[0]!, earlier) ? whole : movementsIn(whole);
    for (const r of extra) notReps.push({ repIndex: r.index, setIndex: r.setIndex });
    const set = whole.filter((r) => !extra.includes(r));
    if (set.length === 0) continue;
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
