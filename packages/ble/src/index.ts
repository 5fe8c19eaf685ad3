export type * from './central.ts';
export { CentralError, isCentralError } from './centralError.ts';
export {
  type EmulatedCharacteristic,
  EmulatedPeripheral,
  type EmulatedService,
  type PeripheralLink,
} from './fake/emulatedPeripheral.ts';
export { FakeCentral, type FakeCentralOptions } from './fake/fakeCentral.ts';
export { FakeNobleBindings } from './fake/fakeNobleBindings.ts';
export { flushMicrotasks, ManualTimers } from './fake/manualTimers.ts';
export type { Logger } from './logger.ts';
export { silentLogger } from './logger.ts';
export type { NobleDriver } from './noble/loadNoble.ts';
export { createNobleCentral, type NobleCentralOptions } from './noble/nobleCentral.ts';
export { matchesFilter } from './scanFilter.ts';
export { systemTimers, type TimerHandle, type Timers } from './timers.ts';
export { formatAddress, normalizeAddress, normalizeUuid } from './uuid.ts';
