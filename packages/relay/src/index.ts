export { DiskQueue, type QueuedMessage } from './DiskQueue.ts';
export { type RelayLog, RelayPublisher, type RelayPublisherOptions, type RelaySession } from './RelayPublisher.ts';
export {
  type ClinicSpec,
  gatewayUser,
  permissionsFor,
  type RelayCredentials,
  type ServerConfigOptions,
  serverConfig,
  therapistUser,
} from './serverConfig.ts';
export { DUPLICATE_WINDOW_S, EVENTS_RETENTION_S, ensureEventsStream } from './stream.ts';
export * from './subjects.ts';
