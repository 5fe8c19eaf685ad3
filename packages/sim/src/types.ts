import type { Quat } from './quat.ts';

export type Exercise = 'hip-thrust' | 'glute-bridge' | 'clamshell' | 'side-plank-clamshell';
export type Side = 'left' | 'right';
export type NoiseLevel = 'none' | 'typical' | 'high';
/** Optional extra sensors (issue 5): the working leg's thigh, and the upper lumbar spine (L1). */
export type ExtraPlacement = 'thigh' | 'lumbar';

export type FaultCode = 'lumbar_arch' | 'pelvic_drop' | 'pelvic_roll' | 'hip_sag' | 'partial_range' | 'rushed_tempo';

export const EXERCISES: readonly Exercise[] = ['hip-thrust', 'glute-bridge', 'clamshell', 'side-plank-clamshell'];
export const SIDES: readonly Side[] = ['left', 'right'];
export const NOISE_LEVELS: readonly NoiseLevel[] = ['none', 'typical', 'high'];
export const FAULT_CODES: readonly FaultCode[] = [
  'lumbar_arch',
  'pelvic_drop',
  'pelvic_roll',
  'hip_sag',
  'partial_range',
  'rushed_tempo',
];

/** Which faults an exercise can show (README § Faults). */
export const FAULTS_BY_EXERCISE: Readonly<Record<Exercise, readonly FaultCode[]>> = {
  'hip-thrust': ['lumbar_arch', 'pelvic_drop', 'partial_range', 'rushed_tempo'],
  'glute-bridge': ['lumbar_arch', 'pelvic_drop', 'partial_range', 'rushed_tempo'],
  clamshell: ['pelvic_roll', 'partial_range', 'rushed_tempo'],
  'side-plank-clamshell': ['pelvic_roll', 'hip_sag', 'partial_range', 'rushed_tempo'],
};

/** Link-layer settings (BLE notifications). All optional; defaults in README § Link. */
export interface LinkSpec {
  /** Negotiated ATT MTU, 23..517 (default 247). Samples per notification = maxSamplesPerFrame(attMtu). */
  attMtu?: number;
  /** BLE connection interval in ms (default 15): notifications reach the host in batches at connection events. */
  connectionIntervalMs?: number;
  /** Long-run fraction of notifications lost, 0..1 (default 0). */
  lossRate?: number;
  /** Mean length of a loss burst in notifications (Gilbert–Elliott bad-state dwell; default 1.5, ≥ 1). */
  meanBurstLength?: number;
  /** A window in which the link is down and every notification is lost (session time, s). */
  disconnect?: { startS: number; durationS: number };
  /**
   * Protocol v1.1 sensor history (issue 8): the sensor keeps the last 2048 samples (1365 with magnetometer) and,
   * `requestDelayS` (default 0.5) after a disconnect ends, resends the gap as BACKFILL frames — what a gateway that
   * asks `resendFrom` on reconnect gets. Paced as PROTOCOL.md says: at most 2 backfill frames per live frame,
   * packed full. Off by default (a v1.0 sensor: the gap stays).
   */
  backfill?: { requestDelayS?: number };
  /** Host clock at the first sample, µs (default 1_700_000_000_000_000 + a seed-drawn offset). */
  hostStartUs?: number;
  /**
   * Samples per notification (default per PROTOCOL.md § Packing: as many as 40 ms hold, ⌊0.04·fs⌋ = 8 at 200 Hz,
   * capped at what the MTU carries).
   */
  samplesPerNotification?: number;
  /** Notifications one connection event carries before the rest wait for the next (default 6). */
  maxNotificationsPerEvent?: number;
  /** Raw sensor clock at the first sample (uint32 µs) and first sequence number (uint16); default seed-drawn. */
  sensorTimeStartUs?: number;
  seqStart?: number;
  /** Sensor id attached to each notification (default 'sim-pelvis'). */
  sensorId?: string;
}

/** One simulated session: a calibration hold, then `sets` sets of reps. Everything not given is drawn from `seed`. */
export interface SessionSpec {
  /** Identifier (corpus ids are stable strings such as `c0007-hip-thrust-left-lumbar_arch-typical`). */
  id?: string;
  seed: number;
  /**
   * Draw the person (tempo, range, how they lie: start pose) from this seed instead of `seed`, so blocks of one live
   * stream with different seeds are the same patient (apps/gateway SimSource). Default: from `seed`.
   */
  personSeed?: number;
  exercise: Exercise;
  side: Side;
  /** Number of sets (default 1). */
  sets?: number;
  /** Reps per set: a number, or [min, max] drawn per set (default [6, 15]). */
  reps?: number | [number, number];
  /**
   * Per-rep probability of each fault (codes the exercise cannot show are ignored). A rep gets at most one fault;
   * default: no faults.
   */
  faults?: Partial<Record<FaultCode, number>>;
  /**
   * Scales the person's drawn tempo — up, hold and down durations and the pause between reps (default 1). Rushed
   * reps (the `rushed_tempo` fault) keep their own absolute durations.
   */
  tempoScale?: number;
  /**
   * Scales the person's drawn range of movement — and a clamshell's knee opening and counter-roll (default 1): stiff
   * hips at 0.5. Fault magnitudes (degrees of arch, drop, roll, sag) keep their own sizes.
   */
  romScale?: number;
  /** Fatigue reached by the last rep of a set, 0..1 (default drawn 0.3..1). */
  fatigue?: number;
  /** Sensor noise preset (default 'typical'); 'none' is exact physics, unquantized. */
  noise?: NoiseLevel;
  /** IMU output data rate in Hz, a protocol rate (12.5 · 2^k; default 200). */
  sampleRateHz?: number;
  /** Accelerometer and gyroscope full scale (default ±4 g, ±500 °/s); the output saturates at int16 full scale. */
  accRangeG?: 2 | 4 | 8 | 16;
  gyrRangeDps?: 125 | 250 | 500 | 1000 | 2000;
  /** Sensor → pelvis mounting rotation q_PS (default: a random crooked clip-on drawn from the seed). */
  mountingQuat?: Quat;
  /** Include a magnetometer (default false). */
  magnetometer?: boolean;
  /**
   * Extra sensors besides the pelvis (default none). Each is its own device: own crooked mounting, sensor model,
   * clock and sequence numbers, sensorId `sim-thigh` / `sim-lumbar`; its notifications are merged into
   * `notifications` in delivery order.
   */
  extraSensors?: ExtraPlacement[];
  /** Lying still after the last set, s (default drawn 1..2). A live stream of one-set blocks uses it as the rest. */
  endRestS?: number;
  /** Rest between sets in s (default drawn 20..45). */
  restBetweenSetsS?: number | [number, number];
  link?: LinkSpec;
}

export interface FaultTruth {
  code: FaultCode;
  /** Session time (s) at which the deviation starts (ramp start; for partial_range and rushed_tempo the rep start). */
  startS: number;
  /** Angular faults: when the full magnitude is reached (s). */
  fullS?: number;
  /** True magnitude: degrees for angular faults, % of the person's range for partial_range, s for rushed_tempo. */
  magnitude: number;
  unit: 'deg' | '%' | 's';
}

export interface RepTruth {
  /** 0-based set index and 0-based rep index within the set. */
  set: number;
  index: number;
  /** Movement start, end of the concentric (top reached), end of the eccentric; session time in s. */
  startS: number;
  peakS: number;
  endS: number;
  faults: FaultTruth[];
  /** This rep's range (deg): pelvis tilt for thrust/bridge, pelvis lift for side plank, knee opening for clamshell. */
  romDeg: number;
  /** Knee opening (deg) for clamshells (0 for thrust/bridge). */
  kneeOpenDeg: number;
  /** Concentric, hold and eccentric durations (s). */
  upS: number;
  holdS: number;
  downS: number;
  /** Fatigue 0..1 applied to this rep. */
  fatigue: number;
}

export interface SetTruth {
  startS: number;
  endS: number;
}

export interface SimMeta {
  id: string;
  exercise: Exercise;
  side: Side;
  seed: number;
  sampleRateHz: number;
  noise: NoiseLevel;
  /** q_PS actually used (sensor → pelvis). */
  mountingQuat: Quat;
  /** Sensor position in the pelvis frame (m) — the accelerometer's lever arm. */
  leverArmM: [number, number, number];
  imu: ImuMeta;
  /** The person's full range (deg) in the same measure as RepTruth.romDeg. */
  personRomDeg: number;
  /** Samples per notification and the link settings in effect. */
  samplesPerNotification: number;
  attMtu: number;
  connectionIntervalMs: number;
  lossRate: number;
  disconnect?: { startS: number; durationS: number };
  /** Raw sensor clock (uint32 µs) and sequence number (uint16) of the first sample. */
  sensorTimeStartUs: number;
  seqStart: number;
  /** Host clock (µs) at true time 0 of the session. */
  hostStartUs: number;
  durationS: number;
}

export interface ImuMeta {
  model: string;
  accRangeCode: number;
  gyrRangeCode: number;
  rateCode: number;
  accRangeG: number;
  gyrRangeDps: number;
  /** Per-session draws that the sensor model used (so tests and analysis can see them). */
  gyrBiasRadPerS: [number, number, number];
  accBiasMps2: [number, number, number];
  odrErrorRatio: number;
}

export interface SimSamples {
  /** Sensor time of each sample in s, from 0 at the first sample, as the notifications report it. */
  tS: Float64Array;
  gyrRadPerS: Float64Array;
  accMps2: Float64Array;
  magUt?: Float64Array;
}

export interface SimTruth {
  reps: RepTruth[];
  sets: SetTruth[];
  calibration: { startS: number; endS: number };
  /** True session time of each sample (s); differs from samples.tS by the sensor's clock and ODR error. */
  tTrueS: Float64Array;
  tiltDeg: Float32Array;
  obliquityDeg: Float32Array;
  rotationDeg: Float32Array;
  /**
   * The angular fault's own deviation at each sample (deg, ≥ 0): the extra tilt, drop, roll or sag of the fault
   * ramps alone, without the exercise movement (0 outside faulty reps). Cue latency is measured from the moment
   * this crosses a threshold.
   */
  faultDeviationDeg: Float32Array;
  /** Vertical displacement of the pelvis origin (m, earth z) relative to the end of the calibration hold. */
  pelvisUpM: Float32Array;
  /** True q_ES (sensor → earth), 4n interleaved [w, x, y, z]. */
  qES: Float32Array;
}

export interface Notification {
  hostTimeUs: number;
  sensorId: string;
  bytes: Uint8Array;
}

/** What one extra sensor measured (the pelvis sensor is `SimSession.samples`/`truth.qES`). */
export interface ExtraSensorData {
  placement: ExtraPlacement;
  sensorId: string;
  /** q_segment,S: sensor → segment (thigh or thorax) frame. */
  mountingQuat: Quat;
  leverArmM: [number, number, number];
  seqStart: number;
  sensorTimeStartUs: number;
  samples: SimSamples;
  /** True q_ES of this sensor, 4n. */
  qES: Float32Array;
}

export interface SimSession {
  meta: SimMeta;
  samples: SimSamples;
  truth: SimTruth;
  /** Every sensor's notifications in delivery order (pelvis only unless `extraSensors` was asked for). */
  notifications: Notification[];
  /** Present when `spec.extraSensors` asked for any. */
  extraSensors?: ExtraSensorData[];
}
