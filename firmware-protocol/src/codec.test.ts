import { describe, expect, it } from 'vitest';
import { encodeControlFrame } from './controlFrame.ts';
import { decode, encode } from './decode.ts';
import { EncodeError } from './errors.ts';
import { encodeImuFrame, type ImuFrame, maxSamplesPerFrame } from './imuFrame.ts';
import { imuFrameFromPhysical, toPhysical } from './physical.ts';
import { statusErrorNames } from './statusFrame.ts';
import { decodeThingyRawMotion, encodeThingyRawMotion, thingyRawCountsFromPhysical } from './thingy.ts';
import { HIPCUE_UUIDS, STANDARD_UUIDS } from './uuids.ts';

const g = 9.80665;
const frame = (over: Partial<ImuFrame> = {}): ImuFrame => ({
  type: 'imu',
  backfill: false,
  rateCode: 3,
  accRangeCode: 1,
  gyrRangeCode: 4,
  seq: 7,
  sensorTimeUs: 1000,
  acc: Int16Array.of(16384, -32768, 0),
  gyr: Int16Array.of(16384, 0, -16384),
  ...over,
});

describe('IMU frame', () => {
  it('lays out header fields little-endian at the documented offsets', () => {
    const b = encodeImuFrame(frame({ seq: 0x1234, sensorTimeUs: 0xdeadbeef, backfill: true }));
    expect(Array.from(b.subarray(0, 8))).toEqual([0x41, 3 | (1 << 3) | (4 << 5), 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde]);
    expect(Array.from(b.subarray(8, 10))).toEqual([0x00, 0x40]); // 16384 LE
  });

  it('scales counts to SI with the frame range codes (independent hand values)', () => {
    const [s] = toPhysical(frame());
    // ±4 g: 16384 counts = 2 g; -32768 = -4 g. ±2000 °/s: 16384 counts = 1000 °/s.
    expect(s!.accMps2[0]).toBeCloseTo(2 * g, 12);
    expect(s!.accMps2[1]).toBeCloseTo(-4 * g, 12);
    expect(s!.gyrRadPerS[0]).toBeCloseTo((1000 * Math.PI) / 180, 12);
    expect(s!.gyrRadPerS[2]).toBeCloseTo((-1000 * Math.PI) / 180, 12);
  });

  it('quantizes SI input with saturation and round-trips within half an LSB', () => {
    const f = imuFrameFromPhysical({
      seq: 1,
      sensorTimeUs: 2,
      rateCode: 3,
      accRangeCode: 0,
      gyrRangeCode: 0,
      samples: [{ accMps2: [0.5, -100, 100], gyrRadPerS: [0.3, -10, 10], magUt: [12.34, -50, 0] }],
    });
    expect(Array.from(f.acc.subarray(1))).toEqual([-32768, 32767]);
    expect(Array.from(f.gyr.subarray(1))).toEqual([-32768, 32767]);
    const [s] = toPhysical(f);
    expect(Math.abs(s!.accMps2[0] - 0.5)).toBeLessThanOrEqual(((2 / 32768) * g) / 2);
    expect(Math.abs(s!.magUt![0] - 12.34)).toBeLessThanOrEqual(1 / 32);
  });

  it('fits one sample in the default MTU and 42 in the largest', () => {
    expect(maxSamplesPerFrame(23)).toBe(1);
    expect(encodeImuFrame(frame()).length).toBe(20);
    expect(maxSamplesPerFrame(22)).toBe(0);
    expect(maxSamplesPerFrame(517)).toBe(42);
    expect(maxSamplesPerFrame(9999)).toBe(42);
  });

  it('decode errors name code, offset and value', () => {
    expect(decode(Uint8Array.of(0x01, 0x00, 0x00))).toMatchObject({ type: 'error', code: 'truncated', offset: 3 });
    const bad = encodeImuFrame(frame());
    bad[1] = 7 << 5;
    expect(decode(bad)).toMatchObject({ code: 'invalid-field', offset: 1, value: 7 });
    expect(decode(Uint8Array.of(0x00))).toMatchObject({ code: 'unknown-version', offset: 0, value: 0 });
    expect(decode(Uint8Array.of(0x11, 0x99))).toMatchObject({ code: 'unknown-opcode', offset: 1, value: 0x99 });
    const msg = decode(Uint8Array.of(0x11, 0x99));
    expect(msg.type === 'error' && msg.message).toContain('0x99');
  });

  it('encoders refuse unrepresentable frames with EncodeError naming the field', () => {
    expect(() => encodeImuFrame(frame({ seq: 65536 }))).toThrow(EncodeError);
    expect(() => encodeImuFrame(frame({ acc: new Int16Array(0), gyr: new Int16Array(0) }))).toThrow(/acc/);
    expect(() => encodeControlFrame({ type: 'control', op: 'haptic', intensityPct: 50, patternMs: [] })).toThrow(
      /patternMs/,
    );
    expect(() => encodeControlFrame({ type: 'control', op: 'haptic', intensityPct: 101, patternMs: [1] })).toThrow(
      /intensityPct/,
    );
  });
});

describe('status and control', () => {
  it('maps battery 255 to null and names error bits', () => {
    const bytes = encode({
      type: 'status',
      rateCode: 3,
      accRangeCode: 1,
      gyrRangeCode: 2,
      firmware: { major: 2, minor: 0, patch: 1 },
      batteryPct: null,
      streaming: true,
      magEnabled: false,
      errorFlags: 0x0011,
    });
    expect(bytes[5]).toBe(0xff);
    const d = decode(bytes);
    expect(d.type === 'status' && d.batteryPct).toBeNull();
    expect(statusErrorNames(0x0011)).toEqual(['imuFault', 'txOverflow']);
  });

  it('every control command fits the default MTU payload of 20 bytes', () => {
    const longest = encodeControlFrame({
      type: 'control',
      op: 'haptic',
      intensityPct: 100,
      patternMs: Array(8).fill(65535),
    });
    expect(longest.length).toBe(20);
  });
});

describe('Thingy:52', () => {
  it('scales Q6.10 g, Q11.5 °/s, Q12.4 µT', () => {
    const d = decodeThingyRawMotion(
      encodeThingyRawMotion({ acc: [1024, -512, 0], gyr: [32, -3200, 0], mag: [16, -8, 0] }),
    );
    if (d.type !== 'thingyRawMotion') throw new Error(d.message);
    expect(d.accMps2).toEqual([g, -g / 2, 0]);
    expect(d.gyrRadPerS[0]).toBeCloseTo(Math.PI / 180, 15);
    expect(d.gyrRadPerS[1]).toBeCloseTo((-100 * Math.PI) / 180, 12);
    expect(d.magUt).toEqual([1, -0.5, 0]);
  });

  it('clamps like m_motion.c: acc at 31 g, gyro at 1023 °/s', () => {
    const c = thingyRawCountsFromPhysical([40 * g, -40 * g, 31.5 * g], [(2000 * Math.PI) / 180, 0, 0], [0, 0, 0]);
    expect(c.acc).toEqual([31 * 1024, -32 * 1024, 31 * 1024]);
    expect(c.gyr[0]).toBe(1023 * 32);
  });
});

describe('UUIDs', () => {
  it('exports dashed and noble forms', () => {
    expect(HIPCUE_UUIDS.imuData.dashed).toBe('7A1E0002-4F8C-4D6E-9C2A-686970637565');
    expect(HIPCUE_UUIDS.imuData.noble).toBe('7a1e00024f8c4d6e9c2a686970637565');
    expect(STANDARD_UUIDS.batteryLevel.noble).toBe('2a19');
    expect(STANDARD_UUIDS.deviceInformation.dashed).toBe('0000180A-0000-1000-8000-00805F9B34FB');
  });
});
