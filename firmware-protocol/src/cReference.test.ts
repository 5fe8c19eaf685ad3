/**
 * Compiles the C99 reference (c/hipcue_protocol.h + c/test_hipcue_protocol.c) with the machine's `cc` and checks it
 * against the same golden vectors as the TypeScript codec. Fails if cc is missing: the C reference is part of the spec.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RateCode, samplePeriodUs } from './codes.ts';
import { OPCODE } from './controlFrame.ts';
import { HISTORY_RECORD_BYTES, SampleHistory } from './history.ts';
import { encodeImuFrame } from './imuFrame.ts';
import { clearReservedBits, type Json } from './vectorJson.ts';

const root = join(import.meta.dirname, '..');
const vectorsDir = join(root, 'vectors');
const source = join(root, 'c', 'test_hipcue_protocol.c');
const strictFlags = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic'];
const run = (cmd: string, args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(cmd, args, (err, _stdout, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
const kindOf = { hipcue: 'hipcue', thingyRawMotion: 'thingyRaw', thingyMotionConfig: 'thingyConfig' } as const;

type Obj = { [k: string]: Json };
interface VectorFile {
  name: string;
  decoder: keyof typeof kindOf;
  expected: Obj;
  physical?: Array<{ accMps2: number[]; gyrRadPerS: number[]; magUt?: number[] }>;
  hex: string;
}

const n = (x: Json | undefined): number => (typeof x === 'number' ? x : typeof x === 'boolean' ? Number(x) : 0);
const arr = (x: Json | undefined): number[] => (Array.isArray(x) ? (x as number[]) : []);

function historyText(h: Json | undefined): string {
  if (h === undefined || h === null || typeof h !== 'object' || Array.isArray(h)) return 'none';
  return `${n(h.oldestSeq)}+${n(h.samples)}${h.backfilling === true ? ',backfilling' : ''}`;
}

/** The canonical re-encoding of a decoded vector: input minus trailing bytes, reserved header bit cleared. */
function canonicalHex(v: VectorFile): string {
  const bytes = Buffer.from(v.hex, 'hex');
  const out = bytes.subarray(0, bytes.length - n(v.expected.trailingBytes));
  clearReservedBits(out, v.expected);
  return out.toString('hex');
}

/** The line test_hipcue_protocol prints for this vector (before " phys="). */
function expectedLine(v: VectorFile): string {
  const e = v.expected;
  if (e.type === 'error') return `error code=${e.code} offset=${n(e.offset)} value=${n(e.value)}`;
  const reenc = `reenc=${canonicalHex(v)}`;
  const trailing = `trailing=${n(e.trailingBytes)}`;
  switch (e.type) {
    case 'imu': {
      const acc = arr(e.acc);
      const gyr = arr(e.gyr);
      const mag = e.mag === undefined ? undefined : arr(e.mag);
      const samples = Array.from({ length: acc.length / 3 }, (_, i) =>
        [
          ...acc.slice(3 * i, 3 * i + 3),
          ...gyr.slice(3 * i, 3 * i + 3),
          ...(mag ? mag.slice(3 * i, 3 * i + 3) : []),
        ].join(','),
      ).join(';');
      return (
        `imu backfill=${n(e.backfill)} mag=${mag ? 1 : 0} rate=${n(e.rateCode)} acc=${n(e.accRangeCode)} ` +
        `gyr=${n(e.gyrRangeCode)} seq=${n(e.seq)} t=${n(e.sensorTimeUs)} n=${acc.length / 3} ${trailing} samples=${samples} ${reenc}`
      );
    }
    case 'status': {
      const fw = e.firmware as Obj;
      return (
        `status rate=${n(e.rateCode)} acc=${n(e.accRangeCode)} gyr=${n(e.gyrRangeCode)} ` +
        `fw=${n(fw.major)}.${n(fw.minor)}.${n(fw.patch)} battery=${e.batteryPct === null ? 255 : n(e.batteryPct)} ` +
        `streaming=${n(e.streaming)} mag=${n(e.magEnabled)} errors=${n(e.errorFlags)} history=${historyText(e.history)} ${trailing} ${reenc}`
      );
    }
    case 'control':
      return (
        `control opcode=${OPCODE[e.op as keyof typeof OPCODE]} rate=${n(e.rateCode)} acc=${n(e.accRangeCode)} ` +
        `gyr=${n(e.gyrRangeCode)} intensity=${n(e.intensityPct)} steps=${arr(e.patternMs).length} ` +
        `pattern=${arr(e.patternMs).join(',')} duration=${n(e.durationS)} enabled=${n(e.enabled)} seq=${n(e.seq)} ` +
        `count=${n(e.count)} ${trailing} ${reenc}`
      );
    case 'thingyRawMotion': {
      const c = e.counts as Obj;
      return `thingyRaw acc=${arr(c.acc).join(',')} gyr=${arr(c.gyr).join(',')} mag=${arr(c.mag).join(',')} ${trailing} ${reenc}`;
    }
    case 'thingyMotionConfig':
      return (
        `thingyConfig pedo=${n(e.pedometerIntervalMs)} temp=${n(e.temperatureCompensationIntervalMs)} ` +
        `compass=${n(e.magnetometerCompensationIntervalMs)} freq=${n(e.motionProcessingFrequencyHz)} ` +
        `wom=${n(e.wakeOnMotion)} ${trailing} ${reenc}`
      );
    default:
      throw new Error(`vector ${v.name}: unexpected type ${String(e.type)}`);
  }
}

/** SI values in the order the C driver prints them. */
function expectedPhysical(v: VectorFile): number[] | undefined {
  if (v.physical) return v.physical.flatMap((s) => [...s.accMps2, ...s.gyrRadPerS, ...(s.magUt ?? [])]);
  if (v.expected.type === 'thingyRawMotion') {
    return [...arr(v.expected.accMps2), ...arr(v.expected.gyrRadPerS), ...arr(v.expected.magUt)];
  }
  return undefined;
}

/** What `test_hipcue_protocol --history ...` prints, computed with the TypeScript SampleHistory. */
function historyScenario(
  memBytes: number,
  seq0: number,
  t0: number,
  n: number,
  rate: RateCode,
  seq: number,
  count: number,
  max: number,
): string[] {
  const h = new SampleHistory(Math.floor(memBytes / HISTORY_RECORD_BYTES));
  const period = samplePeriodUs(rate);
  const i16 = (x: number) => ((((x % 65536) + 65536) % 65536) << 16) >> 16;
  for (let j = 0; j < n; j++) {
    h.push({
      type: 'imu',
      backfill: false,
      rateCode: rate,
      accRangeCode: 1,
      gyrRangeCode: 2,
      seq: (seq0 + j) % 0x10000,
      sensorTimeUs: (t0 + j * period) % 0x1_0000_0000,
      acc: Int16Array.of(i16(j * 7), i16(-j), i16(j * 3)),
      gyr: Int16Array.of(i16(j), i16(j * 5), i16(-2 * j)),
    });
  }
  const plan = h.resendFrom(seq, count);
  const st = h.status();
  const lines = [
    `plan samples=${plan.samples} tooOld=${plan.tooOld} oldest=${st.oldestSeq} count=${st.samples} backfilling=${Number(st.backfilling)}`,
  ];
  for (let f = h.nextBackfillFrame(max); f; f = h.nextBackfillFrame(max))
    lines.push(Buffer.from(encodeImuFrame(f)).toString('hex'));
  return lines;
}

describe('C99 reference implementation', { timeout: 60_000 }, () => {
  let dir = '';
  let exe = '';
  let sanitized = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hipcue-c-'));
    const strict = join(dir, 'strict');
    const san = join(dir, 'sanitized');
    const [strictBuild, sanBuild] = await Promise.allSettled([
      // The contract build: strict C99, warnings are errors, optimised (more warnings surface at -O2).
      run('cc', [...strictFlags, '-O2', source, '-o', strict]),
      // Where the toolchain has sanitizers, run everything under ASan+UBSan so an out-of-bounds read fails loudly.
      run('cc', [
        ...strictFlags,
        '-O1',
        '-g',
        '-fsanitize=address,undefined',
        '-fno-sanitize-recover=all',
        source,
        '-o',
        san,
      ]),
    ]);
    if (strictBuild.status === 'rejected') throw strictBuild.reason;
    // Only a failing *build* falls back to the plain binary; a sanitizer finding at run time fails the tests below.
    sanitized = sanBuild.status === 'fulfilled';
    exe = sanitized ? san : strict;
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes its self-test (sizes, round trip, 200k random inputs)', () => {
    const out = execFileSync(exe, ['--self'], { encoding: 'utf8' });
    expect(out.trim()).toBe('self-test ok');
    if (!sanitized) console.warn('cc has no ASan/UBSan here: C self-test ran without sanitizers');
  });

  it.each([
    // memBytes, seq0, t0, n, rate, resend seq, count, max samples per frame
    [32768, 65000, 4_290_000_000, 1600, 3, 400 + 65000 - 65536, 500, 19], // 5 s gap at 100 Hz, across the seq wrap
    [32768, 0, 0, 4000, 3, 400, 2800, 19], // gap older than the buffer: the part before the oldest is too old
    [160, 65530, 4_294_960_000, 30, 3, 0, 0, 4], // tiny buffer, eviction, count 0, time wrap
    [32768, 10, 5, 100, 7, 50, 0, 42], // 1600 Hz, up to the newest
    [32768, 10, 5, 100, 3, 500, 3, 19], // newer than the newest: nothing
  ])('history ring buffer matches SampleHistory (mem %i, seq0 %i, …)', (mem, seq0, t0, n, rate, seq, count, max) => {
    const out = execFileSync(exe, ['--history', ...[mem, seq0, t0, n, rate, seq, count, max].map(String)], {
      encoding: 'utf8',
    });
    const want = historyScenario(mem, seq0, t0, n, rate as RateCode, seq, count, max);
    expect(want.length).toBeGreaterThan(0);
    expect(out.trimEnd().split('\n')).toEqual(want);
  });

  it('decodes and re-encodes every golden vector exactly like the TypeScript codec', () => {
    const vectors = readdirSync(vectorsDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(vectorsDir, f), 'utf8')) as VectorFile);
    expect(vectors.length).toBeGreaterThan(30);
    const args = vectors.flatMap((v) => [kindOf[v.decoder], join(vectorsDir, `${v.name}.bin`)]);
    const lines = execFileSync(exe, args, { encoding: 'utf8' }).trimEnd().split('\n');
    expect(lines).toHaveLength(vectors.length);
    vectors.forEach((v, i) => {
      const [text, phys] = lines[i]!.split(' phys=');
      expect({ name: v.name, line: text }).toEqual({ name: v.name, line: expectedLine(v) });
      const want = expectedPhysical(v);
      expect(phys === undefined).toBe(want === undefined);
      if (want && phys) {
        const got = phys.split(',').map(Number);
        expect(got).toHaveLength(want.length);
        for (const [k, g] of got.entries()) expect(g).toBeCloseTo(want[k]!, 9);
      }
    });
  });
});
