import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { analyzeSession } from './analyze.ts';

describe("a stiff person's partial bridge rises slowly", () => {
  // The scorecard's "stiff hips" set c106 (half the drawn range: bridges of 11–14°, partial reps of 4–6° raised over
  // 1.0–1.4 s). A 4° lift at 3 °/s is "still" to the stillness detector, and a baseline that follows the signal at
  // rest with τ 1.5 s rose with it: the partial rep after the first never reached the entry level.
  const base = corpusSpecs(1).find((s) => s.id?.startsWith('c106-'))!;
  const sim = simulateSession({ ...base, romScale: 0.5, seed: (base.seed ^ 0x5eed0000 ^ 7) >>> 0 });
  const options = { exercise: sim.meta.exercise, side: sim.meta.side };

  it('counts every rep and finds every partial one, with the baseline slowed while the pelvis turns', () => {
    const a = analyzeSession(sim.samples, options);
    expect(sim.truth.reps).toHaveLength(12);
    expect(a.reps).toHaveLength(12);
    const partial = (faults: readonly string[]) => faults.includes('partial_range');
    expect(a.reps.map((r) => partial(r.faults))).toEqual(
      sim.truth.reps.map((r) => partial(r.faults.map((f) => f.code))),
    );
  });

  it('loses the second rep, a 4° partial, when the baseline follows at its resting pace', () => {
    const a = analyzeSession(sim.samples, { ...options, pipeline: { reps: { movingFollowFactor: 1 } } });
    expect(a.reps).toHaveLength(11);
    const second = sim.truth.reps[1]!;
    expect(a.reps.some((r) => r.peakS > second.startS && r.peakS < second.endS)).toBe(false);
  });
});

describe('a fidget inside a stiff bridge set', () => {
  // The scorecard's "stiff hips" variant of seed 7's c098 (bridges of 9–11° with pelvic drops): between the 5th and
  // 6th rep the pelvis turns 2.3° in 0.8 s and back, lifting the hips 4 mm where a rep's 0.006 m/° would lift 13 mm.
  const base = corpusSpecs(7).find((s) => s.id?.startsWith('c098-'))!;
  const sim = simulateSession({ ...base, romScale: 0.5, seed: (base.seed ^ 0x5eed0000 ^ 7) >>> 0 });

  it('is counted live, then left out of the set by the after-set review', () => {
    const a = analyzeSession(sim.samples, { exercise: sim.meta.exercise, side: sim.meta.side });
    expect(sim.truth.reps).toHaveLength(14);
    expect(a.live.reps).toHaveLength(15);
    const fidget = a.live.reps[5]!;
    expect(fidget.rangeDeg).toBeLessThan(4);
    expect(a.review.notReps).toEqual([{ repIndex: fidget.index, setIndex: 0 }]);
    expect([a.reps.length, a.sets.map((s) => s.reps), a.summary.reps]).toEqual([14, [14], 14]);
    expect(a.reps.some((r) => r.index === fidget.index)).toBe(false);
  });
});
