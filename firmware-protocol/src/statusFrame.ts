import {
  type AccRangeCode,
  type GyrRangeCode,
  isAccRangeCode,
  isGyrRangeCode,
  isRateCode,
  type RateCode,
} from './codes.ts';
import { type DecodeError, decodeError, EncodeError, truncated } from './errors.ts';
import { configByte, FRAME_TYPE, headerByte } from './header.ts';

/** Size of a v1.0 status frame (no history fields). */
export const STATUS_FRAME_BYTES = 9;
/** Size of a v1.1 status frame: v1.0 + history (oldest seq, buffered samples). */
export const STATUS_FRAME_BYTES_HISTORY = 13;

/** Bits of `errorFlags` in the status frame. Bits not listed are reserved (ignored by readers). */
export const STATUS_ERROR = {
  /** The IMU did not answer or failed its self-test; no samples are produced. */
  imuFault: 0x0001,
  /** The IMU FIFO overflowed on the sensor: samples were lost before they got a sequence number. */
  fifoOverflow: 0x0002,
  /** Battery below 10 %. */
  batteryLow: 0x0004,
  /** The haptic motor driver reported a fault. */
  hapticFault: 0x0008,
  /** The notification queue was full: frames were dropped on the sensor (they appear as seq gaps). */
  txOverflow: 0x0010,
  /** The last control write was rejected (unknown opcode or invalid value). */
  commandRejected: 0x0020,
} as const;

/** Battery byte value meaning "not measured yet". */
export const BATTERY_UNKNOWN = 0xff;

export interface FirmwareVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The sensor's sample history (v1.1, issue 8): what a `resendFrom` can still recover. */
export interface StatusHistory {
  /** Seq (uint16) of the oldest sample still buffered. */
  readonly oldestSeq: number;
  /** Samples buffered: seqs oldestSeq .. oldestSeq + samples − 1 (mod 2^16). 0 = empty. */
  readonly samples: number;
  /** The sensor is currently sending backfill frames (state bit 2). */
  readonly backfilling: boolean;
}

export interface StatusFrame {
  readonly type: 'status';
  /** Configuration in use (same codes as IMU frames). */
  readonly rateCode: RateCode;
  readonly accRangeCode: AccRangeCode;
  readonly gyrRangeCode: GyrRangeCode;
  readonly firmware: FirmwareVersion;
  /** 0..100 %, or null when unknown (byte 0xFF). */
  readonly batteryPct: number | null;
  readonly streaming: boolean;
  readonly magEnabled: boolean;
  /** Bitwise OR of STATUS_ERROR values (reserved bits preserved as received). */
  readonly errorFlags: number;
  /** Present on sensors with a history buffer (v1.1, 13-byte status); absent on v1.0 sensors (9 bytes). */
  readonly history?: StatusHistory;
  readonly trailingBytes?: number;
}

/** Names of the set STATUS_ERROR bits, for logs and the dashboard. */
export function statusErrorNames(errorFlags: number): string[] {
  return Object.entries(STATUS_ERROR)
    .filter(([, bit]) => (errorFlags & bit) !== 0)
    .map(([name]) => name);
}

export function encodeStatusFrame(s: StatusFrame): Uint8Array {
  if (!isRateCode(s.rateCode)) throw new EncodeError('rateCode', `invalid ${s.rateCode}`);
  if (!isAccRangeCode(s.accRangeCode)) throw new EncodeError('accRangeCode', `invalid ${s.accRangeCode}`);
  if (!isGyrRangeCode(s.gyrRangeCode)) throw new EncodeError('gyrRangeCode', `invalid ${s.gyrRangeCode}`);
  for (const k of ['major', 'minor', 'patch'] as const) {
    const v = s.firmware[k];
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new EncodeError(`firmware.${k}`, `must be 0..255, got ${v}`);
  }
  const bat = s.batteryPct;
  if (bat !== null && (!Number.isInteger(bat) || bat < 0 || bat > 100)) {
    throw new EncodeError('batteryPct', `must be 0..100 or null, got ${bat}`);
  }
  if (!Number.isInteger(s.errorFlags) || s.errorFlags < 0 || s.errorFlags > 0xffff) {
    throw new EncodeError('errorFlags', `must be uint16, got ${s.errorFlags}`);
  }
  const h = s.history;
  if (h !== undefined) {
    for (const k of ['oldestSeq', 'samples'] as const) {
      const v = h[k];
      if (!Number.isInteger(v) || v < 0 || v > 0xffff)
        throw new EncodeError(`history.${k}`, `must be uint16, got ${v}`);
    }
  }
  const out = new Uint8Array(h === undefined ? STATUS_FRAME_BYTES : STATUS_FRAME_BYTES_HISTORY);
  out[0] = headerByte(FRAME_TYPE.status, 0);
  out[1] = configByte(s.rateCode, s.accRangeCode, s.gyrRangeCode);
  out[2] = s.firmware.major;
  out[3] = s.firmware.minor;
  out[4] = s.firmware.patch;
  out[5] = bat ?? BATTERY_UNKNOWN;
  out[6] = (s.streaming ? 0x01 : 0) | (s.magEnabled ? 0x02 : 0) | (h?.backfilling ? 0x04 : 0);
  out[7] = s.errorFlags & 0xff;
  out[8] = s.errorFlags >> 8;
  if (h !== undefined) {
    out[9] = h.oldestSeq & 0xff;
    out[10] = h.oldestSeq >> 8;
    out[11] = h.samples & 0xff;
    out[12] = h.samples >> 8;
  }
  return out;
}

/** Decodes a status frame whose header byte was already checked. Never throws. */
export function decodeStatusBody(bytes: Uint8Array): StatusFrame | DecodeError {
  if (bytes.length < STATUS_FRAME_BYTES)
    return truncated('status frame', bytes.length, STATUS_FRAME_BYTES, bytes.length);
  const cfg = bytes[1]!;
  const gyr = (cfg >> 5) & 0x07;
  if (!isGyrRangeCode(gyr)) {
    return decodeError('invalid-field', 1, `status gyroscope range code ${gyr} at offset 1 is not 0..4`, gyr);
  }
  const bat = bytes[5]!;
  if (bat > 100 && bat !== BATTERY_UNKNOWN) {
    return decodeError('invalid-field', 5, `status battery ${bat} at offset 5 is not 0..100 or 255`, bat);
  }
  const state = bytes[6]!;
  const frame: StatusFrame = {
    type: 'status',
    rateCode: (cfg & 0x07) as RateCode,
    accRangeCode: ((cfg >> 3) & 0x03) as AccRangeCode,
    gyrRangeCode: gyr,
    firmware: { major: bytes[2]!, minor: bytes[3]!, patch: bytes[4]! },
    batteryPct: bat === BATTERY_UNKNOWN ? null : bat,
    streaming: (state & 0x01) !== 0,
    magEnabled: (state & 0x02) !== 0,
    errorFlags: bytes[7]! | (bytes[8]! << 8),
  };
  // v1.1 appends the history; a v1.0 reader sees those 4 bytes as trailing bytes and ignores them.
  const withHistory = bytes.length >= STATUS_FRAME_BYTES_HISTORY;
  const size = withHistory ? STATUS_FRAME_BYTES_HISTORY : STATUS_FRAME_BYTES;
  const history: StatusHistory | undefined = withHistory
    ? {
        oldestSeq: bytes[9]! | (bytes[10]! << 8),
        samples: bytes[11]! | (bytes[12]! << 8),
        backfilling: (state & 0x04) !== 0,
      }
    : undefined;
  const extra = bytes.length - size;
  return {
    ...frame,
    ...(history !== undefined ? { history } : {}),
    ...(extra > 0 ? { trailingBytes: extra } : {}),
  };
}
