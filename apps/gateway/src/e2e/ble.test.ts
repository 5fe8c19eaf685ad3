import { EmulatedHipcueSensor, FakeCentral } from '@hipcue/ble';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { BleSource } from '../sources/BleSource.ts';
import { TestClient, testGateway } from './helpers.ts';

const silent = createLogger({ level: 'silent' });

describe('--source ble through @hipcue/ble', () => {
  it('streams an emulated hipcue sensor found by scanning into the live session', async () => {
    const sensor = new EmulatedHipcueSensor({ address: 'd4:ca:6e:00:01:01' });
    const central = new FakeCentral({ peripherals: [sensor.peripheral] });
    const { gateway } = await testGateway({
      source: 'ble',
      record: false,
      createSource: async () =>
        new BleSource({
          driver: 'stoprocent',
          pelvisAddress: undefined,
          log: silent,
          central,
        }),
    });
    try {
      const c = await TestClient.connect(gateway, gateway.tokens.viewer);
      await c.until(() => c.of('chart').length >= 5, 20_000, 'chart frames from the emulated sensor');
      await c.until(
        () =>
          c.events().some((e) => e.type === 'sensor' && e.sensor.state === 'streaming') ||
          gateway.session.core.state.sensor.state === 'streaming',
        10_000,
        'streaming state',
      );
      const snap = gateway.session.snapshot('x', 'viewer');
      expect(snap.source).toBe('ble');
      expect(snap.sensors[0]).toMatchObject({ simulated: false, state: 'streaming' });
      // At rest the calibration hold makes progress.
      await c.until(
        () => c.events().some((e) => e.type === 'calibration' && e.progress > 0),
        10_000,
        'calibration progress',
      );
      expect(gateway.session.core.decodeErrors).toBe(0);
      c.close();
    } finally {
      await gateway.close();
    }
  });

  it('says plainly when there is no Bluetooth adapter and refuses to start', async () => {
    const central = new FakeCentral({ initialState: 'unsupported' });
    await expect(
      testGateway({
        source: 'ble',
        record: false,
        createSource: async () =>
          new BleSource({
            driver: 'stoprocent',
            pelvisAddress: undefined,
            log: silent,
            central,
          }),
      }),
    ).rejects.toThrow(/Bluetooth is not available/);
  });
});
