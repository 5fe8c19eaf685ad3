import {
  type AccRangeCode,
  accLsbMps2,
  type GyrRangeCode,
  gyrLsbRadPerS,
  MAG_LSB_UT,
  type RateCode,
  samplePeriodUs,
} from './codes.ts';
import { EncodeError } from './errors.ts';
import { type ImuFrame, TIME_MODULUS } from './imuFrame.ts';

export type Vec3 = [number, number, number];

/** One IMU sample in SI units (sensor frame S, see docs/frames.md). */
export interface PhysicalSample {
  /** Sequence number, as in the frame (uint16) or unwrapped (StreamReconstructor). */
  seq: number;
  /** Sensor clock at this sample, µs: wrapped uint32 from toPhysical, unwrapped from StreamReconstructor. */
  sensorTimeUs: number;
  /** Specific force, m/s². */
  accMps2: Vec3;
  /** Angular rate, rad/s. */
  gyrRadPerS: Vec3;
  /** Magnetic field, µT, when the frame carries it. */
  magUt?: Vec3;
}

/**
 * Converts a frame's raw counts to SI units with the frame's own range codes.
 * Sample i gets seq (seq + i) mod 2^16 and time (sensorTimeUs + i · period) mod 2^32 (nominal period of the rate code).
 */
export function toPhysical(frame: ImuFrame): PhysicalSample[] {
  const n = frame.acc.length / 3;
  const a = accLsbMps2(frame.accRangeCode);
  const g = gyrLsbRadPerS(frame.gyrRangeCode);
  const period = samplePeriodUs(frame.rateCode);
  const out: PhysicalSample[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const j = 3 * i;
    const s: PhysicalSample = {
      seq: (frame.seq + i) & 0xffff,
      sensorTimeUs: (frame.sensorTimeUs + i * period) % TIME_MODULUS,
      accMps2: [frame.acc[j]! * a, frame.acc[j + 1]! * a, frame.acc[j + 2]! * a],
      gyrRadPerS: [frame.gyr[j]! * g, frame.gyr[j + 1]! * g, frame.gyr[j + 2]! * g],
    };
    if (frame.mag !== undefined) {
      s.magUt = [frame.mag[j]! * MAG_LSB_UT, frame.mag[j + 1]! * MAG_LSB_UT, frame.mag[j + 2]! * MAG_LSB_UT];
    }
    out[i] = s;
  }
  return out;
}

/** Rounds to the nearest count and saturates to int16, as a sensor ADC would. */
export function quantize(value: number, lsb: number): number {
  const c = Math.round(value / lsb);
  return Math.min(32767, Math.max(-32768, c));
}

export interface PhysicalFrameInput {
  seq: number;
  sensorTimeUs: number;
  rateCode: RateCode;
  accRangeCode: AccRangeCode;
  gyrRangeCode: GyrRangeCode;
  backfill?: boolean;
  samples: ReadonlyArray<{ accMps2: Readonly<Vec3>; gyrRadPerS: Readonly<Vec3>; magUt?: Readonly<Vec3> }>;
}

/**
 * Builds an IMU frame from SI samples (what the simulator and test peripherals do): quantizes with the range codes,
 * saturating at int16 like a real IMU. Magnetometer data is included iff every sample has `magUt`.
 */
export function imuFrameFromPhysical(input: PhysicalFrameInput): ImuFrame {
  const n = input.samples.length;
  if (n < 1) throw new EncodeError('samples', 'needs at least one sample');
  const a = accLsbMps2(input.accRangeCode);
  const g = gyrLsbRadPerS(input.gyrRangeCode);
  const withMag = input.samples.every((s) => s.magUt !== undefined);
  const acc = new Int16Array(3 * n);
  const gyr = new Int16Array(3 * n);
  const mag = withMag ? new Int16Array(3 * n) : undefined;
  input.samples.forEach((s, i) => {
    for (let k = 0; k < 3; k++) {
      acc[3 * i + k] = quantize(s.accMps2[k]!, a);
      gyr[3 * i + k] = quantize(s.gyrRadPerS[k]!, g);
      if (mag !== undefined) mag[3 * i + k] = quantize(s.magUt![k]!, MAG_LSB_UT);
    }
  });
  return {
    type: 'imu',
    backfill: input.backfill ?? false,
    rateCode: input.rateCode,
    accRangeCode: input.accRangeCode,
    gyrRangeCode: input.gyrRangeCode,
    seq: input.seq,
    sensorTimeUs: input.sensorTimeUs,
    acc,
    gyr,
    ...(mag !== undefined ? { mag } : {}),
  };
}
