/**
 * @hipcue/firmware-protocol — the bytes between a hipcue pelvis sensor and the gateway.
 * PROTOCOL.md (beside this package) is the specification; this is its TypeScript codec.
 */
export * from './codes.ts';
export * from './controlFrame.ts';
export * from './decode.ts';
export * from './errors.ts';
export {
  configByte,
  FLAG_BACKFILL,
  FLAG_MAG,
  FLAG_RESERVED,
  FRAME_TYPE,
  headerByte,
  PROTOCOL_VERSION,
} from './header.ts';
export * from './history.ts';
export * from './imuFrame.ts';
export * from './physical.ts';
export * from './StreamReconstructor.ts';
export * from './statusFrame.ts';
export * from './thingy.ts';
export * from './uuids.ts';
