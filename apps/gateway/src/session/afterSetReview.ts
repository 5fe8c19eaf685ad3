import { reviewSets } from '@hipcue/dsp';
import type { Exercise, Fault, Rep, SessionEvent, SetSummary } from '@hipcue/messages';
import type { SessionCore } from './SessionCore.ts';

export interface ReviewedSession {
  reps: Rep[];
  sets: SetSummary[];
  /** The wire events with the review applied: withdrawn fault events dropped, found ones added at their set's end. */
  events: SessionEvent[];
  /** The last `seq` used. */
  lastSeq: number;
}

/**
 * The final verdicts of a re-derived session's live reps (by wire rep index; a rep not in `final` keeps its live
 * verdict), marked against the live ones: a fault the live pipeline did not find gets `source: 'review'` (no cue was
 * given for it), a live one no longer found moves to the rep's `clearedByReview`. Set fault counts follow, and so do
 * the events; `seq` numbers for added fault events start after `lastSeq`.
 */
export function withFinalVerdicts(
  core: SessionCore,
  events: readonly SessionEvent[],
  lastSeq: number,
  final: ReadonlyMap<number, readonly Fault[]>,
): ReviewedSession {
  const st = core.state;
  const added = new Map<number, Fault[]>();
  const delta = new Map<string | null, number>();
  const reps = st.reps.map((r) => {
    const verdict = final.get(r.index);
    if (!verdict) return r;
    const codes = new Set(verdict.map((f) => f.code));
    const liveCodes = new Set(r.faults.map((f) => f.code));
    const kept = r.faults.filter((f) => codes.has(f.code));
    const withdrawn = r.faults.filter((f) => !codes.has(f.code));
    const found = verdict.filter((f) => !liveCodes.has(f.code)).map((f): Fault => ({ ...f, source: 'review' }));
    if (withdrawn.length === 0 && found.length === 0) return r;
    added.set(r.index, found);
    delta.set(r.setId, (delta.get(r.setId) ?? 0) + found.length - withdrawn.length);
    return { ...r, faults: [...kept, ...found], ...(withdrawn.length > 0 ? { clearedByReview: withdrawn } : {}) };
  });
  if (added.size === 0) return { reps: st.reps, sets: st.sets, events: [...events], lastSeq };
  const byIndex = new Map(reps.map((r) => [r.index, r]));
  const reviewedSet = (s: SetSummary): SetSummary => ({
    ...s,
    faults: Math.max(0, s.faults + (delta.get(s.setId) ?? 0)),
  });
  const sets = st.sets.map(reviewedSet);

  let seq = lastSeq;
  const out: SessionEvent[] = [];
  // found faults, at the end of the set they were found in (or of the session, for a set left open)
  const emitFound = (tS: number, setId: string | null | undefined) => {
    for (const r of reps) {
      if (setId !== undefined && r.setId !== setId) continue;
      for (const fault of added.get(r.index) ?? [])
        out.push({ type: 'fault', seq: ++seq, tS, repIndex: r.index, fault });
      added.delete(r.index);
    }
  };
  for (const e of events) {
    if (e.type === 'fault' && byIndex.get(e.repIndex)?.clearedByReview?.some((f) => f.code === e.fault.code)) continue;
    if (e.type === 'rep') out.push({ ...e, rep: byIndex.get(e.rep.index) ?? e.rep });
    else if (e.type === 'set-end') {
      out.push({ ...e, set: reviewedSet(e.set) });
      emitFound(e.tS, e.set.setId);
    } else out.push(e);
  }
  emitFound(core.nowS, undefined);
  return { reps, sets, events: out, lastSeq: seq };
}

/**
 * The after-set review `hipcue analyze` runs (packages/dsp reviewSets), on a recorded session re-derived by
 * analyzeRecording: live a rep is judged against the reps before it; once the set is over each is judged against the
 * whole set, which changes verdicts in sets that began arched or partial. Each set is judged with the thresholds it
 * ended with. A found fault carries the review's measured value and the rep's peak as `beganS`.
 */
export function afterSetReview(
  core: SessionCore,
  exercise: Exercise,
  events: readonly SessionEvent[],
  lastSeq: number,
): ReviewedSession {
  const dspReps = core.dspReps.map((r) => ({ ...r, faults: [...r.faults] }));
  const review = reviewSets(dspReps, exercise, (i) => core.thresholdsOfSet(i), core.segments.lumbar === 'ok');
  // the pipeline's reps are the wire reps in order: wire index = position + 1
  const wireIndex = new Map(dspReps.map((r, i) => [r.index, i + 1]));
  // each changed rep's live faults, then the review's changes
  const final = new Map<number, Fault[]>();
  const changed = [...review.added, ...review.cleared].map((c) => wireIndex.get(c.repIndex)!);
  for (const i of changed) final.set(i, [...(core.state.reps[i - 1]?.faults ?? [])]);
  for (const f of review.added) {
    const fault: Fault = { code: f.code, beganS: f.tS, value: f.value, threshold: f.threshold, unit: f.unit };
    final.get(wireIndex.get(f.repIndex)!)!.push(fault);
  }
  for (const c of review.cleared) {
    const i = wireIndex.get(c.repIndex)!;
    final.set(
      i,
      final.get(i)!.filter((f) => f.code !== c.code),
    );
  }
  return withFinalVerdicts(core, events, lastSeq, final);
}
