import { HIPCUE_UUIDS } from '@hipcue/firmware-protocol';
import type { SessionEvent } from '@hipcue/messages';
import { type SessionSpec, simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { SessionCore, type SessionCoreOptions } from './SessionCore.ts';

const options: SessionCoreOptions = {
  sessionId: 's',
  patientLabel: 'P001',
  source: 'ble',
  simulated: true,
  exercise: 'hip-thrust',
  side: 'left',
  startedAt: '2026-01-01T00:00:00.000Z',
  sensorId: 'pelvis',
  profile: 'hipcue',
  backfill: true,
};
const characteristic = HIPCUE_UUIDS.imuData.noble;

function run(spec: SessionSpec, opts: Partial<SessionCoreOptions> = {}) {
  const sim = simulateSession(spec);
  const core = new SessionCore({ ...options, ...opts });
  const events: SessionEvent[] = [];
  let samples = 0;
  core.subscribe({ events: (es) => events.push(...es), samples: (s) => (samples += s.length) });
  for (const n of sim.notifications) core.ingest({ ...n, characteristic });
  core.finish();
  return { sim, core, events, samples, reps: events.filter((e) => e.type === 'rep') };
}

// Issue 8: a link drop in the middle of a set, a sensor that resends its history on reconnect (sim link model of
// PROTOCOL.md v1.1: request 0.5 s after the link is back, at most 2 backfill frames per live frame).
const base: SessionSpec = { seed: 81, exercise: 'hip-thrust', side: 'left', sets: 1, reps: 12, noise: 'typical' };

describe('backfill after a link drop (issue 8, gateway)', () => {
  it('a 5 s drop mid-set loses no sample and no rep: the gap is analysed in order, once', () => {
    const clean = run(base);
    const dropped = run({ ...base, link: { disconnect: { startS: 14, durationS: 5 }, backfill: {} } });
    expect(dropped.sim.truth.reps.length).toBe(12);
    // every sample the sensor measured reaches the pipeline, exactly once
    expect(dropped.samples).toBe(dropped.sim.samples.tS.length);
    const bf = dropped.events.filter((e) => e.type === 'backfill');
    expect(bf).toHaveLength(1);
    expect(bf[0]).toMatchObject({ samplesLost: 0 });
    expect(bf[0]!.type === 'backfill' && bf[0]!.samplesRecovered).toBeGreaterThan(5 * 200 - 20);
    // the same reps, at the same times, as without the drop
    expect(dropped.reps.length).toBe(clean.reps.length);
    expect(dropped.reps.length).toBe(dropped.sim.truth.reps.length);
    const starts = (r: typeof clean.reps) => r.map((e) => (e.type === 'rep' ? Math.round(e.rep.startS * 10) : 0));
    expect(starts(dropped.reps)).toEqual(starts(clean.reps));
    expect(dropped.core.backfillTotals).toEqual({
      recovered: bf[0]!.type === 'backfill' ? bf[0]!.samplesRecovered : 0,
      lost: 0,
    });
  });

  it('without backfill (a v1.0 sensor, or Thingy:52) the same drop stays a gap and its reps are missing', () => {
    const dropped = run({ ...base, link: { disconnect: { startS: 14, durationS: 5 } } }, { backfill: false });
    expect(dropped.events.filter((e) => e.type === 'backfill')).toHaveLength(0);
    const gap = dropped.events.filter((e) => e.type === 'gap');
    expect(gap.length).toBeGreaterThan(0);
    expect(dropped.samples).toBeLessThan(dropped.sim.samples.tS.length - 5 * 200 + 20);
    expect(dropped.reps.length).toBeLessThan(dropped.sim.truth.reps.length);
  });

  it('a drop longer than the sensor history reports exactly what could not be recovered', () => {
    const r = run({ ...base, seed: 82, link: { disconnect: { startS: 10, durationS: 14 }, backfill: {} } });
    const bf = r.events.filter((e) => e.type === 'backfill');
    expect(bf).toHaveLength(1);
    const b = bf[0]!;
    if (b.type !== 'backfill') throw new Error('unreachable');
    const gapLost = r.events.reduce((n, e) => n + (e.type === 'gap' ? e.samplesLost : 0), 0);
    expect(b.samplesRecovered + b.samplesLost).toBe(gapLost);
    expect(b.samplesLost).toBeGreaterThan(0);
    // what reached the pipeline is what the sensor measured minus exactly the unrecoverable samples
    expect(r.samples).toBe(r.sim.samples.tS.length - b.samplesLost);
  });
});
