import { describe, expect, it } from 'vitest';
import { events, rep, setSummary, snapshot } from '../testing/fixtures';
import { initialSessionState, sessionReducer } from './sessionState';

describe('sessionReducer', () => {
  it('starts from a snapshot and applies only newer events', () => {
    let st = sessionReducer(initialSessionState, snapshot({ reps: [rep(1), rep(2)], lastSeq: 10 }));
    expect(st.reps).toHaveLength(2);
    st = sessionReducer(
      st,
      events(
        { type: 'rep', seq: 9, tS: 5, rep: rep(2, { rangeDeg: 1 }) },
        { type: 'rep', seq: 11, tS: 12, rep: rep(3) },
      ),
    );
    expect(st.reps.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(st.reps[1]!.rangeDeg).toBe(25);
    expect(st.lastSeq).toBe(11);
  });

  it('a reconnect snapshot replaces state wholesale, so nothing depends on missed events', () => {
    let st = sessionReducer(initialSessionState, snapshot({ lastSeq: 3 }));
    st = sessionReducer(st, events({ type: 'rep', seq: 4, tS: 4, rep: rep(1) }));
    const restored = snapshot({ reps: [rep(1), rep(2), rep(3)], lastSeq: 40, phase: 'in-set', currentSetId: 'set1' });
    st = sessionReducer(st, restored);
    expect(st.reps).toHaveLength(3);
    expect(st.snapshot?.phase).toBe('in-set');
    expect(st.lastSeq).toBe(40);
  });

  it('replaces a rep with its after-set review, withdrawn flags and all, and speaks nothing for it', () => {
    const arch = { code: 'lumbar_arch', beganS: 5, value: 12, threshold: 8, unit: 'deg' } as const;
    const short = { code: 'partial_range', beganS: 9, value: 0.5, threshold: 0.67, unit: 'ratio' } as const;
    let st = sessionReducer(initialSessionState, snapshot({ reps: [rep(1), rep(2, { faults: [arch] })], lastSeq: 4 }));
    st = sessionReducer(
      st,
      events(
        { type: 'rep-review', seq: 5, tS: 20, rep: rep(1, { faults: [{ ...short, source: 'review' }] }) },
        { type: 'rep-review', seq: 6, tS: 20, rep: rep(2, { clearedByReview: [arch] }) },
      ),
    );
    expect(st.reps.map((r) => r.faults.map((f) => f.code))).toEqual([['partial_range'], []]);
    expect(st.reps[1]!.clearedByReview).toEqual([arch]);
    expect(st.cues).toEqual([]);
  });

  it('keeps the cue history from the snapshot and appends live cues', () => {
    const cue = (seq: number, text: string) =>
      ({ type: 'cue', seq, tS: seq, code: 'lumbar_arch', text, kind: 'correction', repIndex: 1 }) as const;
    let st = sessionReducer(initialSessionState, snapshot({ recentEvents: [cue(1, 'old')], lastSeq: 1 }));
    st = sessionReducer(st, events(cue(2, 'new')));
    expect(st.cues.map((c) => c.text)).toEqual(['old', 'new']);
  });

  it('attaches a fault to its rep once, and tracks set start/end phase', () => {
    let st = sessionReducer(initialSessionState, snapshot({ reps: [rep(1)] }));
    const fault = { code: 'pelvic_drop', beganS: 4.2, value: 9, threshold: 6, unit: 'deg' } as const;
    st = sessionReducer(
      st,
      events(
        { type: 'set-start', seq: 1, tS: 0, setId: 'set1', index: 1 },
        { type: 'fault', seq: 2, tS: 4.2, repIndex: 1, fault },
        { type: 'fault', seq: 3, tS: 4.3, repIndex: 1, fault },
      ),
    );
    expect(st.reps[0]!.faults).toHaveLength(1);
    expect(st.snapshot?.phase).toBe('in-set');
    st = sessionReducer(st, events({ type: 'set-end', seq: 4, tS: 30, set: setSummary(1), reason: 'command' }));
    expect(st.snapshot?.phase).toBe('resting');
    expect(st.sets).toHaveLength(1);
  });

  it('merges threshold changes into the snapshot thresholds and records who made them', () => {
    let st = sessionReducer(initialSessionState, snapshot());
    st = sessionReducer(
      st,
      events({ type: 'thresholds', seq: 1, tS: 3, thresholds: { pelvicDropDeg: 3 }, by: 'therapist' }),
    );
    expect(st.snapshot?.thresholds).toEqual({ pelvicDropDeg: 3, lumbarArchDeg: 8 });
    expect(st.thresholdChanges[0]!.by).toBe('therapist');
  });

  it('records a pain rating once per client rating id and puts it on its set', () => {
    let st = sessionReducer(initialSessionState, snapshot({ sets: [setSummary(1)] }));
    const pain = {
      type: 'pain-rating',
      tS: 31,
      setId: 'set1',
      rating: 3,
      clientRatingId: 'r1',
      by: 'patient',
    } as const;
    st = sessionReducer(st, events({ ...pain, seq: 1 }, { ...pain, seq: 2 }));
    expect(st.painRatings).toHaveLength(1);
    expect(st.sets[0]!.painRating).toBe(3);
  });

  it('tracks calibration progress and stillness for the meter', () => {
    let st = sessionReducer(initialSessionState, snapshot());
    st = sessionReducer(
      st,
      events({ type: 'calibration', seq: 1, tS: 1, state: 'holding', progress: 0.5, stillness: 0.9, remainingS: 1.5 }),
    );
    expect(st.calibration).toMatchObject({ state: 'holding', stillness: 0.9, remainingS: 1.5 });
    expect(st.snapshot?.phase).toBe('calibrating');
    st = sessionReducer(
      st,
      events({
        type: 'calibration',
        seq: 2,
        tS: 2,
        state: 'failed',
        progress: 0.6,
        stillness: 0.2,
        remainingS: 0,
        reason: 'moved',
        message: 'moved during hold',
      }),
    );
    expect(st.calibration.reason).toBe('moved');
    expect(st.snapshot?.phase).toBe('idle');
  });
});

describe('link notices (issue 8)', () => {
  const gap = (seq: number, fromS: number, toS: number) =>
    ({
      type: 'gap',
      seq,
      tS: fromS,
      sensorId: 'pelvis',
      fromS,
      toS,
      samplesLost: Math.round((toS - fromS) * 200),
    }) as const;
  const backfill = (seq: number, recovered: number, lost: number) =>
    ({
      type: 'backfill',
      seq,
      tS: 20,
      sensorId: 'pelvis',
      fromS: 14,
      toS: 19,
      samplesRecovered: recovered,
      samplesLost: lost,
    }) as const;

  it('announces a drop, then "nothing lost" once the sensor has resent it', () => {
    let st = sessionReducer(initialSessionState, snapshot({ lastSeq: 1 }));
    st = sessionReducer(st, events(gap(2, 14, 19)));
    expect(st.linkNotice).toMatchObject({ state: 'lost', seq: 2 });
    expect(st.linkNotice?.text).toContain('5.0 s');
    st = sessionReducer(st, events(backfill(3, 1000, 0)));
    expect(st.linkNotice).toMatchObject({ state: 'recovered', lostS: 0, text: 'Sensor reconnected — nothing lost.' });
  });

  it('says how much could not be recovered, in seconds', () => {
    let st = sessionReducer(initialSessionState, snapshot({ lastSeq: 1 }));
    st = sessionReducer(st, events(backfill(2, 600, 400)));
    expect(st.linkNotice?.state).toBe('lost');
    expect(st.linkNotice?.lostS).toBeCloseTo(2, 6);
    expect(st.linkNotice?.text).toContain('2.0 s of data could not be recovered');
  });

  it('does not announce single lost notifications, nor old drops replayed from a snapshot', () => {
    let st = sessionReducer(initialSessionState, snapshot({ lastSeq: 1 }));
    st = sessionReducer(st, events(gap(2, 10, 10.04)));
    expect(st.linkNotice).toBeNull();
    st = sessionReducer(initialSessionState, snapshot({ recentEvents: [backfill(1, 10, 5)], lastSeq: 1 }));
    expect(st.linkNotice).toBeNull();
  });
});
