/** fast-check arbitraries for every valid frame (used by property tests; not exported from the package). */
import fc from 'fast-check';
import type { AccRangeCode, GyrRangeCode, RateCode } from './codes.ts';
import { type ControlFrame, HAPTIC_MAX_STEPS } from './controlFrame.ts';
import { type ImuFrame, maxSamplesPerFrame } from './imuFrame.ts';
import type { StatusFrame } from './statusFrame.ts';
import type { ThingyMotionConfig, ThingyRawCounts } from './thingy.ts';

export const rateCode = fc.integer({ min: 0, max: 7 }) as fc.Arbitrary<RateCode>;
export const accRangeCode = fc.integer({ min: 0, max: 3 }) as fc.Arbitrary<AccRangeCode>;
export const gyrRangeCode = fc.integer({ min: 0, max: 4 }) as fc.Arbitrary<GyrRangeCode>;
const int16 = fc.integer({ min: -32768, max: 32767 });
const vec3 = fc.tuple(int16, int16, int16);

export const imuFrame: fc.Arbitrary<ImuFrame> = fc
  .tuple(fc.integer({ min: 1, max: maxSamplesPerFrame(517) }), fc.boolean())
  .chain(([n, withMag]) => {
    const counts = fc.int16Array({ minLength: 3 * n, maxLength: 3 * n });
    return fc.record({
      type: fc.constant('imu' as const),
      backfill: fc.boolean(),
      rateCode,
      accRangeCode,
      gyrRangeCode,
      seq: fc.integer({ min: 0, max: 0xffff }),
      sensorTimeUs: fc.integer({ min: 0, max: 0xffff_ffff }),
      acc: counts,
      gyr: counts,
      mag: withMag ? counts : fc.constant(undefined),
    });
  })
  .map(({ mag, ...rest }) => (mag === undefined ? rest : { ...rest, mag }));

export const statusFrame: fc.Arbitrary<StatusFrame> = fc
  .record({
    type: fc.constant('status' as const),
    rateCode,
    accRangeCode,
    gyrRangeCode,
    firmware: fc.record({
      major: fc.integer({ min: 0, max: 255 }),
      minor: fc.integer({ min: 0, max: 255 }),
      patch: fc.integer({ min: 0, max: 255 }),
    }),
    batteryPct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    streaming: fc.boolean(),
    magEnabled: fc.boolean(),
    errorFlags: fc.integer({ min: 0, max: 0xffff }),
    history: fc.option(
      fc.record({
        oldestSeq: fc.integer({ min: 0, max: 0xffff }),
        samples: fc.integer({ min: 0, max: 0xffff }),
        backfilling: fc.boolean(),
      }),
      { nil: undefined },
    ),
  })
  .map(({ history, ...rest }) => (history === undefined ? rest : { ...rest, history }));

export const controlFrame: fc.Arbitrary<ControlFrame> = fc.oneof(
  fc.constant({ type: 'control', op: 'startStreaming' } as const),
  fc.constant({ type: 'control', op: 'stopStreaming' } as const),
  rateCode.map((c) => ({ type: 'control', op: 'setSampleRate', rateCode: c }) as const),
  fc
    .tuple(accRangeCode, gyrRangeCode)
    .map(([a, g]) => ({ type: 'control', op: 'setRanges', accRangeCode: a, gyrRangeCode: g }) as const),
  fc
    .tuple(
      fc.integer({ min: 0, max: 100 }),
      fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: HAPTIC_MAX_STEPS }),
    )
    .map(([intensityPct, patternMs]) => ({ type: 'control', op: 'haptic', intensityPct, patternMs }) as const),
  fc.integer({ min: 0, max: 255 }).map((durationS) => ({ type: 'control', op: 'identify', durationS }) as const),
  fc.boolean().map((enabled) => ({ type: 'control', op: 'setMagnetometer', enabled }) as const),
  fc
    .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }))
    .map(([seq, count]) => ({ type: 'control', op: 'resendFrom', seq, count }) as const),
);

export const thingyCounts: fc.Arbitrary<ThingyRawCounts> = fc.record({ acc: vec3, gyr: vec3, mag: vec3 });

const interval = fc.integer({ min: 100, max: 5000 });
export const thingyConfig: fc.Arbitrary<ThingyMotionConfig> = fc.record({
  type: fc.constant('thingyMotionConfig' as const),
  pedometerIntervalMs: interval,
  temperatureCompensationIntervalMs: interval,
  magnetometerCompensationIntervalMs: interval,
  motionProcessingFrequencyHz: fc.integer({ min: 1, max: 200 }),
  wakeOnMotion: fc.boolean(),
});
