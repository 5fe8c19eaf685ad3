/**
 * PROTOCOL.md is the source of truth; this test keeps its tables and the codec in agreement by parsing the markdown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accRangeG, gyrRangeDps, type RateCode, samplePeriodUs, sampleRateHz } from './codes.ts';
import { type ControlFrame, encodeControlFrame, OPCODE } from './controlFrame.ts';
import { HISTORY_CAPACITY_SAMPLES, HISTORY_CAPACITY_SAMPLES_MAG } from './history.ts';
import {
  encodeImuFrame,
  IMU_HEADER_BYTES,
  IMU_SAMPLE_BYTES,
  IMU_SAMPLE_BYTES_MAG,
  maxSamplesPerFrame,
} from './imuFrame.ts';
import { encodeStatusFrame } from './statusFrame.ts';
import { encodeThingyMotionConfig, encodeThingyRawMotion, THINGY_DEFAULT_CONFIG, THINGY_UUIDS } from './thingy.ts';
import { HIPCUE_UUIDS } from './uuids.ts';

const doc = readFileSync(join(import.meta.dirname, '..', 'PROTOCOL.md'), 'utf8');

/** Sections by heading text (without #s), each with its tables as arrays of row cells (header row first). */
function sections(md: string): Map<string, string[][][]> {
  const out = new Map<string, string[][][]>();
  let tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of md.split('\n')) {
    const h = /^#{2,4} (.*)$/.exec(line);
    if (h) {
      tables = [];
      out.set(h[1]!.trim(), tables);
      current = undefined;
      continue;
    }
    if (line.startsWith('|')) {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells.every((c) => /^-+$/.test(c))) continue;
      if (!current) {
        current = [];
        tables.push(current);
      }
      current.push(cells);
    } else {
      current = undefined;
    }
  }
  return out;
}

const secs = sections(doc);

function table(heading: string, firstColumn: string): string[][] {
  const t = secs.get(heading)?.find((rows) => rows[0]?.[0] === firstColumn);
  if (!t) throw new Error(`PROTOCOL.md: no table starting with "${firstColumn}" under heading "${heading}"`);
  return t;
}

/** Size implied by a Bytes | Name | Type | Description table; checks the ranges are contiguous from 0. */
function tableSize(heading: string): number {
  const rows = table(heading, 'Bytes').slice(1);
  let next = 0;
  for (const [bytes] of rows) {
    const m = /^(\d+)(?:[–-](\d+))?$/.exec(bytes!);
    if (!m) throw new Error(`${heading}: bad Bytes cell "${bytes}"`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    expect({ heading, row: bytes, from }).toEqual({ heading, row: bytes, from: next });
    expect(to).toBeGreaterThanOrEqual(from);
    next = to + 1;
  }
  return next;
}

const imu1 = encodeImuFrame({
  type: 'imu',
  backfill: false,
  rateCode: 3,
  accRangeCode: 0,
  gyrRangeCode: 0,
  seq: 0,
  sensorTimeUs: 0,
  acc: new Int16Array(3),
  gyr: new Int16Array(3),
});
const status = encodeStatusFrame({
  type: 'status',
  rateCode: 0,
  accRangeCode: 0,
  gyrRangeCode: 0,
  firmware: { major: 1, minor: 0, patch: 0 },
  batteryPct: 50,
  streaming: false,
  magEnabled: false,
  errorFlags: 0,
  history: { oldestSeq: 1, samples: 2, backfilling: false },
});
const zero3: [number, number, number] = [0, 0, 0];

describe('PROTOCOL.md frame tables match the codec', () => {
  it.each([
    ['IMU frame (type 0)', imu1.length],
    ['IMU sample', IMU_SAMPLE_BYTES],
    ['IMU sample with MAG', IMU_SAMPLE_BYTES_MAG],
    ['Status frame (type 1)', status.length],
    [
      'Control: setRanges',
      encodeControlFrame({ type: 'control', op: 'setRanges', accRangeCode: 0, gyrRangeCode: 0 }).length,
    ],
    ['Control: haptic', encodeControlFrame({ type: 'control', op: 'haptic', intensityPct: 1, patternMs: [1] }).length],
    ['Control: resendFrom', encodeControlFrame({ type: 'control', op: 'resendFrom', seq: 1, count: 2 }).length],
    ['Thingy raw data (0x0406)', encodeThingyRawMotion({ acc: zero3, gyr: zero3, mag: zero3 }).length],
    ['Thingy motion configuration (0x0401)', encodeThingyMotionConfig(THINGY_DEFAULT_CONFIG).length],
  ])('%s is %i bytes', (heading, size) => {
    expect(tableSize(heading)).toBe(size);
  });

  it('states the IMU size formula the codec uses', () => {
    expect(doc).toContain(
      `Size = ${IMU_HEADER_BYTES} + N · ${IMU_SAMPLE_BYTES} bytes (${IMU_HEADER_BYTES} + N · ${IMU_SAMPLE_BYTES_MAG} with MAG)`,
    );
  });

  it('lists every control opcode with its size', () => {
    const rows = table('Control frame (type 2)', 'Opcode').slice(1);
    expect(rows.map((r) => r[1])).toEqual(Object.keys(OPCODE));
    const examples: Record<string, ControlFrame> = {
      startStreaming: { type: 'control', op: 'startStreaming' },
      stopStreaming: { type: 'control', op: 'stopStreaming' },
      setSampleRate: { type: 'control', op: 'setSampleRate', rateCode: 1 },
      setRanges: { type: 'control', op: 'setRanges', accRangeCode: 1, gyrRangeCode: 1 },
      identify: { type: 'control', op: 'identify', durationS: 1 },
      setMagnetometer: { type: 'control', op: 'setMagnetometer', enabled: true },
      resendFrom: { type: 'control', op: 'resendFrom', seq: 1, count: 2 },
    };
    for (const [opcode, name, size] of rows) {
      expect(Number(opcode)).toBe(OPCODE[name as keyof typeof OPCODE]);
      if (name === 'haptic') {
        expect(size).toBe('4 + 2·K');
        for (let k = 1; k <= 8; k++) {
          const patternMs = Array.from({ length: k }, () => 10);
          expect(encodeControlFrame({ type: 'control', op: 'haptic', intensityPct: 1, patternMs }).length).toBe(
            4 + 2 * k,
          );
        }
      } else {
        expect(encodeControlFrame(examples[name!]!).length).toBe(Number(size));
      }
    }
  });

  it('codes table matches the scaling functions', () => {
    for (const [code, rate, period, acc, gyr] of table('Codes and scaling', 'Code').slice(1)) {
      const c = Number(code) as RateCode;
      expect(Number(rate)).toBe(sampleRateHz(c));
      expect(Number(period)).toBe(samplePeriodUs(c));
      if (acc !== '—') expect(acc).toBe(`±${accRangeG(c as 0)}`);
      if (gyr !== 'invalid') expect(gyr).toBe(`±${gyrRangeDps(c as 0)}`);
    }
  });

  it('MTU table matches maxSamplesPerFrame', () => {
    for (const [mtuCell, payload, n, nMag, bytes] of table('Packing N samples per notification', 'ATT MTU').slice(1)) {
      const mtu = Number.parseInt(mtuCell!, 10);
      expect(Number(payload)).toBe(mtu - 3);
      expect(Number(n)).toBe(maxSamplesPerFrame(mtu));
      expect(Number(nMag)).toBe(maxSamplesPerFrame(mtu, true));
      expect(Number(bytes)).toBe(IMU_HEADER_BYTES + maxSamplesPerFrame(mtu) * IMU_SAMPLE_BYTES);
    }
  });

  it('rate-per-connection-interval table follows from P · N / CI', () => {
    const t = table('Highest sample rate per connection interval', 'CI (ms)');
    const cols = t[0]!.slice(1).map((h) => {
      const m = /MTU (\d+), P = (\d+)/.exec(h);
      if (!m) throw new Error(`bad column ${h}`);
      return { mtu: Number(m[1]), p: Number(m[2]) };
    });
    for (const row of t.slice(1)) {
      const ci = Number(row[0]);
      cols.forEach(({ mtu, p }, i) => {
        const perS = (p * maxSamplesPerFrame(mtu) * 1000) / ci;
        let best = 0;
        for (let c = 0; c <= 7; c++) if (sampleRateHz(c as RateCode) <= perS) best = sampleRateHz(c as RateCode);
        expect(row[i + 1]).toContain(`→ **${best} Hz**`);
      });
    }
  });

  it('history table follows from the buffer capacity', () => {
    expect(HISTORY_CAPACITY_SAMPLES).toBe(2048);
    expect(HISTORY_CAPACITY_SAMPLES_MAG).toBe(1365);
    const rows = table('History buffer', 'Rate (Hz)').slice(1);
    expect(rows).toHaveLength(8);
    for (const [rate, plain, mag] of rows) {
      expect(Number(plain)).toBeCloseTo(HISTORY_CAPACITY_SAMPLES / Number(rate), 2);
      expect(Number(mag)).toBeCloseTo(HISTORY_CAPACITY_SAMPLES_MAG / Number(rate), 1);
    }
  });

  it('UUID tables match the exported constants', () => {
    const gatt = table('GATT', 'Alias').slice(1);
    const ours = [HIPCUE_UUIDS.service, HIPCUE_UUIDS.imuData, HIPCUE_UUIDS.control, HIPCUE_UUIDS.status];
    expect(gatt.map((r) => r[1]!.replaceAll('`', ''))).toEqual(ours.map((u) => u.dashed));
    const thingy = table('Thingy:52 profile', 'Alias').slice(1);
    const theirs = [THINGY_UUIDS.motionService, THINGY_UUIDS.motionConfig, THINGY_UUIDS.rawData];
    expect(thingy.map((r) => r[1]!.replaceAll('`', ''))).toEqual(theirs.map((u) => u.dashed));
  });
});
