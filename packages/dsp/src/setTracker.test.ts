import { describe, expect, it } from 'vitest';
import { createFatigueEstimator } from './sets.ts';
import { SetTracker } from './setTracker.ts';
import type { PipelineEvent } from './types.ts';

describe('SetTracker', () => {
  /** Seven reps 4 s apart (peak rate falling 60 → 42 °/s, range 20 → 17°), then the set closed with `noReps` out. */
  const closeWith = (noReps: number[], manual = false) => {
    const events: PipelineEvent[] = [];
    const sets = new SetTracker('glute-bridge', 15, events, () => ({ noReps }));
    // opened at the first rep's recognition, 0.4 s after its start (dated back to 5 % of its peak)
    sets.open(1.4, manual);
    const reps = Array.from({ length: 7 }, (_, k) => ({
      startS: 4 * k + 1,
      endS: 4 * k + 3,
      rate: 60 - 3 * k,
      range: 20 - 0.5 * k,
    }));
    // the 3rd is a fidget: quick, small
    reps[2] = { startS: 10.5, endS: 11, rate: 90, range: 2 };
    for (const r of reps) sets.addRep(r.endS, r.startS, r.endS, r.rate, r.range);
    sets.close(40);
    const end = events.find((e) => e.type === 'set-end');
    return { set: end?.type === 'set-end' ? end.set : undefined, reps };
  };

  it("leaves the review's no-reps out of the set's count and fatigue estimate, wherever they are in the set", () => {
    const { set, reps } = closeWith([2]);
    const f = createFatigueEstimator();
    let expected = 0;
    for (const r of reps.filter((_, k) => k !== 2)) expected = f.add(r.rate, r.range) ?? expected;
    expect(set).toMatchObject({ reps: 6, endS: 27, fatigueEstimate: expected });
    // the fidget sat in the estimate's baseline (the first three reps): counted, it made the set look fresher
    expect(closeWith([]).set!.fatigueEstimate).not.toBeCloseTo(expected, 3);
  });

  it('ends the set at the last rep that was a rep', () => {
    expect(closeWith([6]).set).toMatchObject({ reps: 6, endS: 23 });
    expect(closeWith([2, 6]).set).toMatchObject({ reps: 5, endS: 23 });
  });

  it('starts the set at the first rep that was a rep, unless it was started by hand', () => {
    // the set opened as the first rep was recognised; it began 0.4 s before
    expect(closeWith([]).set).toMatchObject({ reps: 7, startS: 1 });
    // a fidget in the rest opened it: the set starts at the rep after it
    expect(closeWith([0]).set).toMatchObject({ reps: 6, startS: 5 });
    expect(closeWith([0, 1]).set).toMatchObject({ reps: 5, startS: 10.5 });
    expect(closeWith([0], true).set).toMatchObject({ reps: 6, startS: 1.4 });
  });
});
