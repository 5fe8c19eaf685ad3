import type { RepMetrics, SetReview } from '@hipcue/dsp';
import type { Fault, Rep } from '@hipcue/messages';
import { describe, expect, it } from 'vitest';
import { reviewedWireReps } from './afterSetReview.ts';

/** Pipeline reps 0..n-1 of one set and the same reps as sent (index i + 1), the live faults given by code. */
function setOf(live: Array<Array<'lumbar_arch' | 'partial_range'>>): { dsp: RepMetrics[]; wire: Rep[] } {
  const dsp = live.map(
    (codes, i): RepMetrics => ({
      index: i,
      setIndex: 0,
      startS: 4 * i,
      peakS: 4 * i + 1,
      endS: 4 * i + 3,
      rangeDeg: 20,
      upS: 1,
      holdS: 0.5,
      downS: 1.2,
      peakAngularVelocityDegPerS: 40,
      faults: [...codes],
    }),
  );
  const wire = live.map(
    (codes, i): Rep => ({
      index: i + 1,
      indexInSet: i + 1,
      setId: 'set-1',
      startS: 4 * i,
      endS: 4 * i + 3,
      rangeDeg: 20,
      tempoS: { up: 1, hold: 0.5, down: 1.2 },
      peakTiltDeg: 20,
      peakObliquityDeg: 0,
      peakRotationDeg: 0,
      peakAngularVelocityDegPerS: 40,
      faults: codes.map((code): Fault => ({ code, beganS: 4 * i + 0.5, value: 9, threshold: 5, unit: 'deg' })),
      cueCode: codes[0] ?? 'good_rep',
    }),
  );
  return { dsp, wire };
}

/** The wire reps with the changed ones put in, by index (as SessionState does with rep-review events). */
function applied(wire: Rep[], changed: Rep[]): Rep[] {
  return wire.map((w) => changed.find((c) => c.index === w.index) ?? w);
}

describe('reviewedWireReps', () => {
  it('sends only the reps whose verdict the review changed, with where each change came from', () => {
    const { dsp, wire } = setOf([[], ['lumbar_arch'], [], []]);
    const review: SetReview = {
      added: [{ code: 'partial_range', repIndex: 2, tS: 9, value: 0.4, threshold: 0.67, unit: 'ratio' }],
      cleared: [{ repIndex: 1, code: 'lumbar_arch' }],
      notReps: [{ repIndex: 3, setIndex: 0 }],
    };
    const changed = reviewedWireReps(dsp, wire, review);
    expect(changed.map((r) => r.index)).toEqual([2, 3, 4]);
    expect(changed[0]).toMatchObject({ faults: [], clearedByReview: [wire[1]!.faults[0]] });
    expect(changed[1]!.faults).toEqual([
      { code: 'partial_range', beganS: 9, value: 0.4, threshold: 0.67, unit: 'ratio', source: 'review' },
    ]);
    expect(changed[2]).toEqual({ ...wire[3], notARep: true });
  });

  it('a second review of the same set replaces the first: what it no longer finds is taken back', () => {
    // the stream seemed to end after rep 4 (a small late movement: no rep); then the person went on
    const { dsp, wire } = setOf([[], ['lumbar_arch'], [], [], []]);
    const first: SetReview = {
      added: [],
      cleared: [{ repIndex: 1, code: 'lumbar_arch' }],
      notReps: [{ repIndex: 3, setIndex: 0 }],
    };
    const after = applied(wire, reviewedWireReps(dsp.slice(0, 4), wire.slice(0, 4), first));
    const second: SetReview = {
      added: [{ code: 'partial_range', repIndex: 3, tS: 13, value: 0.5, threshold: 0.67, unit: 'ratio' }],
      cleared: [],
      notReps: [],
    };
    const changed = reviewedWireReps(dsp, after, second);
    expect(changed.map((r) => r.index)).toEqual([2, 4]);
    // rep 2's arch stands again as judged live, and rep 4 counts, with the partial range the second review found
    expect(changed[0]).toEqual(wire[1]);
    expect(changed[1]!.notARep).toBeUndefined();
    expect(changed[1]!.faults.map((f) => [f.code, f.source])).toEqual([['partial_range', 'review']]);
    // a third, identical review changes nothing
    expect(reviewedWireReps(dsp, applied(after, changed), second)).toEqual([]);
  });
});
