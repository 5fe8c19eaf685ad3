import type { RepMetrics } from './types.ts';

/** What telling an arch from a fuller rep needs of a rep. */
export type RangeAndLift = Pick<RepMetrics, 'rangeDeg' | 'liftM'>;

/**
 * Two groups of a set's thrust or bridge reps, the upper turning the pelvis further: are the upper ones arched, or
 * are the lower ones partial? By range alone: lumbar arching adds at most MAX_ARCH_DEG of extension, so a bigger
 * difference is not an arch; a rep at or above the partial-range fraction of the others is not partial. Where both
 * are possible (a bridge: arch 8–20° on a 15–25° lift looks like partial reps at 45–65 %), the lift tells. A fuller
 * rep turns the pelvis further about the same pivots (shoulders, feet), so it lifts it further in proportion; an arch
 * turns it about the lumbar spine just above it and adds little lift. Arched: the extra range between the groups
 * brought less than ARCH_LIFT_RATIO of the lower group's lift per degree. Without a lift estimate, 1.75× decides.
 * The lift is asked only where range cannot tell: a thrust's lift estimate is too noisy to overrule a clear range.
 * 'neither': the one lower rep is a weaker clean rep, not partial, and the upper ones are not arched.
 *
 * A `weak` split (the groups closer than the arch threshold, review.ts clearSplit) is 'upper arched' only when the
 * lift says so and the upper group lifted no less than WEAK_LIFT_FLOOR of the lower one: an arch turns the pelvis
 * further about the lumbar spine, which adds range and a little lift, never takes lift away; more range with clearly
 * less lift is a misread lift or another rotation read as tilt. Otherwise 'neither': a weak split never calls the
 * lower group partial.
 */
export function whichGroupIsFaulty(
  lower: readonly RangeAndLift[],
  upper: readonly RangeAndLift[],
  partialFraction: number,
  weak = false,
): 'upper arched' | 'lower partial' | 'neither' {
  // Medians: a rep's lift is a double integral and one in ten is off by half or more.
  const m = groupMedians(lower, upper);
  if (weak) return liftSaysArched(m) === true && m.lu >= WEAK_LIFT_FLOOR * m.ll ? 'upper arched' : 'neither';
  const canBeArch = m.ru - m.rl <= MAX_ARCH_DEG;
  const canBePartial = m.rl < partialFraction * m.ru;
  if (!canBeArch && canBePartial) return 'lower partial';
  // One lower rep may be a weaker clean rep as well as the one clean rep among arched ones: the lift tells.
  if (canBeArch && !canBePartial && lower.length > 1) return 'upper arched';
  const arched = liftSaysArched(m) ?? m.ru < 1.75 * m.rl;
  if (arched) return 'upper arched';
  return canBePartial ? 'lower partial' : 'neither';
}

/** The groups' median ranges (rl, ru) and lifts (ll, lu; NaN without a lift estimate). */
interface GroupMedians {
  rl: number;
  ru: number;
  ll: number;
  lu: number;
}

function groupMedians(lower: readonly RangeAndLift[], upper: readonly RangeAndLift[]): GroupMedians {
  return {
    rl: median(lower, (r) => r.rangeDeg),
    ru: median(upper, (r) => r.rangeDeg),
    ll: median(lower, (r) => r.liftM ?? Number.NaN),
    lu: median(upper, (r) => r.liftM ?? Number.NaN),
  };
}

/**
 * Did the upper group's extra range bring less than ARCH_LIFT_RATIO of the lower group's lift per degree? undefined
 * without a lift estimate.
 */
function liftSaysArched({ rl, ru, ll, lu }: GroupMedians): boolean | undefined {
  if (!Number.isFinite(ll) || !Number.isFinite(lu) || ll <= 0 || !(ru > rl)) return undefined;
  return (lu - ll) / (ru - rl) < ARCH_LIFT_RATIO * (ll / rl);
}

/** The most lumbar arching can add to a rep's range, degrees (lumbar extension beyond neutral). */
const MAX_ARCH_DEG = 22;
const ARCH_LIFT_RATIO = 0.65;
/** A weak split's upper group may lift this much less than the lower one (group medians) and still be arched. */
const WEAK_LIFT_FLOOR = 0.9;
/** Live, one rep against the yardstick: a wrong "the yardstick was partial" misjudges the rest of the set. */
const LIVE_FULLER_LIFT_RATIO = 0.8;

/**
 * Live, thrust or bridge: is a rep that read as arched against the yardstick (`reference`: the range it was judged
 * against, the lower median of the clean reps before it, with their lift `referenceLiftM`) instead a full rep after
 * partial ones? Only if the yardstick would be partial against it (below `partialFraction` of its range) and it cannot
 * be an arch: it turned the pelvis more than MAX_ARCH_DEG further, or its lift grew at least LIVE_FULLER_LIFT_RATIO in
 * proportion to its extra range (a fuller rep lifts in proportion, an arch barely: over the corpus seeds 1, 7 and 11
 * the ratio is 0.2 at the median for arched reps, 0.9–1.1 for full ones). Stricter than the after-set review's
 * ARCH_LIFT_RATIO: this is one rep's lift, not a group's median. A thrust was judged by range alone while its lift
 * came from the filter's vertical channel (that ratio spanned −10 to 2.4 for its full reps); with the lift from the
 * sensor itself (liftFromImu.ts) it is asked too.
 */
export function fullerThanYardstick(reference: RangeAndLift, rep: RangeAndLift, partialFraction: number): boolean {
  const rl = reference.rangeDeg;
  if (!(rl < partialFraction * rep.rangeDeg)) return false;
  if (rep.rangeDeg - rl > MAX_ARCH_DEG) return true;
  const ll = reference.liftM ?? Number.NaN;
  const lu = rep.liftM ?? Number.NaN;
  if (!Number.isFinite(ll) || !Number.isFinite(lu) || ll <= 0) return false;
  return (lu - ll) / (rep.rangeDeg - rl) >= LIVE_FULLER_LIFT_RATIO * (ll / rl);
}

/** The median of `f` over the reps. */
export function median<T>(reps: readonly T[], f: (r: T) => number): number {
  const v = reps.map(f).sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
