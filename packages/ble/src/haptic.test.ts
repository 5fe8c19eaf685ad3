import { describe, expect, it } from 'vitest';
import { EmulatedHipcueSensor } from './fake/emulatedHipcueSensor.ts';
import { EmulatedThingy52 } from './fake/emulatedThingy52.ts';
import { FakeCentral } from './fake/fakeCentral.ts';
import { ManualTimers } from './fake/manualTimers.ts';
import { hipcueProfile } from './profiles/hipcueProfile.ts';
import { thingy52Profile } from './profiles/thingy52Profile.ts';
import { SensorConnection } from './sensorConnection.ts';

describe('haptic buzz (issue 6)', () => {
  it('writes the firmware-protocol haptic control to a hipcue sensor while streaming', async () => {
    const timers = new ManualTimers();
    const sensor = new EmulatedHipcueSensor({ address: 'd4:ca:6e:00:09:01', timers });
    const central = new FakeCentral({ peripherals: [sensor.peripheral], timers });
    const connection = new SensorConnection({ role: 'pelvis', central, profile: hipcueProfile(), timers });
    expect(connection.hasHaptics).toBe(true);
    expect(await connection.haptic([100, 50, 100])).toBe(false); // not connected yet: nothing to buzz
    connection.start();
    await timers.advanceUntil(() => connection.state === 'streaming', 2_000, 10);
    const buzzing = connection.haptic([120, 80, 120], 70);
    await timers.advance(50);
    expect(await buzzing).toBe(true);
    expect(sensor.controlLog.at(-1)).toBe('haptic');
    await connection.stop();
  });

  it('a Thingy:52 (stock firmware) has no motor the gateway can drive', async () => {
    const timers = new ManualTimers();
    const thingy = new EmulatedThingy52({ address: 'd4:ca:6e:00:09:02', timers });
    const central = new FakeCentral({ peripherals: [thingy.peripheral], timers });
    const connection = new SensorConnection({ role: 'pelvis', central, profile: thingy52Profile(), timers });
    expect(connection.hasHaptics).toBe(false);
    connection.start();
    await timers.advanceUntil(() => connection.state === 'streaming', 2_000, 10);
    expect(await connection.haptic([100])).toBe(false);
    await connection.stop();
  });
});
