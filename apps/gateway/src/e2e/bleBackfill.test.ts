import { EmulatedHipcueSensor, type HciTestbed, hipcueProfileDefaultSettings, startHciTestbed } from '@hipcue/ble';
import { simulateSession } from '@hipcue/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { BleSource } from '../sources/BleSource.ts';
import { testGateway } from './helpers.ts';

const silent = createLogger({ level: 'silent' });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, maxMs: number, what: string): Promise<void> {
  const end = Date.now() + maxMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${maxMs} ms waiting for ${what}`);
    await wait(20);
  }
}

/**
 * Issue 8 end to end, in real time: an emulated hipcue sensor replaying a simulated bridge set, behind the software
 * HCI controller, reached through @stoprocent/noble's real HCI/L2CAP/ATT/GATT code (socat pty), the gateway's BLE
 * source, backfill hold and dsp pipeline. The link is dropped for 5 s in the middle of the set.
 */
describe('a 5 s link drop mid-set through noble (issue 8)', () => {
  let testbed: HciTestbed | undefined;
  afterAll(async () => {
    await testbed?.close();
  }, 10_000);

  it('loses no sample, and the rep count equals the truth', async () => {
    const sim = simulateSession({ seed: 44, exercise: 'glute-bridge', side: 'left', sets: 1, reps: 7, noise: 'none' });
    const { tS, gyrRadPerS: g, accMps2: a } = sim.samples;
    const rate = sim.meta.sampleRateHz;
    let streamStartS: number | undefined;
    const sensor = new EmulatedHipcueSensor({
      address: 'd4:ca:6e:00:0b:01',
      motion: (timeS) => {
        streamStartS ??= timeS;
        const i = Math.max(0, Math.min(tS.length - 1, Math.round((timeS - streamStartS) * rate)));
        return {
          accMps2: [a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!],
          gyrRadPerS: [g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!],
        };
      },
    });
    testbed = await startHciTestbed({ peripherals: [sensor.peripheral] });
    const central = testbed.central;
    const { gateway } = await testGateway({
      source: 'ble',
      record: false,
      createSource: async () => new BleSource({ driver: 'stoprocent', pelvisAddress: undefined, central, log: silent }),
    });
    try {
      const core = () => gateway.session.core;
      // Mid-set: after the third true rep has ended.
      const dropAtS = sim.truth.reps[2]!.endS;
      await until(() => core().nowS >= dropAtS, 60_000, 'the middle of the set');
      sensor.peripheral.advertising = false;
      sensor.peripheral.dropLink(0x08);
      await wait(5_000);
      sensor.peripheral.advertising = true;
      const endS = tS[tS.length - 1]! - tS[0]!;
      await until(() => core().nowS >= endS - 0.5, 60_000, 'the end of the set');
      await wait(1_000);
      expect(core().backfillTotals.lost).toBe(0);
      // the BLE source streams at the hipcue profile's rate; the 5 s drop (plus reconnecting) all came back
      expect(core().backfillTotals.recovered).toBeGreaterThan(4.5 * hipcueProfileDefaultSettings.sampleRateHz);
      const backfill = core().state.recent.filter((e) => e.type === 'backfill');
      expect(backfill.length).toBeGreaterThan(0);
      expect(backfill.every((e) => e.type === 'backfill' && e.samplesLost === 0)).toBe(true);
      expect(core().state.reps.length).toBe(sim.truth.reps.length);
    } finally {
      await gateway.close();
    }
  }, 120_000);
});
