/**
 * JSON form of decode results, as stored in vectors/*.json: typed arrays become plain number arrays.
 * `frameFromJson` is the inverse for frames, so a vector's expected frame can be re-encoded.
 */
import type { ControlFrame } from './controlFrame.ts';
import type { DecodeResult, HipcueFrame } from './decode.ts';
import type { DecodeError } from './errors.ts';
import type { ImuFrame } from './imuFrame.ts';
import type { StatusFrame } from './statusFrame.ts';
import type { ThingyMotionConfig, ThingyRawMotion } from './thingy.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function toJson(value: unknown): Json {
  if (value instanceof Int16Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value as Json;
}

export type AnyDecoded = DecodeResult | ThingyRawMotion | ThingyMotionConfig | DecodeError;

/** Rebuilds a hipcue frame from its JSON form (the inverse of toJson for frames). */
export function frameFromJson(j: { [k: string]: Json }): HipcueFrame {
  if (j.type === 'imu') {
    const { acc, gyr, mag, ...rest } = j as unknown as Omit<ImuFrame, 'acc' | 'gyr' | 'mag'> & {
      acc: number[];
      gyr: number[];
      mag?: number[];
    };
    return {
      ...rest,
      acc: Int16Array.from(acc),
      gyr: Int16Array.from(gyr),
      ...(mag !== undefined ? { mag: Int16Array.from(mag) } : {}),
    };
  }
  if (j.type === 'status') return j as unknown as StatusFrame;
  return j as unknown as ControlFrame;
}

/** Reserved bits a reader ignores and an encoder writes as 0: header bit 7; status state bits 3–7 (2–7 without history). */
export function clearReservedBits(bytes: Uint8Array, decoded: { [k: string]: Json }): void {
  if (decoded.type === 'imu' || decoded.type === 'status' || decoded.type === 'control') bytes[0] = bytes[0]! & 0x7f;
  if (decoded.type === 'status') bytes[6] = bytes[6]! & (decoded.history === undefined ? 0x03 : 0x07);
}
