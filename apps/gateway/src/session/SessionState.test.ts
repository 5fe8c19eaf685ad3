import { defaultThresholds, type PipelineEvent, type RepMetrics } from '@hipcue/dsp';
import { describe, expect, it } from 'vitest';
import { type ApplyContext, SessionState } from './SessionState.ts';

const rep = (index: number, setIndex: number, startS: number): RepMetrics => ({
  index,
  setIndex,
  startS,
  peakS: startS + 1,
  endS: startS + 3,
  rangeDeg: 3,
  upS: 1,
  holdS: 0.5,
  downS: 1.2,
  peakAngularVelocityDegPerS: 5,
  faults: [],
});

const setEnd = (index: number, startS: number, reps: number): PipelineEvent => ({
  type: 'set-end',
  tS: startS + 20,
  set: { index, startS, endS: startS + 5, reps, fatigueEstimate: 0, fatigueLevel: 'none' },
});

describe('SessionState set numbering', () => {
  it('a set that counted no rep (one movement in a rest) was no set: the next set takes its number', () => {
    const s = new SessionState({
      sessionId: 's',
      patientLabel: 'p',
      source: 'sim',
      simulated: true,
      exercise: 'clamshell',
      side: 'left',
      startedAt: '2026-12-08T00:00:00.000Z',
      sensorId: 'sim-pelvis',
      profile: 'hipcue',
      thresholds: { ...defaultThresholds },
      defaultThresholds: { ...defaultThresholds },
      targetSets: 3,
      fatigueTarget: 'mild',
    });
    const ids = new Map<number, string>();
    const ctx: ApplyContext = {
      setIdFor: (i, create) => (create && !ids.has(i) ? ids.set(i, `set-${i}`).get(i)! : (ids.get(i) ?? null)),
      peaks: () => ({ tilt: 0, obliquity: 0, rotation: 3 }),
      endReason: 'rest',
    };
    const events: PipelineEvent[] = [
      { type: 'set-start', tS: 4, setIndex: 0 },
      { type: 'rep', tS: 7, rep: rep(0, 0, 4) },
      { type: 'rep', tS: 11, rep: rep(1, 0, 8) },
      setEnd(0, 4, 2),
      { type: 'set-start', tS: 60, setIndex: 1 },
      { type: 'rep', tS: 61, rep: rep(2, 1, 60) },
      setEnd(1, 60, 0),
      { type: 'set-start', tS: 100, setIndex: 2 },
    ];
    // as SessionCore does: each pipeline event's wire events are committed before the next one is applied
    const starts = events
      .flatMap((e) => s.apply(e, ctx).map((x) => s.commit(x)))
      .flatMap((e) => (e.type === 'set-start' ? [e.index] : []));
    expect(starts).toEqual([1, 2, 2]);
    expect(s.sets.map((x) => x.reps)).toEqual([2, 0, 0]);
  });
});
