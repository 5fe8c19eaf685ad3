import { isDeepStrictEqual } from 'node:util';
import type { RepMetrics, SetReview } from '@hipcue/dsp';
import type { Fault, Rep, SessionEvent, SetSummary } from '@hipcue/messages';
import type { SessionCore } from './SessionCore.ts';

export interface ReviewedSession {
  reps: Rep[];
  sets: SetSummary[];
  /**
   * The wire events: `rep` and `fault` as the live pass sent them (what the patient was told), and a `rep-review` with
   * the final verdict of each rep it changed, at its set's end.
   */
  events: SessionEvent[];
  /** The last `seq` used. */
  lastSeq: number;
}

/** What the live pipeline flagged on a rep, before any after-set review. */
function liveFaults(r: Rep): Fault[] {
  return [...r.faults.filter((f) => f.source !== 'review'), ...(r.clearedByReview ?? [])];
}

/**
 * The final verdicts of a re-derived session's reps (by wire rep index; a rep not in `final` keeps the verdict it
 * has), marked against the live ones: a fault the live pipeline did not find gets `source: 'review'` (no cue was given
 * for it), a live one no longer found moves to the rep's `clearedByReview`. Set fault counts follow, and so do the
 * events: the session's own `rep-review` events give way to one per changed rep at its set's `set-end` (or at the
 * session's end, for a set left open), numbered after `lastSeq`.
 */
export function withFinalVerdicts(
  core: SessionCore,
  events: readonly SessionEvent[],
  lastSeq: number,
  final: ReadonlyMap<number, readonly Fault[]>,
): ReviewedSession {
  const st = core.state;
  const delta = new Map<string | null, number>();
  const changed = new Set<number>();
  const reps = st.reps.map((r) => {
    const verdict = final.get(r.index);
    if (!verdict) return r;
    const live = liveFaults(r);
    const codes = new Set(verdict.map((f) => f.code));
    const liveCodes = new Set(live.map((f) => f.code));
    const kept = live.filter((f) => codes.has(f.code));
    const withdrawn = live.filter((f) => !codes.has(f.code));
    const found = verdict.filter((f) => !liveCodes.has(f.code)).map((f): Fault => ({ ...f, source: 'review' }));
    const { clearedByReview: _, ...rest } = r;
    const out: Rep = {
      ...rest,
      faults: [...kept, ...found],
      ...(withdrawn.length > 0 ? { clearedByReview: withdrawn } : {}),
    };
    if (withdrawn.length > 0 || found.length > 0) changed.add(r.index);
    delta.set(r.setId, (delta.get(r.setId) ?? 0) + out.faults.length - r.faults.length);
    return out;
  });
  const reviewedSet = (s: SetSummary): SetSummary => ({
    ...s,
    faults: Math.max(0, s.faults + (delta.get(s.setId) ?? 0)),
  });
  const sets = st.sets.map(reviewedSet);

  let seq = lastSeq;
  const out: SessionEvent[] = [];
  const emitReviewed = (tS: number, setId: string | null | undefined) => {
    for (const r of reps) {
      if (!changed.has(r.index) || (setId !== undefined && r.setId !== setId)) continue;
      out.push({ type: 'rep-review', seq: ++seq, tS, rep: r });
      changed.delete(r.index);
    }
  };
  for (const e of events) {
    if (e.type === 'rep-review') continue;
    if (e.type === 'set-end') {
      emitReviewed(e.tS, e.set.setId);
      out.push({ ...e, set: reviewedSet(e.set) });
    } else out.push(e);
  }
  emitReviewed(core.nowS, undefined);
  return { reps, sets, events: out, lastSeq: seq };
}

/**
 * The wire form of the after-set review the pipeline ran as a set ended (packages/dsp review.ts reviewSets,
 * `set-review` events): live a rep is judged against the reps before it; once the set is over each is judged against
 * the whole set, which changes verdicts in sets that began arched or partial, and judges a pelvis-only clamshell's
 * range at all. `setReps` are the set's pipeline reps and `wireReps` the same reps as they stand, in the same order.
 * Each rep is judged from its live verdict (so a later review of the same set replaces an earlier one), and the reps
 * whose verdict now differs from how they stand are returned, as the review judged them: a found fault carries the
 * review's measured value, the rep's peak as `beganS` and `source: 'review'`; a withdrawn one moves to
 * `clearedByReview`; a rep the review found was no rep (a movement after the set, or a fidget in it) is marked
 * `notARep`.
 */
export function reviewedWireReps(
  setReps: readonly RepMetrics[],
  wireReps: readonly Rep[],
  review: Readonly<SetReview>,
): Rep[] {
  const position = new Map(setReps.map((r, i) => [r.index, i]));
  const judged = wireReps.map((w): Rep => {
    const { clearedByReview: _, notARep: __, ...rest } = w;
    return { ...rest, faults: liveFaults(w) };
  });
  const at = (repIndex: number): Rep | undefined => {
    const k = position.get(repIndex);
    return k === undefined ? undefined : judged[k];
  };
  for (const c of review.cleared) {
    const r = at(c.repIndex);
    if (!r) continue;
    const withdrawn = r.faults.filter((f) => f.code === c.code);
    r.faults = r.faults.filter((f) => f.code !== c.code);
    r.clearedByReview = [...(r.clearedByReview ?? []), ...withdrawn];
  }
  for (const x of review.notReps) {
    const r = at(x.repIndex);
    if (r) r.notARep = true;
  }
  for (const f of review.added) {
    const r = at(f.repIndex);
    if (!r || r.faults.some((x) => x.code === f.code)) continue;
    r.faults.push({
      code: f.code,
      beganS: f.tS,
      value: f.value,
      threshold: f.threshold,
      unit: f.unit,
      source: 'review',
    });
  }
  return judged.filter((r, k) => !isDeepStrictEqual(r, wireReps[k]));
}
