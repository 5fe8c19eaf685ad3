import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, encode } from './decode.ts';
import { goldenVectors, type VectorDecoder, vectorJsonText } from './goldenVectors.ts';
import { toPhysical } from './physical.ts';
import {
  decodeThingyMotionConfig,
  decodeThingyRawMotion,
  encodeThingyMotionConfig,
  encodeThingyRawMotion,
  type ThingyMotionConfig,
  type ThingyRawMotion,
} from './thingy.ts';
import { clearReservedBits, frameFromJson, type Json, toJson } from './vectorJson.ts';

const dir = join(import.meta.dirname, '..', 'vectors');
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

interface VectorFile {
  name: string;
  decoder: VectorDecoder;
  expected: { [k: string]: Json };
  canonical: boolean;
  physical?: Json;
  length: number;
  hex: string;
}

function load(name: string): { bin: Uint8Array; json: VectorFile } {
  return {
    bin: new Uint8Array(readFileSync(join(dir, `${name}.bin`))),
    json: JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as VectorFile,
  };
}

function decodeWith(decoder: VectorDecoder, bytes: Uint8Array) {
  if (decoder === 'thingyRawMotion') return decodeThingyRawMotion(bytes);
  if (decoder === 'thingyMotionConfig') return decodeThingyMotionConfig(bytes);
  return decode(bytes);
}

function encodeWith(decoder: VectorDecoder, expected: { [k: string]: Json }): Uint8Array {
  if (decoder === 'thingyRawMotion') return encodeThingyRawMotion((expected as unknown as ThingyRawMotion).counts);
  if (decoder === 'thingyMotionConfig') return encodeThingyMotionConfig(expected as unknown as ThingyMotionConfig);
  return encode(frameFromJson(expected));
}

describe('golden vectors', () => {
  it('cover the cases the spec requires', () => {
    for (const required of ['normal', 'max_size', 'min_mtu', 'wraparound', 'truncated', 'padded', 'unknown_version']) {
      expect(names.some((n) => n.includes(required))).toBe(true);
    }
    expect(names.some((n) => n.startsWith('control_'))).toBe(true);
    expect(names.some((n) => n.startsWith('status_'))).toBe(true);
    expect(names.some((n) => n.startsWith('thingy_'))).toBe(true);
  });

  it.each(names)('%s: bytes decode to the expected result', (name) => {
    const { bin, json } = load(name);
    expect(json.length).toBe(bin.length);
    expect(Buffer.from(bin).toString('hex')).toBe(json.hex);
    const result = decodeWith(json.decoder, bin);
    expect(toJson(result)).toEqual(json.expected);
    if (result.type === 'imu') expect(toJson(toPhysical(result))).toEqual(json.physical);
  });

  it.each(names)('%s: the expected result encodes back to the bytes', (name) => {
    const { bin, json } = load(name);
    if (json.expected.type === 'error') {
      expect(json.canonical).toBe(false);
      return;
    }
    const bytes = encodeWith(json.decoder, json.expected);
    if (json.canonical) {
      expect(Buffer.from(bytes).toString('hex')).toBe(json.hex);
    } else {
      // Padded or reserved-bit inputs: the canonical encoding is the input minus trailing bytes, reserved bits cleared.
      const trailing = typeof json.expected.trailingBytes === 'number' ? json.expected.trailingBytes : 0;
      const canonical = bin.slice(0, bin.length - trailing);
      clearReservedBits(canonical, json.expected);
      expect(Buffer.from(bytes).toString('hex')).toBe(Buffer.from(canonical).toString('hex'));
    }
  });

  it('are exactly what the generator produces (regenerate with scripts/writeVectors.ts)', () => {
    const generated = goldenVectors();
    expect(generated.map((g) => g.name).sort()).toEqual(names);
    for (const g of generated) {
      const { bin } = load(g.name);
      expect(Buffer.from(bin).equals(Buffer.from(g.bytes))).toBe(true);
      expect(readFileSync(join(dir, `${g.name}.json`), 'utf8')).toBe(vectorJsonText(g));
    }
  });
});
