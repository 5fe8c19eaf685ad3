import { type IWritable, McapChunkBuilder, McapConstants, McapRecordBuilder, type McapTypes } from '@mcap/core';
import { crc32 } from './crc32.ts';

/** Where the writer's bytes go. `sync` (optional) makes everything written so far durable (fsync). */
export interface RecordingSink extends IWritable {
  sync?(): Promise<void>;
}

export interface ChunkedMcapWriterSettings {
  /** Close a chunk once its messages span this much log time, µs. Bounds what a crash can lose. */
  maxChunkDurationUs: number;
  /** Close a chunk once it holds this many bytes. */
  maxChunkBytes: number;
}

export const chunkedMcapWriterDefaults: ChunkedMcapWriterSettings = {
  maxChunkDurationUs: 500_000,
  maxChunkBytes: 64 * 1024,
};

/**
 * An MCAP writer whose chunks close on log time as well as on size, and which can be flushed on demand.
 *
 * Why not `McapWriter`: it closes a chunk only when the chunk exceeds a byte size and has no `flush()`, so at a
 * low data rate (or during a BLE disconnect, when only events arrive) a chunk could stay in memory for minutes and a
 * crash would lose it. This writer reuses @mcap/core's `McapRecordBuilder` and `ChunkBuilder`, so the bytes are
 * the library's; only the record order differs: schemas, channels and metadata go to the data section as top-level
 * records (before any chunk that uses them), chunks hold only messages. Each closed chunk is followed by its
 * message indexes and a `sync()`, so a reader of a cut file finds every chunk before the cut intact.
 *
 * Methods may be called without awaiting the previous call: operations run in call order.
 */
export class ChunkedMcapWriter {
  readonly #sink: RecordingSink;
  readonly #settings: ChunkedMcapWriterSettings;
  readonly #records = new McapRecordBuilder();
  readonly #chunk = new McapChunkBuilder({ useMessageIndex: true });
  readonly #schemas: McapTypes.Schema[] = [];
  readonly #channels: McapTypes.Channel[] = [];
  readonly #chunkIndexes: McapTypes.ChunkIndex[] = [];
  readonly #metadataIndexes: McapTypes.MetadataIndex[] = [];
  readonly #messageCounts = new Map<number, bigint>();
  #messageCount = 0n;
  #startTime = 0n;
  #endTime = 0n;
  #chunkCount = 0;
  #queue: Promise<void> = Promise.resolve();
  #state: 'new' | 'open' | 'ended' = 'new';
  #failure: Error | undefined;

  constructor(sink: RecordingSink, settings: Partial<ChunkedMcapWriterSettings> = {}) {
    this.#sink = sink;
    this.#settings = { ...chunkedMcapWriterDefaults, ...settings };
  }

  /** Bytes handed to the sink so far. */
  get position(): bigint {
    return this.#sink.position();
  }

  start(header: McapTypes.Header): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#state !== 'new') throw new Error('ChunkedMcapWriter.start: already started');
      this.#state = 'open';
      this.#records.writeMagic();
      this.#records.writeHeader(header);
      await this.#emit();
    });
  }

  /** Adds a schema; the id is usable at once, the record is written in call order. */
  registerSchema(info: Omit<McapTypes.Schema, 'id'>): number {
    const schema = { ...info, id: this.#schemas.length + 1 };
    this.#schemas.push(schema);
    this.#background(async () => {
      this.#assertOpen('registerSchema');
      this.#records.writeSchema(schema);
      await this.#emit();
    });
    return schema.id;
  }

  /** Adds a channel; the id is usable at once, the record is written in call order. */
  registerChannel(info: Omit<McapTypes.Channel, 'id'>): number {
    const channel = { ...info, id: this.#channels.length };
    this.#channels.push(channel);
    this.#background(async () => {
      this.#assertOpen('registerChannel');
      this.#records.writeChannel(channel);
      await this.#emit();
    });
    return channel.id;
  }

  addMessage(message: McapTypes.Message): Promise<void> {
    return this.#enqueue(async () => {
      this.#assertOpen('addMessage');
      if (message.channelId >= this.#channels.length) {
        throw new Error(`ChunkedMcapWriter.addMessage: no channel ${message.channelId}`);
      }
      const t = message.logTime;
      if (this.#messageCount === 0n || t < this.#startTime) this.#startTime = t;
      if (this.#messageCount === 0n || t > this.#endTime) this.#endTime = t;
      this.#messageCount++;
      this.#messageCounts.set(message.channelId, (this.#messageCounts.get(message.channelId) ?? 0n) + 1n);
      this.#chunk.addMessage(message);
      const spanUs = (this.#chunk.messageEndTime - this.#chunk.messageStartTime) / 1000n;
      if (
        spanUs >= BigInt(this.#settings.maxChunkDurationUs) ||
        this.#chunk.byteLength >= this.#settings.maxChunkBytes
      ) {
        await this.#closeChunk();
      }
    });
  }

  /** Writes a metadata record; closes the open chunk first so the file stays in log-time order. */
  addMetadata(metadata: McapTypes.Metadata): Promise<void> {
    return this.#enqueue(async () => {
      this.#assertOpen('addMetadata');
      await this.#closeChunk();
      const offset = this.#sink.position();
      const length = this.#records.writeMetadata(metadata);
      this.#metadataIndexes.push({ offset, length, name: metadata.name });
      await this.#emit();
      await this.#sink.sync?.();
    });
  }

  /** Closes the open chunk (if any) and syncs the sink: after this resolves, everything added is durable. */
  flush(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#state !== 'open') return;
      await this.#closeChunk();
    });
  }

  /** Closes the last chunk and writes the summary section and footer. */
  end(): Promise<void> {
    return this.#enqueue(async () => {
      this.#assertOpen('end');
      await this.#closeChunk();
      this.#state = 'ended';
      await this.#writeSummary();
      await this.#sink.sync?.();
    });
  }

  /** Runs `op` in call order; once any operation has failed, every later one fails with that error. */
  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(() => {
      if (this.#failure) throw this.#failure;
      return op().catch((error: unknown) => {
        this.#failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      });
    });
    this.#queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Like #enqueue for calls that return synchronously; a failure surfaces on the next awaited call. */
  #background(op: () => Promise<void>): void {
    this.#enqueue(op).catch(() => undefined);
  }

  #assertOpen(what: string): void {
    if (this.#state !== 'open') throw new Error(`ChunkedMcapWriter.${what}: writer is ${this.#state}, not open`);
  }

  async #emit(): Promise<void> {
    if (this.#records.length === 0) return;
    const bytes = this.#records.buffer.slice();
    this.#records.reset();
    await this.#sink.write(bytes);
  }

  async #closeChunk(): Promise<void> {
    if (this.#chunk.numMessages === 0) return;
    const data = this.#chunk.buffer;
    const chunk: McapTypes.Chunk = {
      messageStartTime: this.#chunk.messageStartTime,
      messageEndTime: this.#chunk.messageEndTime,
      uncompressedSize: BigInt(data.length),
      uncompressedCrc: crc32(data),
      compression: '',
      records: data,
    };
    const chunkStartOffset = this.#sink.position();
    const chunkLength = this.#records.writeChunk(chunk);
    const messageIndexStart = chunkStartOffset + chunkLength;
    const messageIndexOffsets = new Map<number, bigint>();
    let messageIndexLength = 0n;
    for (const index of this.#chunk.indices) {
      messageIndexOffsets.set(index.channelId, messageIndexStart + messageIndexLength);
      messageIndexLength += this.#records.writeMessageIndex(index);
    }
    this.#chunkIndexes.push({
      messageStartTime: chunk.messageStartTime,
      messageEndTime: chunk.messageEndTime,
      chunkStartOffset,
      chunkLength,
      messageIndexOffsets,
      messageIndexLength,
      compression: '',
      compressedSize: BigInt(data.length),
      uncompressedSize: BigInt(data.length),
    });
    this.#chunkCount++;
    this.#chunk.reset();
    await this.#emit();
    await this.#sink.sync?.();
  }

  async #writeSummary(): Promise<void> {
    const r = this.#records;
    r.writeDataEnd({ dataSectionCrc: 0 }); // 0 = not computed (allowed by the MCAP spec)
    await this.#emit();
    const summaryStart = this.#sink.position();
    const groups: McapTypes.SummaryOffset[] = [];
    const group = async (groupOpcode: number, write: () => bigint) => {
      const groupStart = this.#sink.position();
      const groupLength = write();
      await this.#emit();
      if (groupLength > 0n) groups.push({ groupOpcode, groupStart, groupLength });
    };
    const { Opcode } = McapConstants;
    await group(Opcode.SCHEMA, () => this.#schemas.reduce((n, s) => n + r.writeSchema(s), 0n));
    await group(Opcode.CHANNEL, () => this.#channels.reduce((n, c) => n + r.writeChannel(c), 0n));
    await group(Opcode.STATISTICS, () =>
      r.writeStatistics({
        messageCount: this.#messageCount,
        schemaCount: this.#schemas.length,
        channelCount: this.#channels.length,
        attachmentCount: 0,
        metadataCount: this.#metadataIndexes.length,
        chunkCount: this.#chunkCount,
        messageStartTime: this.#startTime,
        messageEndTime: this.#endTime,
        channelMessageCounts: this.#messageCounts,
      }),
    );
    await group(Opcode.METADATA_INDEX, () => this.#metadataIndexes.reduce((n, m) => n + r.writeMetadataIndex(m), 0n));
    await group(Opcode.CHUNK_INDEX, () => this.#chunkIndexes.reduce((n, c) => n + r.writeChunkIndex(c), 0n));
    const summaryOffsetStart = this.#sink.position();
    for (const g of groups) r.writeSummaryOffset(g);
    r.writeFooter({ summaryStart, summaryOffsetStart, summaryCrc: 0 });
    r.writeMagic();
    await this.#emit();
  }
}
