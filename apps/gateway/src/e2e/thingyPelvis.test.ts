import { join } from 'node:path';
import { EmulatedHipcueSensor, EmulatedThingy52, FakeCentral, ManualTimers } from '@hipcue/ble';
import { readRecordingFile } from '@hipcue/recording/node';
import { simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { BleSource } from '../sources/BleSource.ts';
import { testGateway } from './helpers.ts';

const silent = createLogger({ level: 'silent' });

describe('a Nordic Thingy:52 on the pelvis (stock firmware)', () => {
  it('is decoded, timed from arrivals, and its reps are counted', async () => {
    // What the pelvis does: a simulated bridge set, exact physics; the Thingy samples it at 100 Hz.
    const sim = simulateSession({ seed: 31, exercise: 'glute-bridge', side: 'left', sets: 1, reps: 6, noise: 'none' });
    const { tS, gyrRadPerS: g, accMps2: a } = sim.samples;
    const t0 = tS[0]!;
    const rate = sim.meta.sampleRateHz;
    // The set starts when the Thingy starts streaming (however long the gateway took to connect).
    let streamStartS: number | undefined;
    const motion = (timeS: number) => {
      streamStartS ??= timeS;
      const i = Math.max(0, Math.min(tS.length - 1, Math.round((timeS - streamStartS) * rate)));
      return {
        accMps2: [a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!] as [number, number, number],
        gyrRadPerS: [g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!] as [number, number, number],
      };
    };
    const timers = new ManualTimers();
    const thingy = new EmulatedThingy52({ address: 'd4:ca:6e:00:0a:01', timers, motion });
    const central = new FakeCentral({ peripherals: [thingy.peripheral], timers });
    const starting = testGateway({
      source: 'ble',
      record: false,
      createSource: async () =>
        new BleSource({
          driver: 'stoprocent',
          pelvisAddress: undefined,
          pelvisProfile: 'thingy52',
          central,
          timers,
          log: silent,
        }),
    });
    // The fake adapter powers on in its own (manual) time: run the clock while the gateway starts.
    let started = false;
    void starting.then(() => (started = true));
    while (!started) await timers.advance(10);
    const { gateway } = await starting;
    try {
      const endS = tS[tS.length - 1]! - t0;
      for (let ms = 0; ms < (endS + 3) * 1000; ms += 20) await timers.advance(20);
      const snap = gateway.session.snapshot('x', 'viewer');
      expect(snap.sensors[0]).toMatchObject({ profile: 'thingy52', state: 'streaming' });
      expect(snap.sensors[0]?.haptics).toBeUndefined();
      expect(gateway.session.core.decodeErrors).toBe(0);
      expect(gateway.session.core.state.reps.length).toBe(sim.truth.reps.length);
    } finally {
      await gateway.close();
    }
  }, 60_000);

  it('records a thigh Thingy beside a hipcue pelvis sensor, under its role', async () => {
    const timers = new ManualTimers();
    const pelvis = new EmulatedHipcueSensor({ address: 'd4:ca:6e:00:0a:02', timers });
    const thigh = new EmulatedThingy52({ address: 'd4:ca:6e:00:0a:03', timers });
    const central = new FakeCentral({ peripherals: [pelvis.peripheral, thigh.peripheral], timers });
    const starting = testGateway({
      source: 'ble',
      createSource: async () =>
        new BleSource({
          driver: 'stoprocent',
          pelvisAddress: 'd4:ca:6e:00:0a:02',
          extraSensors: [{ role: 'thigh', profile: 'thingy52', address: 'd4:ca:6e:00:0a:03' }],
          central,
          timers,
          log: silent,
        }),
    });
    let started = false;
    void starting.then(() => (started = true));
    while (!started) await timers.advance(10);
    const { gateway, dataDir } = await starting;
    for (let ms = 0; ms < 3000; ms += 20) await timers.advance(20);
    const id = gateway.session.sessionId;
    // shown beside the pelvis with its own connection state; a thigh sensor is no use in a hip thrust, and says so
    const thighStatus = gateway.session.snapshot('c', 'therapist').sensors.find((x) => x.position === 'thigh');
    expect(thighStatus).toMatchObject({ sensorId: 'thigh', profile: 'thingy52', state: 'streaming' });
    expect(thighStatus?.message).toMatch(/clamshells only/);
    await gateway.close();
    const rec = await readRecordingFile(join(dataDir, 'sessions', `${id}.mcap`));
    if (!rec.ok) throw new Error(rec.message);
    expect(rec.meta?.sensors.map((x) => [x.role, x.profile])).toEqual([
      ['pelvis', 'hipcue'],
      ['thigh', 'thingy52'],
    ]);
    const bySensor = new Map<string, number>();
    for (const n of rec.notifications) bySensor.set(n.sensorId, (bySensor.get(n.sensorId) ?? 0) + 1);
    expect(bySensor.get('thigh')).toBeGreaterThan(100);
    expect(bySensor.get('pelvis')).toBeGreaterThan(20);
  });
});
