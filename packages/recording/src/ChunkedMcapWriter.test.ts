import { McapIndexedReader } from '@mcap/core';
import { describe, expect, it } from 'vitest';
import { ChunkedMcapWriter } from './ChunkedMcapWriter.ts';
import { BLE_TOPIC_PREFIX } from './format.ts';
import { MemorySink } from './MemorySink.ts';
import { sampleSession, writeSampleSession } from './testing/sampleSession.ts';
import { topLevelRecords } from './testing/walkMcap.ts';

const readable = (bytes: Uint8Array) => ({
  size: async () => BigInt(bytes.length),
  read: async (offset: bigint, size: bigint) => bytes.subarray(Number(offset), Number(offset + size)),
});

describe('ChunkedMcapWriter', () => {
  it('writes a file that @mcap/core’s indexed reader (what Foxglove uses) reads in full', async () => {
    const s = sampleSession(31, 3);
    const bytes = await writeSampleSession(s);
    const reader = await McapIndexedReader.Initialize({ readable: readable(bytes) });
    expect(reader.header.profile).toBe('hipcue');
    expect(reader.statistics?.messageCount).toBe(
      BigInt(s.notifications.length + s.events.length + s.angles.length + s.truthReps.length + s.truthAngles.length),
    );
    const ble: Uint8Array[] = [];
    for await (const m of reader.readMessages({ validateCrcs: true })) {
      if (reader.channelsById.get(m.channelId)?.topic.startsWith(BLE_TOPIC_PREFIX)) ble.push(m.data);
    }
    expect(ble).toEqual(s.notifications.map((n) => n.bytes));
    const metadata = [];
    for await (const m of reader.readMetadata({ name: 'hipcue.session' })) metadata.push(m);
    expect(metadata[0]?.metadata.get('patient')).toBe(s.meta.patient);
  });

  it('closes a chunk once it spans the configured log time, whatever the byte size', async () => {
    const s = sampleSession(32, 3);
    const bytes = await writeSampleSession(s, { maxChunkDurationUs: 250_000, maxChunkBytes: 1 << 30 });
    const reader = await McapIndexedReader.Initialize({ readable: readable(bytes) });
    const spans = reader.chunkIndexes.map((c) => Number(c.messageEndTime - c.messageStartTime) / 1000);
    expect(spans.length).toBeGreaterThanOrEqual(10); // 3 s / 0.25 s
    for (const spanUs of spans) expect(spanUs).toBeLessThanOrEqual(250_000 + 30_000); // + one message period
    expect(topLevelRecords(bytes).filter((r) => r.opcode === 0x06)).toHaveLength(spans.length);
  });

  it('flush() puts every message added so far on the sink', async () => {
    const sink = new MemorySink();
    const w = new ChunkedMcapWriter(sink);
    await w.start({ profile: 'hipcue', library: 'test' });
    const channelId = w.registerChannel({ topic: '/x', schemaId: 0, messageEncoding: 'raw', metadata: new Map() });
    void w.addMessage({ channelId, sequence: 0, logTime: 1n, publishTime: 1n, data: new Uint8Array([7]) });
    const before = sink.bytes().length;
    await w.flush();
    expect(sink.bytes().length).toBeGreaterThan(before);
    expect(topLevelRecords(sink.bytes()).some((r) => r.opcode === 0x06)).toBe(true);
  });

  it('rejects use after end and a message on an unknown channel', async () => {
    const w = new ChunkedMcapWriter(new MemorySink());
    await w.start({ profile: 'hipcue', library: 'test' });
    await expect(
      w.addMessage({ channelId: 3, sequence: 0, logTime: 0n, publishTime: 0n, data: new Uint8Array() }),
    ).rejects.toThrow(/no channel 3/);
    const w2 = new ChunkedMcapWriter(new MemorySink());
    await w2.start({ profile: 'hipcue', library: 'test' });
    await w2.end();
    await expect(w2.flush()).resolves.toBeUndefined();
    await expect(w2.end()).rejects.toThrow(/ended/);
  });
});

describe('ChunkedMcapWriter on a failing sink', () => {
  it('rejects the failing call and every later one with the sink’s error', async () => {
    let fail = false;
    const sink = new MemorySink();
    const failing = {
      write: async (b: Uint8Array) => {
        if (fail) throw new Error('ENOSPC: no space left on device');
        await sink.write(b);
      },
      position: () => sink.position(),
    };
    const w = new ChunkedMcapWriter(failing, { maxChunkDurationUs: 10 });
    await w.start({ profile: 'hipcue', library: 'test' });
    const channelId = w.registerChannel({ topic: '/x', schemaId: 0, messageEncoding: 'raw', metadata: new Map() });
    fail = true;
    const message = { channelId, sequence: 0, logTime: 0n, publishTime: 0n, data: new Uint8Array([1]) };
    await expect(w.addMessage(message)).rejects.toThrow(/ENOSPC/);
    await expect(w.addMessage({ ...message, logTime: 100_000n })).rejects.toThrow(/ENOSPC/);
    await expect(w.end()).rejects.toThrow(/ENOSPC/);
  });
});
