import {
  type AccRangeCode,
  type GyrRangeCode,
  isAccRangeCode,
  isGyrRangeCode,
  isRateCode,
  type RateCode,
} from './codes.ts';
import { type DecodeError, decodeError, EncodeError, truncated } from './errors.ts';
import { FRAME_TYPE, headerByte } from './header.ts';

/** Control opcodes (byte 1 of a control frame). */
export const OPCODE = {
  startStreaming: 0x01,
  stopStreaming: 0x02,
  setSampleRate: 0x03,
  setRanges: 0x04,
  haptic: 0x05,
  identify: 0x06,
  setMagnetometer: 0x07,
  /** v1.1 (issue 8): resend buffered samples from a sequence number, flagged BACKFILL. */
  resendFrom: 0x08,
} as const;

/** Most on/off durations in one haptic pattern: 4 + 2·8 = 20 bytes fits the default 23-byte ATT MTU. */
export const HAPTIC_MAX_STEPS = 8;

type Control<Op extends string, Fields = object> = { readonly type: 'control'; readonly op: Op } & Readonly<Fields> & {
    readonly trailingBytes?: number;
  };

export type StartStreaming = Control<'startStreaming'>;
export type StopStreaming = Control<'stopStreaming'>;
export type SetSampleRate = Control<'setSampleRate', { rateCode: RateCode }>;
export type SetRanges = Control<'setRanges', { accRangeCode: AccRangeCode; gyrRangeCode: GyrRangeCode }>;
/**
 * Vibrate: `patternMs` alternates on, off, on, … durations in ms (1..8 entries, each 0..65535), played once.
 * `intensityPct` 0..100 scales the motor drive.
 */
export type Haptic = Control<'haptic', { intensityPct: number; patternMs: readonly number[] }>;
/** Blink the LED and buzz so the patient can tell which sensor is which; 0 stops. */
export type Identify = Control<'identify', { durationS: number }>;
export type SetMagnetometer = Control<'setMagnetometer', { enabled: boolean }>;
/**
 * v1.1 (issue 8): resend `count` buffered samples starting at sequence number `seq` (uint16) as BACKFILL frames;
 * `count` 0 means "up to the newest sample buffered when the command arrives". See PROTOCOL.md § Backfill.
 */
export type ResendFrom = Control<'resendFrom', { seq: number; count: number }>;

export type ControlFrame =
  | StartStreaming
  | StopStreaming
  | SetSampleRate
  | SetRanges
  | Haptic
  | Identify
  | SetMagnetometer
  | ResendFrom;

function u(field: string, x: number, max: number): number {
  if (!Number.isInteger(x) || x < 0 || x > max) throw new EncodeError(field, `must be an integer 0..${max}, got ${x}`);
  return x;
}

export function encodeControlFrame(c: ControlFrame): Uint8Array {
  const h = headerByte(FRAME_TYPE.control, 0);
  switch (c.op) {
    case 'startStreaming':
      return Uint8Array.of(h, OPCODE.startStreaming);
    case 'stopStreaming':
      return Uint8Array.of(h, OPCODE.stopStreaming);
    case 'setSampleRate':
      if (!isRateCode(c.rateCode)) throw new EncodeError('rateCode', `invalid ${c.rateCode}`);
      return Uint8Array.of(h, OPCODE.setSampleRate, c.rateCode);
    case 'setRanges':
      if (!isAccRangeCode(c.accRangeCode)) throw new EncodeError('accRangeCode', `invalid ${c.accRangeCode}`);
      if (!isGyrRangeCode(c.gyrRangeCode)) throw new EncodeError('gyrRangeCode', `invalid ${c.gyrRangeCode}`);
      return Uint8Array.of(h, OPCODE.setRanges, c.accRangeCode, c.gyrRangeCode);
    case 'haptic': {
      const n = c.patternMs.length;
      if (n < 1 || n > HAPTIC_MAX_STEPS)
        throw new EncodeError('patternMs', `needs 1..${HAPTIC_MAX_STEPS} steps, got ${n}`);
      const out = new Uint8Array(4 + 2 * n);
      out[0] = h;
      out[1] = OPCODE.haptic;
      out[2] = u('intensityPct', c.intensityPct, 100);
      out[3] = n;
      c.patternMs.forEach((ms, i) => {
        u(`patternMs[${i}]`, ms, 0xffff);
        out[4 + 2 * i] = ms & 0xff;
        out[5 + 2 * i] = ms >> 8;
      });
      return out;
    }
    case 'identify':
      return Uint8Array.of(h, OPCODE.identify, u('durationS', c.durationS, 255));
    case 'setMagnetometer':
      return Uint8Array.of(h, OPCODE.setMagnetometer, c.enabled ? 1 : 0);
    case 'resendFrom':
      u('seq', c.seq, 0xffff);
      u('count', c.count, 0xffff);
      return Uint8Array.of(h, OPCODE.resendFrom, c.seq & 0xff, c.seq >> 8, c.count & 0xff, c.count >> 8);
  }
}

function withTrailing<T extends ControlFrame>(frame: T, bytes: Uint8Array, size: number): T {
  return bytes.length > size ? { ...frame, trailingBytes: bytes.length - size } : frame;
}

function need(bytes: Uint8Array, size: number, what: string): DecodeError | undefined {
  return bytes.length < size ? truncated(what, bytes.length, size, bytes.length) : undefined;
}

/** Decodes a control frame whose header byte was already checked. Never throws. */
export function decodeControlBody(bytes: Uint8Array): ControlFrame | DecodeError {
  const short = need(bytes, 2, 'control opcode');
  if (short) return short;
  const op = bytes[1]!;
  switch (op) {
    case OPCODE.startStreaming:
      return withTrailing({ type: 'control', op: 'startStreaming' }, bytes, 2);
    case OPCODE.stopStreaming:
      return withTrailing({ type: 'control', op: 'stopStreaming' }, bytes, 2);
    case OPCODE.setSampleRate: {
      const e = need(bytes, 3, 'setSampleRate');
      if (e) return e;
      const rate = bytes[2]!;
      if (!isRateCode(rate)) return decodeError('invalid-field', 2, `rate code ${rate} at offset 2 is not 0..7`, rate);
      return withTrailing({ type: 'control', op: 'setSampleRate', rateCode: rate }, bytes, 3);
    }
    case OPCODE.setRanges: {
      const e = need(bytes, 4, 'setRanges');
      if (e) return e;
      const acc = bytes[2]!;
      const gyr = bytes[3]!;
      if (!isAccRangeCode(acc))
        return decodeError('invalid-field', 2, `acc range code ${acc} at offset 2 is not 0..3`, acc);
      if (!isGyrRangeCode(gyr))
        return decodeError('invalid-field', 3, `gyro range code ${gyr} at offset 3 is not 0..4`, gyr);
      return withTrailing({ type: 'control', op: 'setRanges', accRangeCode: acc, gyrRangeCode: gyr }, bytes, 4);
    }
    case OPCODE.haptic: {
      const e = need(bytes, 4, 'haptic header');
      if (e) return e;
      const intensity = bytes[2]!;
      const n = bytes[3]!;
      if (intensity > 100)
        return decodeError('invalid-field', 2, `haptic intensity ${intensity}% at offset 2 is not 0..100`, intensity);
      if (n < 1 || n > HAPTIC_MAX_STEPS) {
        return decodeError('invalid-field', 3, `haptic step count ${n} at offset 3 is not 1..${HAPTIC_MAX_STEPS}`, n);
      }
      const size = 4 + 2 * n;
      const e2 = need(bytes, size, 'haptic pattern');
      if (e2) return e2;
      const patternMs: number[] = [];
      for (let i = 0; i < n; i++) patternMs.push(bytes[4 + 2 * i]! | (bytes[5 + 2 * i]! << 8));
      return withTrailing({ type: 'control', op: 'haptic', intensityPct: intensity, patternMs }, bytes, size);
    }
    case OPCODE.identify: {
      const e = need(bytes, 3, 'identify');
      if (e) return e;
      return withTrailing({ type: 'control', op: 'identify', durationS: bytes[2]! }, bytes, 3);
    }
    case OPCODE.setMagnetometer: {
      const e = need(bytes, 3, 'setMagnetometer');
      if (e) return e;
      const v = bytes[2]!;
      if (v > 1) return decodeError('invalid-field', 2, `magnetometer switch ${v} at offset 2 is not 0 or 1`, v);
      return withTrailing({ type: 'control', op: 'setMagnetometer', enabled: v === 1 }, bytes, 3);
    }
    case OPCODE.resendFrom: {
      const e = need(bytes, 6, 'resendFrom');
      if (e) return e;
      const seq = bytes[2]! | (bytes[3]! << 8);
      const count = bytes[4]! | (bytes[5]! << 8);
      return withTrailing({ type: 'control', op: 'resendFrom', seq, count }, bytes, 6);
    }
    default:
      return decodeError(
        'unknown-opcode',
        1,
        `control opcode 0x${op.toString(16).padStart(2, '0')} at offset 1 is unknown`,
        op,
      );
  }
}
