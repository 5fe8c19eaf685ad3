import { OrientationFilter } from './orientationFilter.ts';
import type { OrientationSettings } from './settings.ts';

/**
 * Runs a fresh filter over a whole recording. `tS` seconds (n), `gyr` rad/s, `acc` m/s², optional `mag` µT, each 3n
 * interleaved x,y,z in the sensor frame. Returns 4n quaternions [w,x,y,z] (sensor → earth, ENU z-up), one per sample.
 * Throws a RangeError only for mismatched array lengths (a programming error, not bad data).
 */
export function orientBatch(
  tS: Float64Array,
  gyr: Float64Array | Float32Array,
  acc: Float64Array | Float32Array,
  mag?: Float64Array | Float32Array,
  settings?: Partial<OrientationSettings>,
): Float64Array {
  const n = tS.length;
  if (gyr.length !== 3 * n || acc.length !== 3 * n || (mag !== undefined && mag.length !== 3 * n)) {
    throw new RangeError(
      `orientBatch: expected 3·${n} gyro/acc/mag values, got ${gyr.length}/${acc.length}/${mag?.length ?? '-'}`,
    );
  }
  const filter = new OrientationFilter(settings);
  const out = new Float64Array(4 * n);
  const q = filter.q;
  let tPrev = n > 0 ? tS[0]! : 0;
  for (let i = 0; i < n; i++) {
    const t = tS[i]!;
    const dt = t - tPrev;
    tPrev = t;
    const j = 3 * i;
    if (mag === undefined) {
      filter.next(dt, gyr[j]!, gyr[j + 1]!, gyr[j + 2]!, acc[j]!, acc[j + 1]!, acc[j + 2]!);
    } else {
      filter.next(
        dt,
        gyr[j]!,
        gyr[j + 1]!,
        gyr[j + 2]!,
        acc[j]!,
        acc[j + 1]!,
        acc[j + 2]!,
        mag[j]!,
        mag[j + 1]!,
        mag[j + 2]!,
      );
    }
    const k = 4 * i;
    out[k] = q[0]!;
    out[k + 1] = q[1]!;
    out[k + 2] = q[2]!;
    out[k + 3] = q[3]!;
  }
  return out;
}
