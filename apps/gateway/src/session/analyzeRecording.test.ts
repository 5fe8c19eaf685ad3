import { decode, HIPCUE_UUIDS, imuSampleCount } from '@hipcue/firmware-protocol';
import type { Recording } from '@hipcue/recording';
import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { analyzeRecording } from './analyzeRecording.ts';

/** A simulated corpus set as the gateway would have recorded it (notifications only). */
function recordingOf(id: string): { rec: Recording; rolled: number; reps: number } {
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
  return { rec, rolled, reps: sim.truth.reps.length };
}

describe('recording review of a side plank', () => {
  it('finds the roll back of reps the live frame absorbed (every rep of the calibration window rolled)', () => {
    // Corpus c171: the first five reps roll back, so live the frame carries their roll and only 3 of 7 are flagged.
    const { rec, rolled, reps } = recordingOf('c171-');
    let samples = 0;
    const a = analyzeRecording(rec, 'x', { onSample: () => samples++ });
    const st = a.core.state;
    expect(st.reps.length).toBe(reps);
    const flagged = st.reps.filter((r) => r.faults.some((f) => f.code === 'pelvic_roll'));
    expect(flagged.length).toBe(rolled);
    // Each flag carries its measured roll against the threshold, and the chart/CSV see one pass only.
    for (const r of flagged) {
      const f = r.faults.find((x) => x.code === 'pelvic_roll')!;
      expect(f.value).toBeGreaterThan(f.threshold);
    }
    const received = rec.notifications.reduce((n, x) => {
      const f = decode(x.bytes);
      return n + (f.type === 'imu' ? imuSampleCount(f) : 0);
    }, 0);
    expect(samples).toBe(received);
  });
});
