/**
 * Field codes shared by every hipcue frame: sample rate, full-scale ranges and their exact SI scaling.
 * PROTOCOL.md § "Codes and scaling" is the source of truth; this file implements it.
 */

/** Standard gravity used to turn g into m/s². */
export const STANDARD_GRAVITY_MPS2 = 9.80665;

/** Rate code 0..7: sample rate = 12.5 Hz · 2^code (12.5, 25, 50, 100, 200, 400, 800, 1600 Hz). */
export type RateCode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** Accelerometer range code 0..3: ±2, ±4, ±8, ±16 g. */
export type AccRangeCode = 0 | 1 | 2 | 3;
/** Gyroscope range code 0..4: ±125, ±250, ±500, ±1000, ±2000 °/s. Codes 5..7 are invalid. */
export type GyrRangeCode = 0 | 1 | 2 | 3 | 4;

export const RATE_CODE_MAX = 7;
export const ACC_RANGE_CODE_MAX = 3;
export const GYR_RANGE_CODE_MAX = 4;

/** Sample period in µs for a rate code: 80000 / 2^code (exact integers, 80000 .. 625). */
export function samplePeriodUs(rateCode: RateCode): number {
  return 80_000 / 2 ** rateCode;
}

/** Sample rate in Hz for a rate code. */
export function sampleRateHz(rateCode: RateCode): number {
  return 12.5 * 2 ** rateCode;
}

/** The rate code whose rate equals `hz` exactly, or undefined. */
export function rateCodeForHz(hz: number): RateCode | undefined {
  for (let code = 0; code <= RATE_CODE_MAX; code++) {
    if (sampleRateHz(code as RateCode) === hz) return code as RateCode;
  }
  return undefined;
}

/** Accelerometer full scale in g for a range code: 2 · 2^code. */
export function accRangeG(code: AccRangeCode): number {
  return 2 * 2 ** code;
}

/** Gyroscope full scale in °/s for a range code: 125 · 2^code. */
export function gyrRangeDps(code: GyrRangeCode): number {
  return 125 * 2 ** code;
}

/** m/s² per accelerometer LSB: rangeG / 32768 · 9.80665. */
export function accLsbMps2(code: AccRangeCode): number {
  return (accRangeG(code) / 32768) * STANDARD_GRAVITY_MPS2;
}

/** rad/s per gyroscope LSB: rangeDps / 32768 · π / 180. */
export function gyrLsbRadPerS(code: GyrRangeCode): number {
  return ((gyrRangeDps(code) / 32768) * Math.PI) / 180;
}

/** µT per magnetometer LSB (fixed, range-independent): 1/16 µT, so ±2048 µT full scale. */
export const MAG_LSB_UT = 1 / 16;

export function isRateCode(x: number): x is RateCode {
  return Number.isInteger(x) && x >= 0 && x <= RATE_CODE_MAX;
}
export function isAccRangeCode(x: number): x is AccRangeCode {
  return Number.isInteger(x) && x >= 0 && x <= ACC_RANGE_CODE_MAX;
}
export function isGyrRangeCode(x: number): x is GyrRangeCode {
  return Number.isInteger(x) && x >= 0 && x <= GYR_RANGE_CODE_MAX;
}
