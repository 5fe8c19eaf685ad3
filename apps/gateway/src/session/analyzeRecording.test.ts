import type { FaultCode } from '@hipcue/dsp';
import { decode, HIPCUE_UUIDS, imuSampleCount } from '@hipcue/firmware-protocol';
import type { Rep, SessionEvent } from '@hipcue/messages';
import type { Recording } from '@hipcue/recording';
import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { analyzeRecording } from './analyzeRecording.ts';

/** A simulated corpus set as the gateway would have recorded it (notifications only). */
function recordingOf(id: string): { rec: Recording; truth: FaultCode[][]; rolled: number; reps: number } {
  const spec = corpusSpecs(1).find((s) => s.id?.startsWith(id))!;
  const sim = simulateSession(spec);
  const rec: Recording = {
    ok: true,
    meta: {
      patient: 'sim',
      exercise: sim.meta.exercise,
      side: sim.meta.side,
      sensors: [{ sensorId: 'sim-pelvis', role: 'pelvis', profile: 'hipcue', firmware: 'sim' }],
      startedAt: '2026-12-06T00:00:00.000Z',
      source: 'sim',
      extra: {},
    },
    notifications: sim.notifications.map((n) => ({
      hostTimeUs: n.hostTimeUs,
      sensorId: 'sim-pelvis',
      characteristic: HIPCUE_UUIDS.imuData.noble,
      bytes: n.bytes,
    })),
    events: [],
    angles: [],
    truth: undefined,
    complete: true,
    problems: [],
  };
  const rolled = sim.truth.reps.filter((r) => r.faults.some((f) => f.code === 'pelvic_roll')).length;
  const truth = sim.truth.reps.map((r) => r.faults.map((f) => f.code));
  return { rec, truth, rolled, reps: sim.truth.reps.length };
}

/** The reps as the live pass sent them (`rep` events; a `rep-review` later carries a changed rep's final verdict). */
function liveReps(events: readonly SessionEvent[]): Rep[] {
  return events.flatMap((e) => (e.type === 'rep' ? [e.rep] : []));
}

/**
 * As live: the events' seq runs in their order, and each rep-review comes before its set's set-end (whose totals
 * include it); returns how many rep-reviews there were.
 */
function expectLiveOrder(events: readonly SessionEvent[]): number {
  expect(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq)).toBe(true);
  const setOf = new Map<number, string | null>();
  let reviews = 0;
  const ended = new Set<string | null>();
  for (const e of events) {
    if (e.type === 'rep') setOf.set(e.rep.index, e.rep.setId);
    else if (e.type === 'set-end') ended.add(e.set.setId);
    else if (e.type === 'rep-review') {
      reviews++;
      expect(ended.has(setOf.get(e.rep.index) ?? null)).toBe(false);
    }
  }
  return reviews;
}

describe('recording review of a side plank', () => {
  it('finds the roll back of reps the live frame absorbed (every rep of the calibration window rolled)', () => {
    // Corpus c171: the first five reps roll back, so live the frame carries their roll and only 3 of 7 are flagged.
    const { rec, rolled, reps } = recordingOf('c171-');
    let samples = 0;
    const a = analyzeRecording(rec, 'x', { onSample: () => samples++ });
    const live = liveReps(a.events);
    expect(a.reps.length).toBe(reps);
    const rolledIn = (rs: typeof live) => rs.filter((r) => r.faults.some((f) => f.code === 'pelvic_roll'));
    expect(rolledIn(live).length).toBe(3);
    expect(rolledIn(a.reps).length).toBe(rolled);
    // Each flag carries its measured roll against the threshold; those the live pass missed are the review's, and
    // the reps keep the cue the patient heard.
    for (const r of rolledIn(a.reps)) {
      const f = r.faults.find((x) => x.code === 'pelvic_roll')!;
      expect(f.value).toBeGreaterThan(f.threshold);
      const heard = live.find((x) => x.index === r.index)!;
      expect(f.source === 'review').toBe(!heard.faults.some((x) => x.code === 'pelvic_roll'));
      expect(r.cueCode).toBe(heard.cueCode);
    }
    // the cues are those the live pass gave: a roll cue only on reps the live pass flagged
    const rollCues = a.events.flatMap((e) => (e.type === 'cue' && e.code === 'pelvic_roll' ? [e.repIndex] : []));
    expect(rollCues.length).toBeGreaterThan(0);
    for (const i of rollCues) expect(rolledIn(live).map((r) => r.index)).toContain(i);
    // the chart and CSV see one pass only
    const received = rec.notifications.reduce((n, x) => {
      const f = decode(x.bytes);
      return n + (f.type === 'imu' ? imuSampleCount(f) : 0);
    }, 0);
    expect(samples).toBe(received);
    expect(expectLiveOrder(a.events)).toBeGreaterThan(0);
  });
});

describe('recording review of a bridge: the after-set review', () => {
  it('withdraws the live arch flags of full reps after partial ones, and finds the partial reps', () => {
    // Corpus c072: the set begins with partial bridges, so live they were the yardstick and full reps read as arched.
    const { rec, truth } = recordingOf('c072-');
    const a = analyzeRecording(rec, 'x');
    const live = liveReps(a.events);
    const count = (reps: typeof live, code: FaultCode) =>
      reps.filter((r) => r.faults.some((f) => f.code === code)).length;
    const truthCount = (code: FaultCode) => truth.filter((t) => t.includes(code)).length;
    expect(a.reps.length).toBe(truth.length);
    expect(count(live, 'lumbar_arch')).toBeGreaterThan(truthCount('lumbar_arch'));
    expect(count(a.reps, 'lumbar_arch')).toBe(truthCount('lumbar_arch'));
    expect(count(live, 'partial_range')).toBeLessThan(truthCount('partial_range'));
    expect(count(a.reps, 'partial_range')).toBe(truthCount('partial_range'));
    // Rep by rep as the truth says; withdrawn flags keep their live measurement, found ones carry the review's.
    a.reps.forEach((r, i) => {
      expect(r.faults.map((f) => f.code).sort()).toEqual([...truth[i]!].sort());
      const liveCodes = live[i]!.faults.map((f) => f.code);
      for (const f of r.faults) expect(f.source === 'review').toBe(!liveCodes.includes(f.code));
      for (const f of r.clearedByReview ?? []) expect(live[i]!.faults).toContainEqual(f);
      for (const f of r.faults.filter((x) => x.code === 'partial_range' && x.source === 'review')) {
        expect([f.unit, f.value < f.threshold, f.beganS > r.startS && f.beganS < r.endS]).toEqual([
          'ratio',
          true,
          true,
        ]);
      }
    });
    expect(a.reps.some((r) => r.clearedByReview?.some((f) => f.code === 'lumbar_arch'))).toBe(true);
    // The events say the same: the live fault events stand (the patient was told), each changed rep comes again in a
    // rep-review at the set's end, and set totals are after the review.
    const faultEvents = a.events.flatMap((e) => (e.type === 'fault' ? [e] : []));
    const lastOf = new Map<number, (typeof live)[number]>();
    for (const e of a.events) if (e.type === 'rep' || e.type === 'rep-review') lastOf.set(e.rep.index, e.rep);
    for (const [i, r] of a.reps.entries()) {
      const of = faultEvents.filter((e) => e.repIndex === r.index).map((e) => e.fault.code);
      expect(of.sort()).toEqual(live[i]!.faults.map((f) => f.code).sort());
      expect(lastOf.get(r.index)).toEqual(r);
    }
    const reviews = a.events.filter((e) => e.type === 'rep-review');
    expect(reviews.length).toBe(a.reps.filter((r) => r.clearedByReview || r.faults.some((f) => f.source)).length);
    for (const s of a.sets) {
      expect(s.faults).toBe(a.reps.filter((r) => r.setId === s.setId).reduce((n, r) => n + r.faults.length, 0));
    }
    expect(expectLiveOrder(a.events)).toBe(reviews.length);
  });

  it("charts each rep's angles at the rep's own time, the reps before the movement-axis fit included", () => {
    const { rec } = recordingOf('c072-');
    const sampleT: number[] = [];
    const angleT: number[] = [];
    const a = analyzeRecording(rec, 'x', {
      onSample: (s) => sampleT.push(s.tS),
      onAngles: (tS) => angleT.push(tS),
    });
    const { tS, tiltDeg } = a.chart;
    expect(tS.every((t, i) => i === 0 || t > tS[i - 1]!)).toBe(true);
    // live, the first reps' angles reach the chart fast-forwarded once the axis is known, seconds after those reps
    for (const r of a.reps) {
      let peak = 0;
      tS.forEach((t, i) => {
        if (t >= r.startS && t <= r.endS) peak = Math.max(peak, Math.abs(tiltDeg[i]!));
      });
      expect(peak).toBeGreaterThan(0.8 * Math.abs(r.peakTiltDeg));
      expect(Math.abs(r.peakTiltDeg)).toBeGreaterThan(0.5 * r.rangeDeg);
    }
    // every sample's angles, at that sample's time (the CSV export's angle columns)
    const own = new Set(sampleT);
    expect(angleT.every((t, i) => own.has(t) && (i === 0 || t > angleT[i - 1]!))).toBe(true);
    expect(angleT.length).toBeGreaterThan(0.7 * sampleT.length);
  });
});
