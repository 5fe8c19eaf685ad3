import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateCode } from './codes.ts';
import type { ImuFrame } from './imuFrame.ts';
import { type ReconstructedSample, type ReconstructorEvent, StreamReconstructor } from './StreamReconstructor.ts';

/** A sensor that numbers samples from startSeq/startTimeUs and packs n per frame; sample k has acc x = k mod 30000. */
function makeFrames(
  count: number,
  n: number,
  startSeq: number,
  startTimeUs: number,
  rateCode: RateCode = 3,
): ImuFrame[] {
  const period = 80_000 / 2 ** rateCode;
  const frames: ImuFrame[] = [];
  for (let f = 0; f < count; f++) {
    const k0 = f * n;
    const acc = new Int16Array(3 * n);
    for (let i = 0; i < n; i++) acc[3 * i] = (k0 + i) % 30000;
    frames.push({
      type: 'imu',
      backfill: false,
      rateCode,
      accRangeCode: 0,
      gyrRangeCode: 0,
      seq: (startSeq + k0) % 0x10000,
      sensorTimeUs: (startTimeUs + k0 * period) % 0x1_0000_0000,
      acc,
      gyr: new Int16Array(3 * n),
    });
  }
  return frames;
}

function run(r: StreamReconstructor, frames: ImuFrame[]): ReconstructorEvent[] {
  return [...frames.flatMap((f) => r.feed(f)), ...r.flush()];
}

function samplesOf(events: ReconstructorEvent[]): ReconstructedSample[] {
  return events.flatMap((e) => (e.type === 'samples' ? e.samples : []));
}

const accLsb = (2 / 32768) * 9.80665;
const indexOf = (s: ReconstructedSample) => Math.round(s.accMps2[0] / accLsb);

describe('StreamReconstructor', () => {
  it('unwraps seq and time across both wraparounds into monotonic values', () => {
    // Starts 100 samples before the seq wrap and 1 s before the time wrap; 3000 samples at 100 Hz.
    const frames = makeFrames(300, 10, 0xffff - 99, 0x1_0000_0000 - 1_000_000);
    const out = samplesOf(run(new StreamReconstructor(), frames));
    expect(out).toHaveLength(3000);
    // NOTE: one assertion over all samples; thousands of expect() calls dominate the run time on a loaded CI box.
    const wrong = out.filter(
      (s, k) =>
        s.seq !== 0xffff - 99 + k || s.sensorTimeUs !== 0x1_0000_0000 - 1_000_000 + k * 10_000 || indexOf(s) !== k,
    );
    expect(wrong).toEqual([]);
  });

  it('drops duplicates and reorders within the window without reporting gaps', () => {
    const frames = makeFrames(20, 4, 500, 0);
    const arrival = [
      frames[0]!,
      frames[2]!,
      frames[1]!,
      frames[1]!,
      frames[3]!,
      frames[5]!,
      frames[4]!,
      ...frames.slice(5),
    ];
    const r = new StreamReconstructor();
    const events = run(r, arrival);
    expect(events.filter((e) => e.type === 'gap')).toEqual([]);
    expect(samplesOf(events).map(indexOf)).toEqual(Array.from({ length: 80 }, (_, k) => k));
    expect(r.stats.duplicateSamples).toBe(4 + 4); // frame 1 twice, frame 5 twice
    expect(r.stats.reorderedFrames).toBe(2);
  });

  it('reports a lost frame as a typed gap once the reorder window is exceeded', () => {
    const frames = makeFrames(12, 5, 65530, 123);
    const arrival = frames.filter((_, i) => i !== 3);
    const r = new StreamReconstructor({ reorderWindowFrames: 2 });
    const events = arrival.flatMap((f) => r.feed(f));
    const gaps = events.filter((e) => e.type === 'gap');
    expect(gaps).toEqual([
      {
        type: 'gap',
        fromSeq: 65545,
        toSeq: 65549,
        lostSamples: 5,
        fromTimeUs: 123 + 15 * 10_000,
        toTimeUs: 123 + 19 * 10_000,
      },
    ]);
    // The gap comes between the samples before and after it.
    const order = events.flatMap(
      (e): Array<number | 'gap'> => (e.type === 'gap' ? ['gap'] : e.type === 'samples' ? e.samples.map(indexOf) : []),
    );
    expect(order.indexOf('gap')).toBe(15);
    expect(r.stats.lostSamples).toBe(5);
  });

  it('turns a late frame into a recovered event that fills its gap', () => {
    const frames = makeFrames(10, 2, 0, 0);
    const r = new StreamReconstructor({ reorderWindowFrames: 1 });
    const events = run(r, [...frames.filter((_, i) => i !== 2), frames[2]!]);
    expect(events.find((e) => e.type === 'gap')).toMatchObject({ fromSeq: 4, toSeq: 5, lostSamples: 2 });
    const rec = events.find((e) => e.type === 'recovered');
    expect(rec?.type === 'recovered' && rec.samples.map((s) => s.seq)).toEqual([4, 5]);
    expect(r.stats.lostSamples).toBe(0);
    expect(r.stats.recoveredSamples).toBe(2);
    // A second copy is a duplicate, not another recovery.
    expect(r.feed(frames[2]!)).toEqual([]);
    expect(r.stats.duplicateSamples).toBe(2);
  });

  it('uses the timestamp to count a loss longer than the 16-bit seq range', () => {
    // 100 Hz: 70000 lost samples is 700 s; seq alone would say 70000 - 65536 = 4464.
    const before = makeFrames(3, 4, 10, 5_000_000);
    const after = makeFrames(3, 4, (10 + 12 + 70_000) % 0x10000, 5_000_000 + (12 + 70_000) * 10_000);
    const r = new StreamReconstructor({ reorderWindowFrames: 0 });
    const gaps = run(r, [...before, ...after]).filter((e) => e.type === 'gap');
    expect(gaps).toEqual([expect.objectContaining({ fromSeq: 22, toSeq: 22 + 69_999, lostSamples: 70_000 })]);
  });

  it('treats a far backwards jump as a sensor restart and keeps numbering monotonic', () => {
    const first = makeFrames(5, 4, 30_000, 900_000_000);
    const second = makeFrames(5, 4, 0, 0);
    const events = run(new StreamReconstructor(), [...first, ...second]);
    expect(events.filter((e) => e.type === 'restart')).toEqual([{ type: 'restart', atSeq: 30_020 }]);
    const seqs = samplesOf(events).map((s) => s.seq);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, k) => 30_000 + k));
    const times = samplesOf(events).map((s) => s.sensorTimeUs);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
  });

  it('counts samples older than the first frame as before-start, not as duplicates', () => {
    const frames = makeFrames(3, 2, 100, 0);
    const r = new StreamReconstructor();
    const out = samplesOf(run(r, [frames[1]!, frames[0]!, frames[2]!]));
    expect(out.map((s) => s.seq)).toEqual([102, 103, 104, 105]);
    expect(r.stats.beforeStartSamples).toBe(2);
    expect(r.stats.duplicateSamples).toBe(0);
  });

  it('detects a reboot after a few seconds of uptime, but not old backfill frames', () => {
    const first = makeFrames(100, 4, 0, 0); // 4 s of data
    const reboot = makeFrames(5, 4, 0, 0); // the sensor starts again from seq 0, time 0
    const events = run(new StreamReconstructor(), [...first, ...reboot]);
    expect(events.filter((e) => e.type === 'restart')).toEqual([{ type: 'restart', atSeq: 400 }]);
    expect(samplesOf(events).map((s) => s.seq)).toEqual(Array.from({ length: 420 }, (_, k) => k));

    const r = new StreamReconstructor();
    run(r, first);
    const resent = r.feed({ ...first[0]!, backfill: true });
    expect(resent).toEqual([]);
    expect(r.stats).toMatchObject({ restarts: 0, duplicateSamples: 4 });
  });

  it('keeps the new period after a rate change', () => {
    const a = makeFrames(2, 3, 0, 0, 3); // 100 Hz: 6 samples, last at 50 ms
    const b = makeFrames(2, 3, 6, 60_000, 4); // 200 Hz from 60 ms
    const out = samplesOf(run(new StreamReconstructor(), [...a, ...b]));
    expect(out.map((s) => s.sensorTimeUs)).toEqual([0, 1e4, 2e4, 3e4, 4e4, 5e4, 6e4, 6.5e4, 7e4, 7.5e4, 8e4, 8.5e4]);
  });
});

describe('StreamReconstructor under a random lossy, duplicating, reordering link', { timeout: 60_000 }, () => {
  it('emits every delivered sample exactly once, in order, and counts exactly the undelivered ones as lost', () => {
    fc.assert(
      fc.property(
        fc.record({
          sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 5, maxLength: 120 }),
          startSeq: fc.integer({ min: 0, max: 0xffff }),
          startTimeUs: fc.integer({ min: 0, max: 0xffff_ffff }),
          fate: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 120, maxLength: 120 }),
          window: fc.integer({ min: 0, max: 6 }),
        }),
        ({ sizes, startSeq, startTimeUs, fate, window }) => {
          // Truth: frames of varying size over one continuous 100 Hz stream.
          const frames: ImuFrame[] = [];
          let k = 0;
          for (const n of sizes) {
            const acc = new Int16Array(3 * n);
            for (let i = 0; i < n; i++) acc[3 * i] = k + i;
            frames.push({
              ...makeFrames(1, n, (startSeq + k) % 0x10000, (startTimeUs + k * 10_000) % 0x1_0000_0000)[0]!,
              acc,
            });
            k += n;
          }
          // Channel: frame 0 always first; others dropped (10 %), duplicated (10 %), or swapped with the next (10 %).
          const arrival: ImuFrame[] = [frames[0]!];
          for (let i = 1; i < frames.length; i++) {
            const f = fate[i]! % 10;
            if (f === 0) continue;
            arrival.push(frames[i]!);
            if (f === 1) arrival.push(frames[i]!);
            if (f === 2 && arrival.length >= 3) arrival.splice(-2, 2, arrival.at(-1)!, arrival.at(-2)!);
          }
          const delivered = new Set(
            arrival.flatMap((f) => Array.from({ length: f.acc.length / 3 }, (_, i) => f.acc[3 * i]!)),
          );
          const r = new StreamReconstructor({ reorderWindowFrames: window, rememberedGaps: 1000 });
          const events = run(r, arrival);

          const inOrder = samplesOf(events).map(indexOf);
          expect(inOrder.every((x, i) => i === 0 || x > inOrder[i - 1]!)).toBe(true);
          const recovered = events.flatMap((e) => (e.type === 'recovered' ? e.samples.map(indexOf) : []));
          const emitted = [...inOrder, ...recovered].sort((a, b) => a - b);
          expect(new Set(emitted).size).toBe(emitted.length); // nothing twice
          expect(emitted).toEqual([...delivered].sort((a, b) => a - b)); // nothing delivered is lost
          // Each emitted sample carries its true unwrapped seq and time.
          const wrong = samplesOf(events).filter(
            (s) => s.seq !== startSeq + indexOf(s) || s.sensorTimeUs !== startTimeUs + indexOf(s) * 10_000,
          );
          expect(wrong).toEqual([]);
          const maxDelivered = Math.max(...delivered);
          expect(r.stats.lostSamples).toBe(maxDelivered + 1 - delivered.size);
          const gapped = events.flatMap((e) => (e.type === 'gap' ? [e.lostSamples] : [])).reduce((a, b) => a + b, 0);
          expect(gapped - r.stats.recoveredSamples).toBe(r.stats.lostSamples);
        },
      ),
      { numRuns: 300, seed: 8 },
    );
  });
});
