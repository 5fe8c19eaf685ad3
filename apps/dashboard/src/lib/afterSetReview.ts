import type { Exercise, FaultCode, Rep } from '@hipcue/messages';

export interface ReviewLine {
  kind: 'found' | 'withdrawn' | 'not-a-rep';
  code: FaultCode | 'not_a_rep';
  text: string;
}

const MOVE: Record<Exercise, { did: string; more: string }> = {
  'hip-thrust': { did: 'lifted less than your best reps', more: 'lift a little higher' },
  'glute-bridge': { did: 'lifted less than your best reps', more: 'lift a little higher' },
  clamshell: { did: 'opened less than your best reps', more: 'open the knee a little further' },
  'side-plank-clamshell': { did: 'lifted less than your best reps', more: 'lift and open a little further' },
};

/** What a withdrawn live cue said, in the patient's words. */
const CUED: Partial<Record<FaultCode, string>> = {
  lumbar_arch: "don't arch",
  partial_range: 'go a little further',
  pelvic_roll: "don't roll back",
  hip_sag: "don't let them sag",
  pelvic_drop: 'keep your hips level',
  rushed_tempo: 'slow down',
};

const reps = (n: number) => (n === 1 ? '1 rep' : `${n} reps`);
const list = (xs: number[]) =>
  xs.length === 1 ? `rep ${xs[0]}` : `reps ${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;

/**
 * What the after-set review changed in a set, for the patient: live each rep is judged against the reps before it,
 * once the set is over against the whole set (packages/dsp reviewSets). A fault it found got no cue during the rep;
 * a live cue it withdrew was a false alarm, and saying so keeps the patient trusting the next one.
 */
export function afterSetReviewLines(exercise: Exercise, setReps: readonly Rep[]): ReviewLine[] {
  const found = new Map<FaultCode, number[]>();
  const withdrawn = new Map<FaultCode, number[]>();
  const notReps = setReps.filter((r) => r.notARep);
  for (const r of setReps) {
    if (r.notARep) continue;
    for (const f of r.faults)
      if (f.source === 'review') found.set(f.code, [...(found.get(f.code) ?? []), r.indexInSet]);
    // only a withdrawn flag the patient heard is worth telling
    for (const f of r.clearedByReview ?? [])
      if (r.cueCode === f.code) withdrawn.set(f.code, [...(withdrawn.get(f.code) ?? []), r.indexInSet]);
  }
  const out: ReviewLine[] = [];
  if (notReps.length > 0) {
    const counted = setReps.length - notReps.length;
    out.push({
      kind: 'not-a-rep',
      code: 'not_a_rep',
      text:
        counted === 0
          ? 'Nothing counted: that movement in your rest was not a rep.'
          : `${reps(counted)} counted: the small quick movement after your last rep was not a rep.`,
    });
  }
  for (const [code, xs] of found) {
    const text =
      code === 'partial_range'
        ? `${reps(xs.length)} ${MOVE[exercise].did} — next set, ${MOVE[exercise].more}.`
        : code === 'lumbar_arch'
          ? `${reps(xs.length)} went higher than the rest of the set, most likely by arching your back — next set, ribs down and lift with your hips.`
          : `${reps(xs.length)} also needed a correction (${list(xs)}).`;
    out.push({ kind: 'found', code, text });
  }
  for (const [code, xs] of withdrawn) {
    const said = CUED[code] ?? code;
    out.push({
      kind: 'withdrawn',
      code,
      text: `"${said[0]!.toUpperCase()}${said.slice(1)}" on ${list(xs)} was a false alarm — looking at the whole set, ${xs.length === 1 ? 'that rep was' : 'those reps were'} fine.`,
    });
  }
  return out;
}
