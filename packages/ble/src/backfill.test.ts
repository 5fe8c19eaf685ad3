import { describe, expect, it } from 'vitest';
import { EmulatedHipcueSensor } from './fake/emulatedHipcueSensor.ts';
import { FakeCentral } from './fake/fakeCentral.ts';
import { ManualTimers } from './fake/manualTimers.ts';
import { hipcueProfile } from './profiles/hipcueProfile.ts';
import { SensorConnection } from './sensorConnection.ts';
import type { SensorEvent } from './sensorEvents.ts';

/** Issue 8: after a link drop the gateway asks the sensor's history buffer for the gap. */
async function dropAndRecover(options: { historySamples?: number; outageMs: number; mtu?: number }) {
  const timers = new ManualTimers();
  const sensor = new EmulatedHipcueSensor({
    address: 'd4:ca:6e:00:08:01',
    timers,
    ...(options.historySamples === undefined ? {} : { historySamples: options.historySamples }),
  });
  const central = new FakeCentral({ peripherals: [sensor.peripheral], timers, mtu: options.mtu ?? 247 });
  const connection = new SensorConnection({
    role: 'pelvis',
    central,
    profile: hipcueProfile({ sampleRateHz: 100 }),
    timers,
    random: () => 0.5,
    settings: { backoffInitialMs: 200 },
  });
  const events: SensorEvent[] = [];
  connection.onEvent((e) => events.push(e));
  connection.start();
  await timers.advanceUntil(() => connection.state === 'streaming', 2_000, 10);
  await timers.advance(1_000);
  sensor.peripheral.advertising = false;
  sensor.peripheral.dropLink(0x08);
  await timers.advance(options.outageMs);
  sensor.peripheral.advertising = true;
  await timers.advanceUntil(() => connection.state === 'streaming', 5_000, 10);
  await timers.advance(3_000); // live data resumes; backfill drains at ≤ 2 frames per live frame
  await connection.stop();
  const live = events.flatMap((e) => (e.type === 'samples' ? e.samples.map((s) => s.seq) : []));
  const recovered = events.flatMap((e) => (e.type === 'recovered' ? e.samples : []));
  const gaps = events.flatMap((e) => (e.type === 'gap' ? [e] : []));
  const requests = events.flatMap((e) => (e.type === 'backfillRequested' ? [e] : []));
  return { sensor, connection, live, recovered, gaps, requests };
}

describe('backfill after a link drop (issue 8)', () => {
  it('recovers a 5 s drop completely: every sample once, in its place, flagged as backfill', async () => {
    const r = await dropAndRecover({ outageMs: 5_000 });
    expect(r.gaps).toHaveLength(1);
    const gap = r.gaps[0]!;
    expect(gap.lostSamples).toBeGreaterThan(500);
    expect(r.requests).toEqual([
      { type: 'backfillRequested', role: 'pelvis', fromSeq: gap.fromSeq, toSeq: gap.toSeq, accepted: true },
    ]);
    const recoveredSeqs = r.recovered.map((s) => s.seq);
    expect(recoveredSeqs).toEqual(Array.from({ length: gap.lostSamples }, (_, i) => gap.fromSeq + i));
    expect(r.recovered.every((s) => s.backfill)).toBe(true);
    const all = [...r.live, ...recoveredSeqs].sort((a, b) => a - b);
    expect(new Set(all).size).toBe(all.length);
    expect(all.at(-1)! - all[0]! + 1).toBe(all.length);
    expect(r.connection.lostSamples).toBe(0);
  });

  it('reports exactly what was older than the sensor history as still lost', async () => {
    const r = await dropAndRecover({ historySamples: 150, outageMs: 3_000, mtu: 23 });
    const gap = r.gaps[0]!;
    const log = r.sensor.resendLog[0]!;
    expect(log.requestedSeq).toBe(gap.fromSeq & 0xffff);
    expect(log.requestedCount).toBe(gap.lostSamples);
    // Older than the history when asked, plus what fell out of the ring while the resend was under way
    // (150 samples at 100 Hz is 1.5 s; live data keeps pushing into it): the gateway's count must match the sensor's.
    expect(log.plan.tooOld).toBeGreaterThan(0);
    expect(r.recovered.length).toBe(r.sensor.backfillSamplesSent);
    expect(r.recovered.length).toBeLessThanOrEqual(gap.lostSamples - log.plan.tooOld);
    expect(r.recovered[0]!.seq).toBeGreaterThanOrEqual(gap.fromSeq + log.plan.tooOld);
    expect(r.recovered.at(-1)!.seq).toBe(gap.toSeq);
    expect(r.connection.lostSamples).toBe(gap.lostSamples - r.sensor.backfillSamplesSent);
  });

  it('keeps the gap when the sensor has no history (v1.0 firmware refuses resendFrom)', async () => {
    const r = await dropAndRecover({ historySamples: 0, outageMs: 2_000 });
    expect(r.requests.map((q) => q.accepted)).toEqual([false]);
    expect(r.recovered).toEqual([]);
    expect(r.connection.lostSamples).toBe(r.gaps[0]!.lostSamples);
  });
});
