import {
  type AccRangeCode,
  type GyrRangeCode,
  isAccRangeCode,
  isGyrRangeCode,
  isRateCode,
  type RateCode,
} from './codes.ts';
import { type DecodeError, decodeError, EncodeError, truncated } from './errors.ts';
import { configByte, FLAG_BACKFILL, FLAG_MAG, FRAME_TYPE, headerByte } from './header.ts';

/** Bytes before the first sample: header, config, seq (u16), sensorTimeUs (u32). */
export const IMU_HEADER_BYTES = 8;
/** int16 acc xyz + int16 gyro xyz. */
export const IMU_SAMPLE_BYTES = 12;
/** int16 acc xyz + int16 gyro xyz + int16 mag xyz. */
export const IMU_SAMPLE_BYTES_MAG = 18;
/** ATT header bytes taken from the MTU by a Handle Value Notification (opcode + handle). */
export const ATT_NOTIFY_OVERHEAD = 3;
export const ATT_MTU_DEFAULT = 23;
export const ATT_MTU_MAX = 517;
/** Sequence numbers count samples modulo 2^16. */
export const SEQ_MODULUS = 0x10000;
/** Sensor timestamps are µs modulo 2^32 (wraps every ~71.6 min). */
export const TIME_MODULUS = 0x1_0000_0000;

/**
 * One IMU notification: N consecutive samples of one sensor, raw int16 counts.
 * Sample i has sequence number (seq + i) mod 2^16 and nominal time sensorTimeUs + i · period (mod 2^32).
 */
export interface ImuFrame {
  readonly type: 'imu';
  /** Resent from the sensor's history buffer (reserved in v1: see PROTOCOL.md § Backfill). */
  readonly backfill: boolean;
  readonly rateCode: RateCode;
  readonly accRangeCode: AccRangeCode;
  readonly gyrRangeCode: GyrRangeCode;
  /** Sequence number of the first sample, uint16, counts samples and wraps. */
  readonly seq: number;
  /** Sensor clock at the first sample, µs, uint32, wraps. */
  readonly sensorTimeUs: number;
  /** Accelerometer counts, x y z interleaved, length 3N. */
  readonly acc: Int16Array;
  /** Gyroscope counts, x y z interleaved, length 3N. */
  readonly gyr: Int16Array;
  /** Magnetometer counts, x y z interleaved, length 3N; present iff the MAG flag is set. */
  readonly mag?: Int16Array;
  /** Set by decode only when bytes followed the last whole sample; they were ignored. */
  readonly trailingBytes?: number;
}

/** Number of samples in a frame. */
export function imuSampleCount(frame: ImuFrame): number {
  return frame.acc.length / 3;
}

/** Largest N that fits one notification at this ATT MTU (0 if not even one fits). */
export function maxSamplesPerFrame(attMtu: number, withMag = false): number {
  const payload = Math.min(attMtu, ATT_MTU_MAX) - ATT_NOTIFY_OVERHEAD;
  const per = withMag ? IMU_SAMPLE_BYTES_MAG : IMU_SAMPLE_BYTES;
  return Math.max(0, Math.floor((payload - IMU_HEADER_BYTES) / per));
}

/** Encoded size of an IMU frame with n samples. */
export function imuFrameBytes(n: number, withMag = false): number {
  return IMU_HEADER_BYTES + n * (withMag ? IMU_SAMPLE_BYTES_MAG : IMU_SAMPLE_BYTES);
}

function checkUint(field: string, x: number, max: number): void {
  if (!Number.isInteger(x) || x < 0 || x > max) throw new EncodeError(field, `must be an integer 0..${max}, got ${x}`);
}

/** Encodes one IMU frame. Throws EncodeError for frames that cannot be represented (caller bug). */
export function encodeImuFrame(frame: ImuFrame): Uint8Array {
  const n = frame.acc.length / 3;
  if (!Number.isInteger(n) || n < 1)
    throw new EncodeError('acc', `length must be a positive multiple of 3, got ${frame.acc.length}`);
  if (frame.gyr.length !== frame.acc.length)
    throw new EncodeError('gyr', `length ${frame.gyr.length} != acc length ${frame.acc.length}`);
  if (frame.mag !== undefined && frame.mag.length !== frame.acc.length) {
    throw new EncodeError('mag', `length ${frame.mag.length} != acc length ${frame.acc.length}`);
  }
  if (!isRateCode(frame.rateCode)) throw new EncodeError('rateCode', `invalid ${frame.rateCode}`);
  if (!isAccRangeCode(frame.accRangeCode)) throw new EncodeError('accRangeCode', `invalid ${frame.accRangeCode}`);
  if (!isGyrRangeCode(frame.gyrRangeCode)) throw new EncodeError('gyrRangeCode', `invalid ${frame.gyrRangeCode}`);
  checkUint('seq', frame.seq, SEQ_MODULUS - 1);
  checkUint('sensorTimeUs', frame.sensorTimeUs, TIME_MODULUS - 1);

  const withMag = frame.mag !== undefined;
  const out = new Uint8Array(imuFrameBytes(n, withMag));
  const view = new DataView(out.buffer);
  const flags = (withMag ? FLAG_MAG : 0) | (frame.backfill ? FLAG_BACKFILL : 0);
  out[0] = headerByte(FRAME_TYPE.imu, flags);
  out[1] = configByte(frame.rateCode, frame.accRangeCode, frame.gyrRangeCode);
  view.setUint16(2, frame.seq, true);
  view.setUint32(4, frame.sensorTimeUs, true);
  let o = IMU_HEADER_BYTES;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++, o += 2) view.setInt16(o, frame.acc[3 * i + k]!, true);
    for (let k = 0; k < 3; k++, o += 2) view.setInt16(o, frame.gyr[3 * i + k]!, true);
    if (frame.mag !== undefined) for (let k = 0; k < 3; k++, o += 2) view.setInt16(o, frame.mag[3 * i + k]!, true);
  }
  return out;
}

/**
 * Decodes the body of an IMU frame whose header byte (already checked for version and type) is `bytes[0]`.
 * Never throws; never reads past `bytes.length`.
 */
export function decodeImuBody(bytes: Uint8Array): ImuFrame | DecodeError {
  if (bytes.length < IMU_HEADER_BYTES) return truncated('imu header', bytes.length, IMU_HEADER_BYTES, bytes.length);
  const b0 = bytes[0]!;
  const cfg = bytes[1]!;
  const rateCode = (cfg & 0x07) as RateCode;
  const accRangeCode = ((cfg >> 3) & 0x03) as AccRangeCode;
  const gyr = (cfg >> 5) & 0x07;
  if (!isGyrRangeCode(gyr)) {
    return decodeError('invalid-field', 1, `imu gyroscope range code ${gyr} at offset 1 is not 0..4`, gyr);
  }
  const withMag = (b0 & FLAG_MAG) !== 0;
  const per = withMag ? IMU_SAMPLE_BYTES_MAG : IMU_SAMPLE_BYTES;
  const body = bytes.length - IMU_HEADER_BYTES;
  const n = Math.floor(body / per);
  if (n < 1) return truncated('imu first sample', IMU_HEADER_BYTES + body, IMU_HEADER_BYTES + per, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const acc = new Int16Array(3 * n);
  const gyrCounts = new Int16Array(3 * n);
  const mag = withMag ? new Int16Array(3 * n) : undefined;
  let o = IMU_HEADER_BYTES;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++, o += 2) acc[3 * i + k] = view.getInt16(o, true);
    for (let k = 0; k < 3; k++, o += 2) gyrCounts[3 * i + k] = view.getInt16(o, true);
    if (mag !== undefined) for (let k = 0; k < 3; k++, o += 2) mag[3 * i + k] = view.getInt16(o, true);
  }
  const frame: ImuFrame = {
    type: 'imu',
    backfill: (b0 & FLAG_BACKFILL) !== 0,
    rateCode,
    accRangeCode,
    gyrRangeCode: gyr,
    seq: view.getUint16(2, true),
    sensorTimeUs: view.getUint32(4, true),
    acc,
    gyr: gyrCounts,
  };
  const extra = body - n * per;
  return {
    ...frame,
    ...(mag !== undefined ? { mag } : {}),
    ...(extra > 0 ? { trailingBytes: extra } : {}),
  };
}
