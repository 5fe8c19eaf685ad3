/**
 * The golden vectors, built from fixed inputs by the codec itself. `scripts/writeVectors.ts` writes them to
 * vectors/*.bin + *.json; vectors.test.ts checks the committed files against the spec both ways, and that this
 * generator still produces exactly the committed files.
 */
import type { ControlFrame } from './controlFrame.ts';
import { decode, encode, type HipcueFrame } from './decode.ts';
import { FLAG_RESERVED } from './header.ts';
import { ATT_MTU_DEFAULT, ATT_MTU_MAX, type ImuFrame, maxSamplesPerFrame } from './imuFrame.ts';
import { toPhysical } from './physical.ts';
import type { StatusFrame } from './statusFrame.ts';
import {
  decodeThingyMotionConfig,
  decodeThingyRawMotion,
  encodeThingyMotionConfig,
  encodeThingyRawMotion,
  THINGY_DEFAULT_CONFIG,
  thingyRawCountsFromPhysical,
} from './thingy.ts';
import { type Json, toJson } from './vectorJson.ts';

export type VectorDecoder = 'hipcue' | 'thingyRawMotion' | 'thingyMotionConfig';

export interface GoldenVector {
  name: string;
  description: string;
  decoder: VectorDecoder;
  bytes: Uint8Array;
  /** JSON form of the decode result. */
  expected: Json;
  /** encode(expected) reproduces `bytes` exactly (false for padded or invalid inputs). */
  canonical: boolean;
  /** For IMU frames: toPhysical of the frame (SI units, wrapped seq/time per sample). */
  physical?: Json;
}

/** Deterministic counts: a smooth pattern that spans the int16 range and its sign. */
function counts(n: number, salt: number): Int16Array {
  const out = new Int16Array(3 * n);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(32767 * Math.sin(0.7 * i + salt)) - (i % 2);
  return out;
}

function imu(n: number, over: Partial<ImuFrame> = {}): ImuFrame {
  return {
    type: 'imu',
    backfill: false,
    rateCode: 3,
    accRangeCode: 1,
    gyrRangeCode: 2,
    seq: 1234,
    sensorTimeUs: 5_000_000,
    acc: counts(n, 0.1),
    gyr: counts(n, 1.3),
    ...over,
  };
}

function concat(a: Uint8Array, b: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function goldenVectors(): GoldenVector[] {
  const v: GoldenVector[] = [];
  const hip = (name: string, description: string, bytes: Uint8Array, canonical: boolean): void => {
    const result = decode(bytes);
    v.push({
      name,
      description,
      decoder: 'hipcue',
      bytes,
      expected: toJson(result),
      canonical,
      ...(result.type === 'imu' ? { physical: toJson(toPhysical(result)) } : {}),
    });
  };
  const frame = (name: string, description: string, f: HipcueFrame): Uint8Array => {
    const bytes = encode(f);
    hip(name, description, bytes, true);
    return bytes;
  };

  const normal = frame('imu_normal', 'IMU frame, 4 samples, 100 Hz, ±4 g, ±500 °/s', imu(4));
  frame(
    'imu_max_size',
    `IMU frame at ATT MTU ${ATT_MTU_MAX}: ${maxSamplesPerFrame(ATT_MTU_MAX)} samples`,
    imu(maxSamplesPerFrame(ATT_MTU_MAX), { rateCode: 7, accRangeCode: 3, gyrRangeCode: 4 }),
  );
  frame(
    'imu_min_mtu',
    `IMU frame at the default ATT MTU ${ATT_MTU_DEFAULT}: 1 sample, 20 bytes`,
    imu(maxSamplesPerFrame(ATT_MTU_DEFAULT), {
      rateCode: 0,
      accRangeCode: 0,
      gyrRangeCode: 0,
      seq: 0,
      sensorTimeUs: 0,
    }),
  );
  frame(
    'imu_wraparound',
    'IMU frame whose samples cross both wraps: seq 65534 → 1, time 2^32 − 15000 µs → 25000 µs',
    imu(4, { seq: 65534, sensorTimeUs: 0x1_0000_0000 - 15_000 }),
  );
  frame('imu_mag', 'IMU frame with MAG flag: 2 samples of 18 bytes', imu(2, { mag: counts(2, 2.9) }));
  frame('imu_backfill', 'IMU frame with BACKFILL flag (resent from history)', imu(3, { backfill: true, seq: 40000 }));
  const extremes = Int16Array.of(-32768, 32767, 0, -1, 1, -32767);
  frame('imu_extremes', 'IMU frame with int16 extremes', imu(2, { acc: extremes, gyr: extremes.slice().reverse() }));

  hip('imu_truncated', 'imu_normal cut to 15 bytes: less than one whole sample', normal.slice(0, 15), false);
  hip('imu_truncated_header', 'imu_normal cut to 5 bytes: header incomplete', normal.slice(0, 5), false);
  hip(
    'imu_padded',
    'imu_normal followed by 5 bytes: decoded, trailing bytes ignored and reported',
    concat(normal, [0xde, 0xad, 0xbe, 0xef, 0x00]),
    false,
  );
  const v2 = normal.slice();
  v2[0] = (v2[0]! & ~0x07) | 2;
  hip('imu_unknown_version', 'imu_normal with protocol version 2', v2, false);
  const reserved = normal.slice();
  reserved[0] = reserved[0]! | FLAG_RESERVED;
  hip('imu_reserved_flag', 'imu_normal with reserved header bit 7 set: ignored', reserved, false);
  const badGyr = normal.slice();
  badGyr[1] = (badGyr[1]! & 0x1f) | (6 << 5);
  hip('imu_invalid_gyro_range', 'imu_normal with gyro range code 6', badGyr, false);
  hip('unknown_type', 'header with frame type 3 (reserved)', Uint8Array.of(0x19, 0x00), false);
  hip('empty', 'zero bytes', new Uint8Array(0), false);

  const status: StatusFrame = {
    type: 'status',
    rateCode: 3,
    accRangeCode: 1,
    gyrRangeCode: 2,
    firmware: { major: 1, minor: 4, patch: 2 },
    batteryPct: 87,
    streaming: true,
    magEnabled: false,
    errorFlags: 0x0012,
  };
  const statusBytes = frame('status_normal', 'status: fw 1.4.2, 87 %, streaming, fifoOverflow + txOverflow', status);
  frame('status_battery_unknown', 'status before the first battery measurement', {
    ...status,
    batteryPct: null,
    streaming: false,
    magEnabled: true,
    errorFlags: 0,
  });
  const history = { ...status, history: { oldestSeq: 63000, samples: 2048, backfilling: true } };
  const historyBytes = frame(
    'status_history',
    'v1.1 status with history: 2048 samples from seq 63000, backfilling',
    history,
  );
  hip(
    'status_history_v10_view',
    'status_history as a v1.0 reader sees it: cut to 9 bytes',
    historyBytes.slice(0, 9),
    false,
  );
  hip(
    'status_padded',
    'status_history followed by 3 bytes (a later version appending fields)',
    concat(historyBytes, [1, 2, 3]),
    false,
  );
  hip(
    'status_short_history',
    'v1.0 status followed by 2 bytes: too short for history, so trailing',
    concat(statusBytes, [7, 7]),
    false,
  );
  const badBattery = statusBytes.slice();
  badBattery[5] = 150;
  hip('status_invalid_battery', 'status with battery 150 %', badBattery, false);
  hip('status_truncated', 'status cut to 6 bytes', statusBytes.slice(0, 6), false);

  const controls: Array<[string, ControlFrame]> = [
    ['control_start', { type: 'control', op: 'startStreaming' }],
    ['control_stop', { type: 'control', op: 'stopStreaming' }],
    ['control_set_rate', { type: 'control', op: 'setSampleRate', rateCode: 3 }],
    ['control_set_ranges', { type: 'control', op: 'setRanges', accRangeCode: 2, gyrRangeCode: 4 }],
    ['control_haptic', { type: 'control', op: 'haptic', intensityPct: 80, patternMs: [200, 100, 200] }],
    [
      'control_haptic_max',
      { type: 'control', op: 'haptic', intensityPct: 100, patternMs: [1, 2, 300, 400, 5000, 6000, 65535, 0] },
    ],
    ['control_identify', { type: 'control', op: 'identify', durationS: 5 }],
    ['control_set_mag', { type: 'control', op: 'setMagnetometer', enabled: true }],
    ['control_resend_from', { type: 'control', op: 'resendFrom', seq: 65000, count: 1500 }],
    ['control_resend_all', { type: 'control', op: 'resendFrom', seq: 12, count: 0 }],
  ];
  for (const [name, c] of controls) frame(name, `control ${c.op}`, c);
  hip('control_unknown_opcode', 'control opcode 0x7f', Uint8Array.of(0x11, 0x7f), false);
  hip(
    'control_haptic_truncated',
    'haptic announcing 3 steps with 2 present',
    Uint8Array.of(0x11, 0x05, 50, 3, 10, 0, 20, 0),
    false,
  );
  hip('control_invalid_rate', 'setSampleRate with rate code 9', Uint8Array.of(0x11, 0x03, 9), false);
  hip('control_padded', 'startStreaming followed by 2 bytes', Uint8Array.of(0x11, 0x01, 0xaa, 0xbb), false);

  const thingyRaw = (name: string, description: string, bytes: Uint8Array, canonical: boolean): void => {
    v.push({
      name,
      description,
      decoder: 'thingyRawMotion',
      bytes,
      expected: toJson(decodeThingyRawMotion(bytes)),
      canonical,
    });
  };
  const rest = encodeThingyRawMotion(
    thingyRawCountsFromPhysical([0.1, -0.2, 9.80665], [0.01, -0.02, 0.5], [22.5, -5, -40]),
  );
  thingyRaw('thingy_raw_rest', 'Thingy raw motion: lying flat, slow turn, field ~46 µT', rest, true);
  thingyRaw(
    'thingy_raw_saturated',
    'Thingy raw motion at the firmware clamp limits',
    encodeThingyRawMotion(thingyRawCountsFromPhysical([400, -400, 0], [40, -40, 0], [3000, -3000, 0])),
    true,
  );
  thingyRaw('thingy_raw_padded', 'Thingy raw motion followed by 2 bytes', concat(rest, [0, 0]), false);
  thingyRaw('thingy_raw_truncated', 'Thingy raw motion cut to 12 bytes', rest.slice(0, 12), false);

  const thingyCfg = (name: string, description: string, bytes: Uint8Array, canonical: boolean): void => {
    v.push({
      name,
      description,
      decoder: 'thingyMotionConfig',
      bytes,
      expected: toJson(decodeThingyMotionConfig(bytes)),
      canonical,
    });
  };
  thingyCfg(
    'thingy_config_default',
    'Thingy motion config, stock default (10 Hz)',
    encodeThingyMotionConfig(THINGY_DEFAULT_CONFIG),
    true,
  );
  const cfg100 = encodeThingyMotionConfig({
    ...THINGY_DEFAULT_CONFIG,
    motionProcessingFrequencyHz: 100,
    wakeOnMotion: false,
  });
  thingyCfg('thingy_config_100hz', 'Thingy motion config for 100 Hz raw data', cfg100, true);
  const bad = cfg100.slice();
  bad[6] = 201;
  thingyCfg('thingy_config_invalid_freq', 'Thingy motion config with 201 Hz (firmware refuses)', bad, false);
  thingyCfg('thingy_config_truncated', 'Thingy motion config cut to 8 bytes', cfg100.slice(0, 8), false);
  return v;
}

/** The .json file content for a vector (the .bin holds `bytes`). */
export function vectorJsonText(g: GoldenVector): string {
  const { bytes, ...rest } = g;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${JSON.stringify({ ...rest, length: bytes.length, hex }, null, 2)}\n`;
}
