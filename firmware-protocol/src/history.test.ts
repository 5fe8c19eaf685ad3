import { describe, expect, it } from 'vitest';
import { decode, encode } from './decode.ts';
import { HISTORY_CAPACITY_SAMPLES, SampleHistory } from './history.ts';
import type { ImuFrame } from './imuFrame.ts';
import { type ReconstructorEvent, StreamReconstructor } from './StreamReconstructor.ts';

/** Live frame k of a 100 Hz stream, 4 samples each; sample j carries acc x = j mod 32768. */
function live(k: number, startSeq = 65000, n = 4): ImuFrame {
  const acc = new Int16Array(3 * n);
  for (let i = 0; i < n; i++) acc[3 * i] = (k * n + i) % 32768;
  return {
    type: 'imu',
    backfill: false,
    rateCode: 3,
    accRangeCode: 0,
    gyrRangeCode: 0,
    seq: (startSeq + k * n) % 0x10000,
    sensorTimeUs: (4_290_000_000 + k * n * 10_000) % 0x1_0000_0000,
    acc,
    gyr: new Int16Array(3 * n),
  };
}

/** Sensor streams `frames` live frames; the link loses those in [dropFrom, dropTo); after it, the gateway backfills. */
function dropAndBackfill(frames: number, dropFrom: number, dropTo: number, opts: { stripFlag?: boolean } = {}) {
  const history = new SampleHistory();
  const r = new StreamReconstructor();
  const events: ReconstructorEvent[] = [];
  for (let k = 0; k < frames; k++) {
    const f = live(k);
    history.push(f);
    if (k < dropFrom || k >= dropTo) events.push(...r.feed(decode(encode(f)) as ImuFrame));
  }
  events.push(...r.flush());
  const status = history.status();
  const plans = r.lostRanges().map((g) => history.resendFrom(g.fromSeq % 0x10000, g.toSeq - g.fromSeq + 1));
  for (let f = history.nextBackfillFrame(19); f; f = history.nextBackfillFrame(19)) {
    const wire = decode(encode(opts.stripFlag ? { ...f, backfill: false } : f));
    if (wire.type !== 'imu') throw new Error('backfill frame did not decode');
    events.push(...r.feed(wire));
  }
  const all = events.flatMap((e) => (e.type === 'samples' || e.type === 'recovered' ? e.samples : []));
  return { r, events, all, plans, status };
}

describe('SampleHistory + StreamReconstructor: a link drop costs nothing', () => {
  it('recovers a 5 s drop at 100 Hz completely, each sample once, with original seq and time', () => {
    const { r, all, status, plans } = dropAndBackfill(400, 100, 225); // 125 frames · 4 = 500 samples = 5 s
    expect(status).toEqual({ oldestSeq: 65000, samples: 1600, backfilling: false });
    expect(plans).toEqual([{ samples: 500, fromSeq: (65000 + 400) % 0x10000, tooOld: 0 }]);
    expect(r.stats.lostSamples).toBe(0);
    expect(r.stats.recoveredSamples).toBe(500);
    const seqs = all.map((s) => s.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 1600 }, (_, j) => 65000 + j));
    const wrong = all.filter((s) => {
      const j = s.seq - 65000;
      return (
        s.sensorTimeUs !== 4_290_000_000 + j * 10_000 ||
        Math.round(s.accMps2[0] / ((2 / 32768) * 9.80665)) !== j % 32768 ||
        s.backfill !== (j >= 400 && j < 900)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('reports exactly the part older than the buffer as still lost', () => {
    // Drop 700 frames = 2800 samples; history holds the last 2048 of everything sent so far.
    const { r, plans } = dropAndBackfill(1000, 100, 800);
    const newest = 4000; // samples produced
    const oldestBuffered = newest - HISTORY_CAPACITY_SAMPLES; // 1952
    const gapFrom = 400;
    expect(plans).toEqual([
      { samples: 3200 - oldestBuffered, fromSeq: (65000 + oldestBuffered) % 0x10000, tooOld: oldestBuffered - gapFrom },
    ]);
    expect(r.stats.lostSamples).toBe(oldestBuffered - gapFrom);
    expect(r.lostRanges()).toEqual([{ fromSeq: 65000 + gapFrom, toSeq: 65000 + oldestBuffered - 1 }]);
  });

  it('an old reader that ignores the BACKFILL flag still ends with every sample exactly once', () => {
    const { r, all } = dropAndBackfill(300, 50, 100, { stripFlag: true });
    expect(r.stats.lostSamples).toBe(0);
    expect(new Set(all.map((s) => s.seq)).size).toBe(1200);
    expect(all).toHaveLength(1200);
  });

  it('resolves resendFrom against the buffer: inside, too old, newer than newest, count 0', () => {
    const h = new SampleHistory(100);
    for (let k = 0; k < 50; k++) h.push(live(k, 10)); // seqs 10..209, buffered 110..209
    expect(h.status()).toMatchObject({ oldestSeq: 110, samples: 100 });
    expect(h.resendFrom(150, 10)).toEqual({ samples: 10, fromSeq: 150, tooOld: 0 });
    expect(h.resendFrom(100, 20)).toEqual({ samples: 10, fromSeq: 110, tooOld: 10 });
    expect(h.resendFrom(100, 5)).toEqual({ samples: 0, fromSeq: 210, tooOld: 5 });
    expect(h.resendFrom(300, 5)).toMatchObject({ samples: 0 });
    expect(h.resendFrom(200, 0)).toEqual({ samples: 10, fromSeq: 200, tooOld: 0 });
    expect(h.status().backfilling).toBe(true);
    const f = h.nextBackfillFrame(4)!;
    expect({ seq: f.seq, n: f.acc.length / 3, backfill: f.backfill }).toEqual({ seq: 200, n: 4, backfill: true });
  });

  it('drops samples of a resend in progress that fall out of the buffer meanwhile', () => {
    const h = new SampleHistory(40);
    for (let k = 0; k < 10; k++) h.push(live(k, 0)); // seqs 0..39
    h.resendFrom(0, 40);
    h.push(live(10, 0)); // evicts seqs 0..3
    const first = h.nextBackfillFrame(8)!;
    expect(first.seq).toBe(4);
    let sent = first.acc.length / 3;
    for (let f = h.nextBackfillFrame(8); f; f = h.nextBackfillFrame(8)) sent += f.acc.length / 3;
    expect(sent).toBe(36);
  });
});

describe('SampleHistory config changes', () => {
  it('clears the history when rate, ranges or magnetometer change', () => {
    const h = new SampleHistory(100);
    for (let k = 0; k < 5; k++) h.push(live(k, 0));
    expect(h.status()).toMatchObject({ oldestSeq: 0, samples: 20 });
    h.push({ ...live(5, 0), rateCode: 4 });
    expect(h.status()).toMatchObject({ oldestSeq: 20, samples: 4 });
    expect(h.resendFrom(0, 10)).toEqual({ samples: 0, fromSeq: 24, tooOld: 10 });
  });
});
