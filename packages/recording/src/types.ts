/**
 * The data model of a hipcue recording: what the writer takes and what `readRecording` gives back.
 * The byte layout on disk (MCAP topics, encodings, schemas) is in ../README.md.
 */

/** Where a sensor is worn. */
export type SensorRole = 'pelvis' | 'thigh' | 'lumbar';
export const SENSOR_ROLES: readonly SensorRole[] = ['pelvis', 'thigh', 'lumbar'];

/** One sensor taking part in the session. */
export interface SensorInfo {
  /** Stable id the gateway uses for this sensor in the session (e.g. `pelvis` or a BLE address). */
  sensorId: string;
  role: SensorRole;
  /** Sensor profile name, e.g. `hipcue-imu` or `thingy52`. */
  profile: string;
  /** Firmware version as reported by the sensor, or '' when unknown. */
  firmware: string;
}

/** Session metadata, written once at the start (stored as the MCAP metadata record `hipcue.session`). */
export interface SessionMeta {
  /** Pseudonymous patient label; never a real name. */
  patient: string;
  exercise: string;
  side: 'left' | 'right';
  sensors: SensorInfo[];
  /** Session start, wall clock, ISO 8601. */
  startedAt: string;
  /** `live`, `sim` or `replay`. */
  source: 'live' | 'sim' | 'replay';
  /** Free-form extra fields (simulation seed, settings, …), string → string. */
  extra: Record<string, string>;
}

/** One BLE notification exactly as the gateway received it. */
export interface Notification {
  /** Host receive time, µs (integer). */
  hostTimeUs: number;
  sensorId: string;
  /** GATT characteristic UUID (lowercase, as the BLE layer names it). */
  characteristic: string;
  /** The notification payload, byte for byte. */
  bytes: Uint8Array;
  /** True when the gateway received these bytes as backfill after a reconnect (issue 8). */
  backfill?: boolean;
}

/**
 * Session events. Discriminated by `type`; times `tS` are seconds on the analysis clock (sensor time since the
 * session start), the MCAP log time of the record is the host time when it was written.
 */
export type SessionEvent =
  | { type: 'calibration'; tS: number; ok: boolean; message: string; quatPelvisFromSensor?: number[] }
  | { type: 'set_start'; tS: number; set: number }
  | { type: 'set_end'; tS: number; set: number; reps: number }
  | { type: 'rep'; tS: number; set: number; rep: number; startS: number; endS: number; faults: string[] }
  | { type: 'fault'; tS: number; rep: number; code: string; value: number; threshold: number }
  | { type: 'cue'; tS: number; code: string; text: string }
  | { type: 'pain'; tS: number; rating: number }
  | { type: 'note'; tS: number; text: string; author: string }
  | { type: 'threshold'; tS: number; name: string; value: number }
  | { type: 'gap'; tS: number; sensorId: string; fromUs: number; toUs: number; recovered: boolean }
  | { type: 'backfill'; tS: number; sensorId: string; fromUs: number; toUs: number; samples: number };

export type SessionEventType = SessionEvent['type'];

export interface TimedEvent {
  /** Host time when the event was recorded, µs. */
  hostTimeUs: number;
  event: SessionEvent;
}

/** A decoded pelvis-angle sample (per sample or decimated), degrees relative to the calibrated start pose. */
export interface AngleSample {
  tS: number;
  tiltDeg: number;
  obliquityDeg: number;
  rotationDeg: number;
}

/** Ground-truth label of one simulated rep. */
export interface TruthRep {
  set: number;
  rep: number;
  startS: number;
  endS: number;
  /** Injected faults with the time each begins. */
  faults: { code: string; startS: number }[];
}

export interface Truth {
  reps: TruthRep[];
  /** Per-sample true pelvis angles. */
  angles: AngleSample[];
}

/** Something wrong in a file that did not stop the read (truncation, a bad record). */
export interface Problem {
  code: 'truncated' | 'bad-record' | 'bad-message' | 'unknown-channel';
  /** Byte offset in the file where the problem was found. */
  offset: number;
  message: string;
}

export interface Recording {
  ok: true;
  /** Undefined only when the file was cut before the session metadata. */
  meta: SessionMeta | undefined;
  notifications: Notification[];
  events: TimedEvent[];
  /** Decoded channels the gateway chose to record (pelvis angles). */
  angles: AngleSample[];
  /** Present for simulated sessions. */
  truth: Truth | undefined;
  /** True when the file ends with a valid MCAP footer (the writer was closed). */
  complete: boolean;
  problems: Problem[];
}

/** Why bytes could not be read as a hipcue recording at all. */
export interface RecordingError {
  ok: false;
  code: 'not-mcap' | 'not-hipcue' | 'corrupt' | 'unreadable';
  offset: number;
  message: string;
}

export type ReadResult = Recording | RecordingError;
