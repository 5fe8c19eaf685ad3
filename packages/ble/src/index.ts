export type * from './central.ts';
export { CentralError, isCentralError } from './centralError.ts';
export { connectionParametersFor } from './connectionParameters.ts';
export {
  atRest,
  EmulatedHipcueSensor,
  type EmulatedHipcueSensorOptions,
  type MotionSource,
} from './fake/emulatedHipcueSensor.ts';
export {
  type EmulatedCharacteristic,
  EmulatedPeripheral,
  type EmulatedService,
  type PeripheralLink,
} from './fake/emulatedPeripheral.ts';
export { EmulatedThingy52, type EmulatedThingy52Options } from './fake/emulatedThingy52.ts';
export { FakeCentral, type FakeCentralOptions } from './fake/fakeCentral.ts';
export { FakeNobleBindings } from './fake/fakeNobleBindings.ts';
export { flushMicrotasks, ManualTimers } from './fake/manualTimers.ts';
export { type HciTestbed, startHciTestbed } from './hci/hciTestbed.ts';
export { SoftwareHciController, type SoftwareHciControllerOptions } from './hci/softwareHciController.ts';
export type { Logger } from './logger.ts';
export { silentLogger } from './logger.ts';
export type { NobleDriver } from './noble/loadNoble.ts';
export { createNobleCentral, type NobleCentralOptions } from './noble/nobleCentral.ts';
export { type HipcueProfileSettings, hipcueProfile, hipcueProfileDefaultSettings } from './profiles/hipcueProfile.ts';
export type {
  ProfileDecoder,
  ProfileEvent,
  SensorInfo,
  SensorProfile,
  SensorRole,
  SensorSample,
} from './profiles/sensorProfile.ts';
export {
  type Thingy52ProfileSettings,
  thingy52Profile,
  thingy52ProfileDefaultSettings,
} from './profiles/thingy52Profile.ts';
export { matchesFilter } from './scanFilter.ts';
export {
  SensorConnection,
  type SensorConnectionOptions,
  type SensorConnectionSettings,
  sensorConnectionDefaultSettings,
} from './sensorConnection.ts';
export type { SensorEvent, SensorState } from './sensorEvents.ts';
export { SensorHub, type SensorHubOptions } from './sensorHub.ts';
export { SharedScanner } from './sharedScanner.ts';
export { systemTimers, type TimerHandle, type Timers } from './timers.ts';
export { formatAddress, normalizeAddress, normalizeUuid } from './uuid.ts';
