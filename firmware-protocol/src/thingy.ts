/**
 * Nordic Thingy:52 stock firmware (v2.x), Thingy Motion Service. Layouts and scaling from Nordic's sources
 * (NordicSemiconductor/Nordic-Thingy52-FW): include/ble_services/ble_tms.h (structs, config limits),
 * source/ble_services/ble_tms.c (UUIDs), source/modules/m_motion.c (fixed-point formats), include/modules/m_motion.h
 * (default configuration). See PROTOCOL.md § "Thingy:52 profile".
 */
import { STANDARD_GRAVITY_MPS2 } from './codes.ts';
import { type DecodeError, decodeError, EncodeError, truncated } from './errors.ts';
import type { Vec3 } from './physical.ts';
import type { GattUuid } from './uuids.ts';

/** Thingy vendor base `EF68xxxx-9B35-4933-9B10-52FFA9740042` (ble_tms.c TMS_BASE_UUID). */
export const THINGY_BASE_UUID = 'EF68xxxx-9B35-4933-9B10-52FFA9740042';

export function thingyUuid(alias: number): GattUuid {
  const dashed = THINGY_BASE_UUID.replace('xxxx', alias.toString(16).toUpperCase().padStart(4, '0'));
  return { dashed, noble: dashed.replaceAll('-', '').toLowerCase() };
}

export const THINGY_UUIDS = {
  /** Thingy Motion Service (BLE_UUID_TMS_SERVICE 0x0400). */
  motionService: thingyUuid(0x0400),
  /** Motion configuration, read/write, 9 bytes (BLE_UUID_TMS_CONFIG_CHAR 0x0401). */
  motionConfig: thingyUuid(0x0401),
  tap: thingyUuid(0x0402),
  orientation: thingyUuid(0x0403),
  quaternion: thingyUuid(0x0404),
  pedometer: thingyUuid(0x0405),
  /** Raw accelerometer/gyroscope/compass, notify, 18 bytes (BLE_UUID_TMS_RAW_CHAR 0x0406). */
  rawData: thingyUuid(0x0406),
  euler: thingyUuid(0x0407),
  rotationMatrix: thingyUuid(0x0408),
  heading: thingyUuid(0x0409),
  gravityVector: thingyUuid(0x040a),
} as const;

export const THINGY_RAW_BYTES = 18;
/** Fractional bits: accelerometer Q6.10 in g, gyroscope Q11.5 in °/s, compass Q12.4 in µT (m_motion.c). */
export const THINGY_ACC_FRAC_BITS = 10;
export const THINGY_GYR_FRAC_BITS = 5;
export const THINGY_MAG_FRAC_BITS = 4;
export const THINGY_ACC_LSB_MPS2 = STANDARD_GRAVITY_MPS2 / 2 ** THINGY_ACC_FRAC_BITS;
export const THINGY_GYR_LSB_RAD_PER_S = Math.PI / 180 / 2 ** THINGY_GYR_FRAC_BITS;
export const THINGY_MAG_LSB_UT = 1 / 2 ** THINGY_MAG_FRAC_BITS;

/** Raw int16 counts of one Thingy raw-motion notification. */
export interface ThingyRawCounts {
  acc: Vec3;
  gyr: Vec3;
  mag: Vec3;
}

/** One Thingy sample: no sequence number, no timestamp; the host stamps arrival time. */
export interface ThingyRawMotion {
  readonly type: 'thingyRawMotion';
  readonly counts: ThingyRawCounts;
  readonly accMps2: Vec3;
  readonly gyrRadPerS: Vec3;
  readonly magUt: Vec3;
  readonly trailingBytes?: number;
}

function readVec(view: DataView, o: number): Vec3 {
  return [view.getInt16(o, true), view.getInt16(o + 2, true), view.getInt16(o + 4, true)];
}

/** Decodes a raw-motion notification (characteristic 0x0406) to SI units. Never throws. */
export function decodeThingyRawMotion(bytes: Uint8Array): ThingyRawMotion | DecodeError {
  if (bytes.length < THINGY_RAW_BYTES)
    return truncated('thingy raw motion', bytes.length, THINGY_RAW_BYTES, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts: ThingyRawCounts = { acc: readVec(view, 0), gyr: readVec(view, 6), mag: readVec(view, 12) };
  const scale = (v: Vec3, k: number): Vec3 => [v[0] * k, v[1] * k, v[2] * k];
  const frame: ThingyRawMotion = {
    type: 'thingyRawMotion',
    counts,
    accMps2: scale(counts.acc, THINGY_ACC_LSB_MPS2),
    gyrRadPerS: scale(counts.gyr, THINGY_GYR_LSB_RAD_PER_S),
    magUt: scale(counts.mag, THINGY_MAG_LSB_UT),
  };
  const extra = bytes.length - THINGY_RAW_BYTES;
  return extra > 0 ? { ...frame, trailingBytes: extra } : frame;
}

/** Encodes raw counts as the Thingy firmware sends them (for fake peripherals and vectors). */
export function encodeThingyRawMotion(counts: ThingyRawCounts): Uint8Array {
  const out = new Uint8Array(THINGY_RAW_BYTES);
  const view = new DataView(out.buffer);
  [...counts.acc, ...counts.gyr, ...counts.mag].forEach((c, i) => {
    if (!Number.isInteger(c) || c < -32768 || c > 32767) throw new EncodeError(`counts[${i}]`, `not int16: ${c}`);
    view.setInt16(2 * i, c, true);
  });
  return out;
}

/**
 * Quantizes SI values the way m_motion.c does: the driver's 16Q16 value (taken here as floor(x · 2^16)) has its
 * integer part clamped to [-2^(I-1), 2^(I-1) - 1] (I = 6 acc, 11 gyro, 12 compass), then is shifted right by I.
 * So the accelerometer saturates at 31 g (count 31744), not at 32 g.
 */
export function thingyRawCountsFromPhysical(accMps2: Vec3, gyrRadPerS: Vec3, magUt: Vec3): ThingyRawCounts {
  const q = (x: number, intBits: number): number => {
    const lim = 2 ** (intBits - 1);
    let v16 = Math.floor(x * 65536);
    const ip = Math.floor(v16 / 65536);
    if (ip >= lim - 1) v16 = (lim - 1) * 65536;
    else if (ip < -lim) v16 = -lim * 65536;
    return Math.floor(v16 / 2 ** intBits);
  };
  const map = (v: Vec3, k: number, intBits: number): Vec3 => [
    q(v[0] * k, intBits),
    q(v[1] * k, intBits),
    q(v[2] * k, intBits),
  ];
  return {
    acc: map(accMps2, 1 / STANDARD_GRAVITY_MPS2, 16 - THINGY_ACC_FRAC_BITS),
    gyr: map(gyrRadPerS, 180 / Math.PI, 16 - THINGY_GYR_FRAC_BITS),
    mag: map(magUt, 1, 16 - THINGY_MAG_FRAC_BITS),
  };
}

export const THINGY_CONFIG_BYTES = 9;

/** Motion configuration characteristic (ble_tms_config_t), all little-endian. */
export interface ThingyMotionConfig {
  readonly type: 'thingyMotionConfig';
  /** Pedometer notification interval, ms, 100..5000. */
  readonly pedometerIntervalMs: number;
  /** Temperature compensation interval, ms, 100..5000. */
  readonly temperatureCompensationIntervalMs: number;
  /** Magnetometer compensation interval, ms, 100..5000. */
  readonly magnetometerCompensationIntervalMs: number;
  /** Motion processing unit frequency, Hz, 1..200: the rate of raw-motion notifications. */
  readonly motionProcessingFrequencyHz: number;
  /** Wake on motion, 0 or 1. */
  readonly wakeOnMotion: boolean;
  readonly trailingBytes?: number;
}

/** Stock firmware default (MOTION_DEFAULT_CONFIG in include/modules/m_motion.h). */
export const THINGY_DEFAULT_CONFIG: ThingyMotionConfig = {
  type: 'thingyMotionConfig',
  pedometerIntervalMs: 1000,
  temperatureCompensationIntervalMs: 500,
  magnetometerCompensationIntervalMs: 500,
  motionProcessingFrequencyHz: 10,
  wakeOnMotion: true,
};

const CONFIG_LIMITS = [
  { key: 'pedometerIntervalMs', offset: 0, min: 100, max: 5000 },
  { key: 'temperatureCompensationIntervalMs', offset: 2, min: 100, max: 5000 },
  { key: 'magnetometerCompensationIntervalMs', offset: 4, min: 100, max: 5000 },
  { key: 'motionProcessingFrequencyHz', offset: 6, min: 1, max: 200 },
] as const;

/** Encodes a config write. Throws EncodeError on values the firmware would reject (it answers "write not permitted"). */
export function encodeThingyMotionConfig(c: ThingyMotionConfig): Uint8Array {
  const out = new Uint8Array(THINGY_CONFIG_BYTES);
  const view = new DataView(out.buffer);
  for (const { key, offset, min, max } of CONFIG_LIMITS) {
    const v = c[key];
    if (!Number.isInteger(v) || v < min || v > max) throw new EncodeError(key, `must be ${min}..${max}, got ${v}`);
    view.setUint16(offset, v, true);
  }
  out[8] = c.wakeOnMotion ? 1 : 0;
  return out;
}

/** Decodes the config characteristic value, with the firmware's own validity limits. Never throws. */
export function decodeThingyMotionConfig(bytes: Uint8Array): ThingyMotionConfig | DecodeError {
  if (bytes.length < THINGY_CONFIG_BYTES) {
    return truncated('thingy motion config', bytes.length, THINGY_CONFIG_BYTES, bytes.length);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v: Record<string, number> = {};
  for (const { key, offset, min, max } of CONFIG_LIMITS) {
    const x = view.getUint16(offset, true);
    if (x < min || x > max)
      return decodeError('invalid-field', offset, `thingy ${key} ${x} at offset ${offset} is not ${min}..${max}`, x);
    v[key] = x;
  }
  const wom = bytes[8]!;
  if (wom > 1) return decodeError('invalid-field', 8, `thingy wake-on-motion ${wom} at offset 8 is not 0 or 1`, wom);
  const frame: ThingyMotionConfig = {
    type: 'thingyMotionConfig',
    pedometerIntervalMs: v.pedometerIntervalMs!,
    temperatureCompensationIntervalMs: v.temperatureCompensationIntervalMs!,
    magnetometerCompensationIntervalMs: v.magnetometerCompensationIntervalMs!,
    motionProcessingFrequencyHz: v.motionProcessingFrequencyHz!,
    wakeOnMotion: wom === 1,
  };
  const extra = bytes.length - THINGY_CONFIG_BYTES;
  return extra > 0 ? { ...frame, trailingBytes: extra } : frame;
}
