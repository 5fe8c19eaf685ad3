import { CH } from './body.ts';
import type { Builder } from './builder.ts';
import type { Rng } from './prng.ts';
import { DEG } from './quat.ts';
import type { FaultCode, FaultTruth } from './types.ts';

/** Phase times (session s) and durations of one rep. */
export interface RepPhases {
  t0: number;
  peakS: number;
  downStart: number;
  endS: number;
  upS: number;
  holdS: number;
  downS: number;
}

/**
 * Adds a rep's fault to the script and returns its truth label (README § Faults: what the pelvis does, how much,
 * when). Angular faults ramp out on their own channel and come back during the eccentric.
 */
export function injectFault(
  b: Builder,
  f: FaultCode | undefined,
  ph: RepPhases,
  romDeg: number,
  romFrac: number,
  rng: Rng,
): FaultTruth[] {
  if (f === 'lumbar_arch') {
    const m = rng.uniform(8, 20);
    const s = ph.peakS - ph.upS * rng.uniform(0, 0.3);
    const e = Math.min(s + rng.uniform(0.3, 0.7), ph.downStart);
    b.faultRamp(CH.arch, s, e, m * DEG);
    b.faultRamp(CH.arch, ph.downStart, ph.downStart + 0.7 * ph.downS, -m * DEG);
    return [{ code: f, startS: s, fullS: e, magnitude: m, unit: 'deg' }];
  } else if (f === 'pelvic_drop') {
    const m = rng.uniform(6, 15);
    const s = ph.t0 + ph.upS * rng.uniform(0.3, 0.8);
    const e = Math.min(s + rng.uniform(0.3, 0.6), ph.downStart);
    b.faultRamp(CH.drop, s, e, m * DEG);
    b.faultRamp(CH.drop, ph.downStart, ph.downStart + 0.8 * ph.downS, -m * DEG);
    return [{ code: f, startS: s, fullS: e, magnitude: m, unit: 'deg' }];
  } else if (f === 'pelvic_roll') {
    const m = rng.uniform(8, 25);
    const s = ph.t0 + ph.upS * rng.uniform(0, 0.4);
    const e = Math.min(s + ph.upS * rng.uniform(0.6, 1.0), ph.downStart);
    b.faultRamp(CH.roll, s, e, m * DEG);
    b.faultRamp(CH.roll, ph.downStart, ph.endS, -m * DEG);
    return [{ code: f, startS: s, fullS: e, magnitude: m, unit: 'deg' }];
  } else if (f === 'hip_sag') {
    const m = Math.min(rng.uniform(8, 15), 0.7 * romDeg);
    const s = ph.peakS + ph.holdS * rng.uniform(0.2, 0.45);
    const e = s + (ph.downStart - s) * rng.uniform(0.5, 0.9);
    b.faultRamp(CH.sag, s, e, m * DEG);
    b.faultRamp(CH.sag, ph.downStart, ph.endS, -m * DEG);
    return [{ code: f, startS: s, fullS: e, magnitude: m, unit: 'deg' }];
  } else if (f === 'partial_range') {
    return [{ code: f, startS: ph.t0, magnitude: 100 * romFrac, unit: '%' }];
  } else if (f === 'rushed_tempo') {
    return [{ code: f, startS: ph.t0, magnitude: ph.upS + ph.downS, unit: 's' }];
  }
  return [];
}
