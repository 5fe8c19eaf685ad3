import { z } from 'zod';

/**
 * Version of the hipcue WebSocket message contract. Bumped on any change a v1 reader could misread;
 * additive optional fields do not bump it. Sent in `snapshot.protocolVersion` and negotiated as the
 * WebSocket subprotocol {@link SUBPROTOCOL}.
 */
export const PROTOCOL_VERSION = 1 as const;
/** WebSocket subprotocol a hipcue client offers (`new WebSocket(url, [SUBPROTOCOL])`). */
export const SUBPROTOCOL = 'hipcue.v1' as const;
/**
 * Prefix of a second subprotocol entry that carries an access token or ticket, for clients that cannot
 * put it in the URL: `new WebSocket(url, [SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token])`.
 * The server never echoes this entry back.
 */
export const TOKEN_SUBPROTOCOL_PREFIX = 'hipcue.token.' as const;
/** Largest client → server message the gateway accepts, in bytes (larger frames are closed with 1009). */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

export const EXERCISES = ['hip-thrust', 'glute-bridge', 'clamshell', 'side-plank-clamshell'] as const;
export const exerciseSchema = z.enum(EXERCISES);
export type Exercise = z.infer<typeof exerciseSchema>;

/** `left` = the left leg works (see docs/frames.md). */
export const SIDES = ['left', 'right'] as const;
export const sideSchema = z.enum(SIDES);
export type Side = z.infer<typeof sideSchema>;

/** patient: controls their own session; therapist: control + thresholds + notes; viewer: read-only. */
export const ROLES = ['patient', 'therapist', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Fault codes from packages/dsp (issue 4 §5). */
export const FAULT_CODES = [
  'lumbar_arch',
  'pelvic_drop',
  'pelvic_roll',
  'hip_sag',
  'partial_range',
  'rushed_tempo',
] as const;
export const faultCodeSchema = z.enum(FAULT_CODES);
export type FaultCode = z.infer<typeof faultCodeSchema>;

export const SOURCES = ['sim', 'replay', 'ble'] as const;
export const sourceKindSchema = z.enum(SOURCES);
export type SourceKind = z.infer<typeof sourceKindSchema>;

/** Where a sensor sits. Only `pelvis` is required; the others are optional helpers (issue 5). */
export const sensorPositionSchema = z.enum(['pelvis', 'thigh', 'upper-lumbar']);
export type SensorPosition = z.infer<typeof sensorPositionSchema>;

export const sensorConnectionSchema = z.enum([
  'searching',
  'connecting',
  'connected',
  'streaming',
  'reconnecting',
  'disconnected',
  /** No Bluetooth adapter / driver on this machine; `message` says why. */
  'unavailable',
  /** A replay reached the end of its recording. */
  'ended',
]);
export type SensorConnection = z.infer<typeof sensorConnectionSchema>;

export const sensorStatusSchema = z.object({
  sensorId: z.string().max(64),
  position: sensorPositionSchema,
  state: sensorConnectionSchema,
  /** True for the built-in simulated patient; the UI must label it as such. */
  simulated: z.boolean(),
  /** `hipcue` (our firmware) or `thingy52`. */
  profile: z.string().max(32),
  batteryPct: z.number().min(0).max(100).nullable(),
  /** Lost samples / expected samples over the last 10 s, in percent. */
  lossPct: z.number().min(0).max(100),
  /** Notifications per second received over the last second. */
  rateHz: z.number().min(0),
  /** Plain-language detail (troubleshooting hint, error). */
  message: z.string().max(500).optional(),
  /** The sensor buzzes on correction cues (hipcue firmware's haptic motor). */
  haptics: z.boolean().optional(),
});
export type SensorStatus = z.infer<typeof sensorStatusSchema>;

/**
 * Therapist-tunable thresholds, keyed by the names packages/dsp uses (degrees for angles, seconds for
 * times; the key's suffix says which, e.g. `lumbarArchDeg`, `minRepDurationS`). A partial map is
 * merged over the current values.
 */
export const thresholdsSchema = z.record(z.string().min(1).max(64), z.number().finite());
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const calibrationStateSchema = z.enum(['none', 'holding', 'done', 'failed']);
export type CalibrationState = z.infer<typeof calibrationStateSchema>;

/** `fatigue` is an estimate (velocity and range loss within the set), 0 = fresh, 1 = exhausted. */
export const fatigueLevelSchema = z.enum(['none', 'mild', 'moderate', 'high']);
export type FatigueLevel = z.infer<typeof fatigueLevelSchema>;

/** Session phase as the gateway sees it. */
export const phaseSchema = z.enum(['idle', 'calibrating', 'ready', 'in-set', 'resting']);
export type Phase = z.infer<typeof phaseSchema>;

/** A short free-form id (set ids, client-side rating ids, request ids). */
export const idSchema = z.string().min(1).max(64);
