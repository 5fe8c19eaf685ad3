import { type FaultCode, reviewSets } from '@hipcue/dsp';
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
 * The after-set review `hipcue analyze` runs (packages/dsp reviewSets), on a recorded session re-derived by
 * analyzeRecording. Live a rep is judged against the reps before it; once the set is over each is judged against the
 * whole set, which changes verdicts in sets that began arched or partial. Found faults carry `source: 'review'`
 * (no cue was given); withdrawn ones move to the rep's `clearedByReview`. Each set is judged with the thresholds it
 * ended with. `seq` numbers for added events start after `lastSeq`.
 */
export function afterSetReview(
  core: SessionCore,
  exercise: Exercise,
  events: readonly SessionEvent[],
  lastSeq: number,
): ReviewedSession {
  const st = core.state;
  const dspReps = core.dspReps.map((r) => ({ ...r, faults: [...r.faults] }));
  const review = reviewSets(dspReps, exercise, (i) => core.thresholdsOfSet(i), core.segments.lumbar === 'ok');
  // the pipeline's reps are the wire reps in order: wire index = position + 1
  const wireIndex = new Map(dspReps.map((r, i) => [r.index, i + 1]));
  const added = new Map<number, Fault[]>();
  for (const f of review.added) {
    const i = wireIndex.get(f.repIndex)!;
    const fault: Fault = { code: f.code, beganS: f.tS, value: f.value, threshold: f.threshold, unit: f.unit };
    added.set(i, [...(added.get(i) ?? []), { ...fault, source: 'review' }]);
  }
  const cleared = new Map<number, Set<FaultCode>>();
  for (const c of review.cleared) {
    const i = wireIndex.get(c.repIndex)!;
    cleared.set(i, (cleared.get(i) ?? new Set()).add(c.code));
  }
  if (added.size === 0 && cleared.size === 0) return { reps: st.reps, sets: st.sets, events: [...events], lastSeq };

  const delta = new Map<string | null, number>();
  const reps = st.reps.map((r) => {
    const gone = cleared.get(r.index);
    const found = added.get(r.index) ?? [];
    if (!gone && found.length === 0) return r;
    const kept = r.faults.filter((f) => !gone?.has(f.code));
    delta.set(r.setId, (delta.get(r.setId) ?? 0) + kept.length + found.length - r.faults.length);
    const withdrawn = r.faults.filter((f) => gone?.has(f.code));
    return { ...r, faults: [...kept, ...found], ...(withdrawn.length > 0 ? { clearedByReview: withdrawn } : {}) };
  });
  const byIndex = new Map(reps.map((r) => [r.index, r]));
  const reviewedSet = (s: SetSummary): SetSummary => ({
    ...s,
    faults: Math.max(0, s.faults + (delta.get(s.setId) ?? 0)),
  });
  const sets = st.sets.map(reviewedSet);

  let seq = lastSeq;
  const out: SessionEvent[] = [];
  // the review's findings, at the end of the set they were found in (or of the session, for a set left open)
  const emitFound = (tS: number, setId: string | null | undefined) => {
    for (const r of reps) {
      if (setId !== undefined && r.setId !== setId) continue;
      for (const fault of added.get(r.index) ?? [])
        out.push({ type: 'fault', seq: ++seq, tS, repIndex: r.index, fault });
      added.delete(r.index);
    }
  };
  for (const e of events) {
    if (e.type === 'fault' && cleared.get(e.repIndex)?.has(e.fault.code)) continue;
    if (e.type === 'rep') out.push({ ...e, rep: byIndex.get(e.rep.index) ?? e.rep });
    else if (e.type === 'set-end') {
      out.push({ ...e, set: reviewedSet(e.set) });
      emitFound(e.tS, e.set.setId);
    } else out.push(e);
  }
  emitFound(core.nowS, undefined);
  return { reps, sets, events: out, lastSeq: seq };
}
