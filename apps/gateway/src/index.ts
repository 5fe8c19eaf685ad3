export { ArgsError, parseGatewayArgs, USAGE } from './args.ts';
export { defaultGatewayOptions, type Gateway, type GatewayOptions, startGateway, WS_PATH } from './gateway.ts';
export { createLogger, createMemoryLogger, type Logger, type LogLevel } from './logger.ts';
export { analyzeRecording } from './session/analyzeRecording.ts';
export { SessionCore, type SessionCoreOptions } from './session/SessionCore.ts';
export type { LiveSample, RawNotification, SessionListener } from './session/types.ts';
export { ReplaySource } from './sources/ReplaySource.ts';
export { SimSource } from './sources/SimSource.ts';
export type { NotificationSource, SourceSink } from './sources/types.ts';
