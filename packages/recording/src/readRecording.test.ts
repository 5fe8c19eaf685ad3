import { describe, expect, it } from 'vitest';
import { BLE_TOPIC_PREFIX, EVENTS_TOPIC } from './format.ts';
import { readRecording } from './readRecording.ts';
import { prng, sampleSession, writeSampleSession } from './testing/sampleSession.ts';
import { topLevelRecords, walkMcap } from './testing/walkMcap.ts';
import type { Recording } from './types.ts';

function mustRead(bytes: Uint8Array): Recording {
  const r = readRecording(bytes);
  if (!r.ok) throw new Error(`expected a recording, got ${r.code}: ${r.message}`);
  return r;
}

describe('readRecording', () => {
  it('round-trips metadata, notifications, events, angles and truth', async () => {
    const s = sampleSession(1, 3);
    const r = mustRead(await writeSampleSession(s));
    expect(r.complete).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.meta).toEqual(s.meta);
    expect(r.notifications).toEqual(s.notifications);
    expect(r.events).toEqual(s.events);
    expect(r.angles).toEqual(s.angles);
    expect(r.truth).toEqual({ reps: s.truthReps, angles: s.truthAngles });
    expect(r.notifications.filter((n) => n.backfill).length).toBeGreaterThan(0);
  });

  it('leaves truth undefined for a session without ground truth', async () => {
    const s = { ...sampleSession(2, 1), truthReps: [], truthAngles: [] };
    expect(mustRead(await writeSampleSession(s)).truth).toBeUndefined();
  });

  it('reads every complete record before a cut at any byte offset', async () => {
    // ~16 kB and 4 chunks: every offset is checked (O(n²) bytes parsed, a few seconds).
    const s = sampleSession(3, 1.5);
    const bytes = await writeSampleSession(s, { maxChunkDurationUs: 400_000 });
    const { messages, metadataEnds } = walkMcap(bytes);
    const ble = messages.filter((m) => m.topic.startsWith(BLE_TOPIC_PREFIX)).map((m) => m.end);
    const events = messages.filter((m) => m.topic === EVENTS_TOPIC).map((m) => m.end);
    expect(ble.length).toBe(s.notifications.length);
    expect(events.length).toBe(s.events.length);
    const metaEnd = metadataEnds[0]!;
    let checked = 0;
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = mustRead(bytes.subarray(0, cut));
      const wantBle = ble.filter((end) => end <= cut).length;
      const wantEvents = events.filter((end) => end <= cut).length;
      if (
        r.notifications.length !== wantBle ||
        r.events.length !== wantEvents ||
        (r.meta !== undefined) !== cut >= metaEnd ||
        r.complete !== (cut === bytes.length)
      ) {
        expect.fail(
          `cut at ${cut}/${bytes.length}: ${r.notifications.length}/${wantBle} notifications, ` +
            `${r.events.length}/${wantEvents} events, meta ${r.meta !== undefined}, complete ${r.complete}`,
        );
      }
      const last = r.notifications.at(-1);
      if (last) expect(last).toEqual(s.notifications[r.notifications.length - 1]);
      if (cut < bytes.length && cut > 8) expect(r.problems.length).toBeGreaterThan(0);
      checked++;
    }
    expect(checked).toBe(bytes.length + 1);
  }, 30_000);

  it('reads a file that was flushed but never closed', async () => {
    const s = sampleSession(4, 2);
    const r = mustRead(await writeSampleSession(s, {}, false));
    expect(r.complete).toBe(false);
    expect(r.notifications).toEqual(s.notifications);
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'truncated', message: expect.stringMatching(/not closed/) }),
    ]);
  });
});

describe('readRecording on hostile bytes', () => {
  const header = [0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a];

  it('reads an empty file or a cut magic as an empty recording that says so', () => {
    for (const n of [0, 5]) {
      const r = mustRead(new Uint8Array(header.slice(0, n)));
      expect(r).toMatchObject({ complete: false, meta: undefined, notifications: [] });
      expect(r.problems[0]?.message).toMatch(`file ends after ${n} bytes`);
    }
  });

  it('names wrong magic', () => {
    const r = readRecording(new TextEncoder().encode('t_s,gyr_x,gyr_y\n0,1,2\n'));
    expect(r).toMatchObject({ ok: false, code: 'not-mcap', offset: 0 });
    expect(!r.ok && r.message).toMatch(/starts with 74 5f 73/);
  });

  it('gives a typed error, never a throw, for random bytes', () => {
    const rand = prng(11);
    for (let i = 0; i < 300; i++) {
      const bytes = new Uint8Array(1 + (i % 97));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256);
      if (i % 2 === 0) bytes.set(header.slice(0, Math.min(8, bytes.length)));
      const r = readRecording(bytes);
      if (!r.ok) expect(['not-mcap', 'corrupt', 'not-hipcue']).toContain(r.code);
    }
  });

  it('names a header that declares a huge length', () => {
    const bytes = new Uint8Array(64);
    bytes.set(header);
    bytes[8] = 0x01;
    new DataView(bytes.buffer).setBigUint64(9, 0xffff_ffffn, true);
    const r = readRecording(bytes);
    expect(r).toMatchObject({ ok: false, code: 'corrupt', offset: 8 });
    expect(!r.ok && r.message).toMatch(/declares 4294967295 bytes/);
  });

  it('reports a huge record length after the header as a problem with its offset', async () => {
    const good = await writeSampleSession(sampleSession(5, 1));
    const cutAt = topLevelRecords(good).find((r) => r.opcode === 0x06)!.start;
    const bytes = good.slice(0, cutAt + 9);
    new DataView(bytes.buffer).setBigUint64(cutAt + 1, 1n << 40n, true);
    const r = mustRead(bytes);
    expect(r.complete).toBe(false);
    expect(r.problems[0]).toMatchObject({ code: 'bad-record', offset: cutAt });
  });

  it('rejects an MCAP file of another profile', async () => {
    const good = await writeSampleSession(sampleSession(6, 1));
    const bytes = good.slice();
    bytes.set(new TextEncoder().encode('ros2ab'), 8 + 9 + 4); // profile string after opcode, length, string length
    expect(readRecording(bytes)).toMatchObject({ ok: false, code: 'not-hipcue' });
  });

  it('reports a corrupted chunk (bad CRC) as a problem, keeping what came before', async () => {
    const s = sampleSession(7, 2);
    const good = await writeSampleSession(s);
    const { messages } = walkMcap(good);
    const bytes = good.slice();
    const target = messages.at(-5)!.end - 1; // a payload byte late in the file
    bytes[target] = bytes[target]! ^ 0xff;
    const r = mustRead(bytes);
    expect(r.complete).toBe(false);
    expect(r.problems[0]?.code).toBe('bad-record');
    expect(r.problems[0]?.message).toMatch(/CRC/);
    expect(r.notifications.length).toBeGreaterThan(0);
    expect(r.notifications).toEqual(s.notifications.slice(0, r.notifications.length));
  });
});
