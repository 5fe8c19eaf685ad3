import { expect, it } from 'vitest';
import { describeCentralContract } from '../contract/centralContract.ts';
import { settle } from '../contract/settle.ts';
import { FakeCentral } from './fakeCentral.ts';
import { ManualTimers } from './manualTimers.ts';

describeCentralContract('FakeCentral', async (peripherals, timers) => ({
  central: new FakeCentral({ peripherals, timers }),
  reportsAttErrors: true,
}));

it('FakeCentral: an adapter that is off says adapter-unavailable', async () => {
  const timers = new ManualTimers();
  const central = new FakeCentral({ timers, initialState: 'poweredOff' });
  const outcome = await settle(timers, central.waitForPoweredOn());
  expect(outcome.ok).toBe(false);
  expect(outcome.ok ? undefined : (outcome.error as { code: string }).code).toBe('adapter-unavailable');
});
