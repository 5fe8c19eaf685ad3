import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlFrame, imuFrame, statusFrame, thingyConfig, thingyCounts } from './arbitraries.ts';
import { type DecodeResult, decode, encode, type HipcueFrame } from './decode.ts';
import {
  decodeThingyMotionConfig,
  decodeThingyRawMotion,
  encodeThingyMotionConfig,
  encodeThingyRawMotion,
} from './thingy.ts';

/** Every number in a decode result is finite: an out-of-bounds Uint8Array read would leave undefined/NaN behind. */
function allFinite(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (x === undefined) return false;
  if (x instanceof Int16Array) return true;
  if (Array.isArray(x)) return x.every(allFinite);
  if (x !== null && typeof x === 'object') return Object.values(x).every(allFinite);
  return true;
}

/** decode(encode(f)) deep-equals f. NOTE: compares a cheap key first; expect's deep equality is only for the message. */
function roundTrips(f: HipcueFrame): void {
  const d = decode(encode(f));
  if (key(d) !== key(f) || (d.type === 'imu' && !(d.acc instanceof Int16Array))) expect(d).toEqual(f);
}

/** Cheap structural key: JSON with typed arrays spelled out. */
function key(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (v instanceof Int16Array ? Array.from(v) : v));
}

function withoutTrailing<T extends object>(x: T): T {
  const { trailingBytes: _, ...rest } = x as T & { trailingBytes?: number };
  return rest as T;
}

// Generous timeouts: CI is a shared 2-core machine; these are run-count bound, not time bound.
describe('round trip: decode(encode(x)) deep-equals x', { timeout: 60_000 }, () => {
  it('IMU frames', () => {
    fc.assert(
      fc.property(imuFrame, (f) => {
        roundTrips(f);
      }),
      { numRuns: 2000 },
    );
  });
  it('status frames', () => {
    fc.assert(
      fc.property(statusFrame, (f) => {
        roundTrips(f);
      }),
      { numRuns: 2000 },
    );
  });
  it('control frames', () => {
    fc.assert(
      fc.property(controlFrame, (f) => {
        roundTrips(f);
      }),
      { numRuns: 2000 },
    );
  });
  it('Thingy raw motion counts', () => {
    fc.assert(
      fc.property(thingyCounts, (c) => {
        const d = decodeThingyRawMotion(encodeThingyRawMotion(c));
        expect(d.type === 'thingyRawMotion' && d.counts).toEqual(c);
      }),
      { numRuns: 2000 },
    );
  });
  it('Thingy motion config', () => {
    fc.assert(
      fc.property(thingyConfig, (c) => {
        expect(decodeThingyMotionConfig(encodeThingyMotionConfig(c))).toEqual(c);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('arbitrary bytes', () => {
  // Half the inputs start with a valid v1 header so the frame bodies, not just the header check, get exercised.
  const header = fc.oneof(
    fc.integer({ min: 0, max: 255 }),
    fc.constantFrom(0x01, 0x21, 0x41, 0x61, 0xe1, 0x09, 0x89, 0x11),
  );
  const input = fc.tuple(header, fc.uint8Array({ maxLength: 80 }), fc.boolean()).map(([h, rest, keepHeader]) => {
    const out = new Uint8Array(rest.length + (keepHeader ? 1 : 0));
    if (keepHeader) out[0] = h;
    out.set(rest, keepHeader ? 1 : 0);
    return out;
  });
  // Surround the input with other bytes: a decoder that reads outside its view (byteOffset bugs) sees them.
  const framed = fc.tuple(input, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.uint8Array({ maxLength: 8 }));

  it('never throw, never read outside their input, and re-encode what they accept (100,000 inputs)', () => {
    fc.assert(
      fc.property(framed, ([bytes, before, after]) => {
        const big = new Uint8Array(before.length + bytes.length + after.length);
        big.set(before);
        big.set(bytes, before.length);
        big.set(after, before.length + bytes.length);
        const view = big.subarray(before.length, before.length + bytes.length);
        const exact = bytes.slice(); // its own ArrayBuffer of exactly this size: a DataView overread throws

        // NOTE: plain comparisons instead of expect() in this hot loop: expect's deep equality made 100k runs ~35 s.
        const r: DecodeResult = decode(exact);
        if (key(decode(view)) !== key(r)) return false;
        if (!allFinite(r)) return false;
        if (r.type === 'error') {
          if (r.offset < 0 || r.offset > bytes.length || r.message.length === 0) return false;
        } else if (key(decode(encode(r))) !== key(withoutTrailing(r))) {
          return false; // accepted frames are canonical after dropping trailing bytes and reserved bits
        }
        const t = decodeThingyRawMotion(exact);
        if (key(decodeThingyRawMotion(view)) !== key(t) || !allFinite(t)) return false;
        const c = decodeThingyMotionConfig(exact);
        return key(decodeThingyMotionConfig(view)) === key(c) && allFinite(c);
      }),
      { numRuns: 100_000, seed: 20261123 },
    );
  }, 60_000);
});
