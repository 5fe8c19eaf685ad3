import { encodeThingyRawMotion, THINGY_UUIDS, thingyRawCountsFromPhysical } from '@hipcue/firmware-protocol';
import { describe, expect, it } from 'vitest';
import type { ProfileEvent } from './sensorProfile.ts';
import { thingy52Profile } from './thingy52Profile.ts';

const RAW = THINGY_UUIDS.rawData.noble;
const bytes = encodeThingyRawMotion(thingyRawCountsFromPhysical([0, 0, 9.81], [0, 0, 0], [0, 0, 0]));

/** 100 Hz samples delivered in connection-event bursts (every 30 ms, 0–6 ms late), with a 1 s hole at 5 s. */
function arrivals(): number[] {
  const out: number[] = [];
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let k = 0; k < 1000; k++) {
    const measuredUs = 1_000_000 + k * 10_000 * 1.004; // the Thingy's clock runs 0.4 % slow
    if (measuredUs > 6_000_000 && measuredUs < 7_000_000) continue;
    const event = Math.ceil(measuredUs / 30_000) * 30_000;
    out.push(event + Math.floor(rnd() * 6000));
  }
  return out;
}

describe('Thingy:52 raw motion decoder', () => {
  it('puts burst-delivered samples on an even time grid and reports a hole as lost samples', () => {
    const d = thingy52Profile({ sampleRateHz: 100 }).createDecoder();
    const events: ProfileEvent[] = [];
    for (const t of arrivals())
      events.push(
        ...d.decode({
          id: 'thingy',
          serviceUuid: THINGY_UUIDS.motionService.noble,
          hostTimeUs: t,
          characteristicUuid: RAW,
          data: bytes,
        }),
      );
    const times = events.flatMap((e) => (e.type === 'samples' ? e.samples.map((s) => s.sensorTimeUs) : []));
    const gaps = events.flatMap((e) => (e.type === 'gap' ? [e] : []));
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.lostSamples).toBeGreaterThan(95);
    expect(gaps[0]!.lostSamples).toBeLessThan(103);
    const dts = times.slice(1).map((t, i) => t - times[i]!);
    expect(dts.every((dt) => dt > 0)).toBe(true);
    // after the first 20 samples (the grid settles on the earliest arrivals), steps stay within 1 ms of the
    // period away from the hole, though arrival times jitter by up to 36 ms
    const steady = dts.slice(20).filter((dt) => dt < 100_000);
    expect(Math.max(...steady.map((dt) => Math.abs(dt - 10_000)))).toBeLessThan(1_000);
  });
});
