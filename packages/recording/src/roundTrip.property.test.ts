import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemorySink } from './MemorySink.ts';
import { RecordingWriter } from './RecordingWriter.ts';
import { readRecording } from './readRecording.ts';
import { sampleMeta } from './testing/sampleSession.ts';
import type { Notification, SessionEvent } from './types.ts';

const notification = fc.record({
  hostTimeUs: fc.integer({ min: 0, max: 2 ** 52 }),
  sensorId: fc.constantFrom('pelvis-1', 'thigh-1', 'lumbar/odd id'),
  characteristic: fc.constantFrom('7a1e00024f8c4d6e9c2a686970637565', 'ef6804069b3549339b1052ffa9740042'),
  bytes: fc.uint8Array({ minLength: 0, maxLength: 260 }),
  backfill: fc.boolean(),
});

const event: fc.Arbitrary<SessionEvent> = fc.oneof(
  fc.record({
    type: fc.constant('pain' as const),
    tS: fc.double({ noNaN: true, noDefaultInfinity: true }),
    rating: fc.integer({ min: 0, max: 10 }),
  }),
  fc.record({
    type: fc.constant('note' as const),
    tS: fc.double({ noNaN: true, noDefaultInfinity: true }),
    text: fc.string({ unit: 'grapheme' }),
    author: fc.string(),
  }),
  fc.record({
    type: fc.constant('rep' as const),
    tS: fc.double({ min: 0, max: 1e4, noNaN: true }),
    set: fc.nat(20),
    rep: fc.nat(50),
    startS: fc.double({ min: 0, max: 1e4, noNaN: true }),
    endS: fc.double({ min: 0, max: 1e4, noNaN: true }),
    faults: fc.array(fc.constantFrom('lumbar_arch', 'pelvic_drop', 'rushed_tempo'), { maxLength: 3 }),
  }),
);

/** JSON turns -0 into 0; everything else round-trips exactly. */
const normalize = (e: SessionEvent) => JSON.parse(JSON.stringify(e)) as SessionEvent;

describe('recording round trip (property)', () => {
  it('reads back any notifications and events exactly, in write order, and any prefix of the file reads a prefix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(notification, { maxLength: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 52 }), event), { maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (ns, es, cutFraction) => {
          const sink = new MemorySink();
          const w = await RecordingWriter.create(sink, sampleMeta, { maxChunkDurationUs: 1_000 });
          for (const n of ns) void w.addNotification(n);
          for (const [t, e] of es) void w.addEvent(t, e);
          await w.close();
          const bytes = sink.bytes();
          const r = readRecording(bytes);
          if (!r.ok) throw new Error(r.message);
          const expected: Notification[] = ns.map(({ backfill, ...n }) => (backfill ? { ...n, backfill } : n));
          expect(r.notifications).toEqual(expected);
          expect(r.events).toEqual(es.map(([hostTimeUs, e]) => ({ hostTimeUs, event: normalize(e) })));
          expect(r.complete).toBe(true);
          const cut = readRecording(bytes.subarray(0, Math.floor(cutFraction * bytes.length)));
          if (!cut.ok) throw new Error(cut.message);
          expect(cut.notifications).toEqual(expected.slice(0, cut.notifications.length));
          expect(cut.events).toEqual(r.events.slice(0, cut.events.length));
        },
      ),
      { numRuns: 150, seed: 20261123 },
    );
  });
});
