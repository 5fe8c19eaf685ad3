import { describe, expect, it } from 'vitest';
import { describeCentralContract } from '../contract/centralContract.ts';
import { FakeNobleBindings } from '../fake/fakeNobleBindings.ts';
import { createNobleCentral } from './nobleCentral.ts';

// The real noble modules (both forks) over fake bindings: noble's Peripheral/Service/Characteristic code runs.
describeCentralContract('noble (@stoprocent/noble) over fake bindings', async (peripherals, timers) => ({
  central: await createNobleCentral({
    driver: 'stoprocent',
    bindings: new FakeNobleBindings({ peripherals, timers }),
    timers,
  }),
  reportsAttErrors: true,
}));

describeCentralContract('noble (@abandonware/noble) over fake bindings', async (peripherals, timers) => ({
  central: await createNobleCentral({
    driver: 'abandonware',
    bindings: new FakeNobleBindings({ peripherals, timers }),
    timers,
  }),
  reportsAttErrors: false,
}));

describe('noble loading', () => {
  it('reports adapter-unavailable with advice when bindings cannot be built', async () => {
    const central = await createNobleCentral({ driver: 'abandonware', bindings: null as unknown as object });
    expect(central.state).toBe('unsupported');
    await expect(central.waitForPoweredOn()).rejects.toMatchObject({ code: 'adapter-unavailable' });
    await expect(central.waitForPoweredOn()).rejects.toThrow(/setcap|adapter/);
  });
});
