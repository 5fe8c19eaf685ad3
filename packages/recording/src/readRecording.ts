import { McapRecordBuilder, McapStreamReader, type McapTypes } from '@mcap/core';
import {
  ANGLES_TOPIC,
  BLE_ENCODING,
  EVENTS_TOPIC,
  MCAP_PROFILE,
  SESSION_METADATA,
  TRUTH_ANGLES_TOPIC,
  TRUTH_REPS_TOPIC,
} from './format.ts';
import type { Problem, ReadResult, Recording, RecordingError, Truth } from './types.ts';
import { type Checked, checkAngleSample, checkEvent, checkSessionMeta, checkTruthRep } from './validate.ts';

const MAGIC = [0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]; // "\x89MCAP0\r\n"
const OPCODE_HEADER = 0x01;
const OPCODE_CHUNK = 0x06;
/** A real header record is ~40 bytes; one declaring more than this is not a cut file but a corrupt one. */
const MAX_HEADER_BYTES = 4096;
/** Records we write are far smaller; a larger declared length is reported as corrupt rather than as a cut. */
const MAX_PLAUSIBLE_RECORD_BYTES = 256 * 1024 * 1024;

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const fail = (code: RecordingError['code'], offset: number, message: string): RecordingError => ({
  ok: false,
  code,
  offset,
  message,
});

/**
 * Reads a hipcue recording from bytes (a whole file, or any prefix of one — a file cut by a crash reads back every
 * complete record before the cut, including the complete messages of a half-written chunk). Never throws on bad
 * bytes: a file that is not a hipcue recording at all gives a `RecordingError`; damage after the start gives
 * `problems` and `complete: false`. Works in the browser (no Node APIs).
 */
export function readRecording(bytes: Uint8Array): ReadResult {
  const start = checkStart(bytes);
  if (start) return start;
  const rec: Recording = {
    ok: true,
    meta: undefined,
    notifications: [],
    events: [],
    angles: [],
    truth: undefined,
    complete: false,
    problems: [],
  };
  const state = new ReadState(rec);
  const reader = new McapStreamReader({ validateCrcs: true });
  reader.append(bytes);
  let offset = 0;
  try {
    for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
      const error = state.take(record, offset);
      if (error) return error;
      offset = bytes.length - reader.bytesRemaining();
    }
  } catch (error) {
    if (!state.sawHeader) return fail('corrupt', offset, `bad MCAP record at offset ${offset}: ${messageOf(error)}`);
    rec.problems.push({ code: 'bad-record', offset, message: `bad record at offset ${offset}: ${messageOf(error)}` });
    return rec;
  }
  offset = bytes.length - reader.bytesRemaining();
  rec.complete = reader.done();
  if (bytes.length < MAGIC.length) {
    rec.problems.push({
      code: 'truncated',
      offset: 0,
      message: `file ends after ${bytes.length} bytes, inside the MCAP magic`,
    });
  } else if (!rec.complete) {
    const tail = bytes.subarray(offset);
    const problem = describeTail(tail, offset, state.sawHeader);
    if ('ok' in problem) return problem;
    rec.problems.push(problem);
    if (state.sawHeader) state.salvageChunk(tail, offset);
  }
  return rec;
}

/** Magic check, with a file cut inside the magic accepted as an empty recording. */
function checkStart(bytes: Uint8Array): RecordingError | undefined {
  const n = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== MAGIC[i]) {
      return fail('not-mcap', 0, `not an MCAP file: starts with ${hex(bytes.subarray(0, n))}, expected ${hex(MAGIC)}`);
    }
  }
  return undefined;
}

function describeTail(tail: Uint8Array, offset: number, sawHeader: boolean): Problem | RecordingError {
  if (tail.length === 0) {
    return { code: 'truncated', offset, message: `file ends at offset ${offset} without a footer (writer not closed)` };
  }
  if (tail.length < 9) {
    return { code: 'truncated', offset, message: `file ends ${tail.length} bytes into a record at offset ${offset}` };
  }
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const opcode = tail[0]!;
  const declared = view.getBigUint64(1, true);
  const what = `record at offset ${offset} (opcode 0x${opcode.toString(16).padStart(2, '0')}) declares ${declared} bytes`;
  if (!sawHeader && (opcode !== OPCODE_HEADER || declared > BigInt(MAX_HEADER_BYTES))) {
    return fail('corrupt', offset, `${what}; expected a header record of at most ${MAX_HEADER_BYTES} bytes`);
  }
  if (declared > BigInt(MAX_PLAUSIBLE_RECORD_BYTES)) {
    return { code: 'bad-record', offset, message: `${what}, more than any hipcue record; reading stopped` };
  }
  return { code: 'truncated', offset, message: `${what} but only ${tail.length - 9} remain (file cut)` };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type ChannelKind =
  | { kind: 'ble'; sensorId: string; characteristic: string; backfill: boolean }
  | { kind: 'events' | 'angles' | 'truthReps' | 'truthAngles' }
  | { kind: 'other' };

function classify(channel: McapTypes.Channel): ChannelKind {
  if (channel.messageEncoding === BLE_ENCODING) {
    return {
      kind: 'ble',
      sensorId: channel.metadata.get('sensorId') ?? '',
      characteristic: channel.metadata.get('characteristic') ?? '',
      backfill: channel.metadata.get('backfill') === 'true',
    };
  }
  if (channel.messageEncoding !== 'json') return { kind: 'other' };
  const byTopic: Record<string, ChannelKind> = {
    [EVENTS_TOPIC]: { kind: 'events' },
    [ANGLES_TOPIC]: { kind: 'angles' },
    [TRUTH_REPS_TOPIC]: { kind: 'truthReps' },
    [TRUTH_ANGLES_TOPIC]: { kind: 'truthAngles' },
  };
  return byTopic[channel.topic] ?? { kind: 'other' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Accumulates records into a Recording; shared by the main pass and the salvage of a cut chunk. */
class ReadState {
  readonly #rec: Recording;
  readonly #schemas: McapTypes.Schema[] = [];
  readonly #channels = new Map<number, { channel: McapTypes.Channel; kind: ChannelKind }>();
  sawHeader = false;

  constructor(rec: Recording) {
    this.#rec = rec;
  }

  take(record: McapTypes.TypedMcapRecord, offset: number): RecordingError | undefined {
    switch (record.type) {
      case 'Header':
        if (record.profile !== MCAP_PROFILE) {
          return fail('not-hipcue', 8, `MCAP profile is ${JSON.stringify(record.profile)}, not "${MCAP_PROFILE}"`);
        }
        this.sawHeader = true;
        return undefined;
      case 'Schema':
        this.#schemas.push(record);
        return undefined;
      case 'Channel':
        this.#channels.set(record.id, { channel: record, kind: classify(record) });
        return undefined;
      case 'Metadata':
        if (record.name === SESSION_METADATA) this.#takeMeta(record.metadata, offset);
        return undefined;
      case 'Message':
        this.#takeMessage(record, offset);
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * The stream reader yields a chunk's messages only once the whole chunk is there. A crash mid-chunk leaves
   * complete messages at the front of the cut chunk; read those with a second reader over the chunk's records,
   * preceded by the schemas and channels already seen (the chunk may use them).
   */
  salvageChunk(tail: Uint8Array, offset: number): void {
    // Chunk: opcode u8, length u64, start u64, end u64, uncompressed size u64, crc u32, compression string, records.
    const headerBytes = 1 + 8 + 8 + 8 + 8 + 4;
    if (tail[0] !== OPCODE_CHUNK || tail.length < headerBytes + 4) return;
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    if (view.getUint32(headerBytes, true) !== 0) return; // compressed: nothing readable before the end
    const recordsStart = headerBytes + 4 + 8;
    if (tail.length <= recordsStart) return;
    const prefix = new McapRecordBuilder();
    for (const schema of this.#schemas) prefix.writeSchema(schema);
    for (const { channel } of this.#channels.values()) prefix.writeChannel(channel);
    const reader = new McapStreamReader({ noMagicPrefix: true, validateCrcs: false });
    reader.append(prefix.buffer.slice());
    reader.append(tail.subarray(recordsStart));
    try {
      for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
        if (record.type === 'Message' || record.type === 'Channel' || record.type === 'Schema') {
          this.take(record, offset + recordsStart);
        }
      }
    } catch (error) {
      this.#problem('bad-record', offset, `cut chunk at offset ${offset}: ${messageOf(error)}`);
    }
  }

  #problem(code: Problem['code'], offset: number, message: string): void {
    this.#rec.problems.push({ code, offset, message });
  }

  #truth(): Truth {
    this.#rec.truth ??= { reps: [], angles: [] };
    return this.#rec.truth;
  }

  #takeMeta(map: Map<string, string>, offset: number): void {
    const meta = checkSessionMeta(map);
    if (meta.ok) this.#rec.meta = meta.value;
    else this.#problem('bad-message', offset, `session metadata at offset ${offset}: ${meta.message}`);
  }

  #takeMessage(message: McapTypes.Message, offset: number): void {
    const entry = this.#channels.get(message.channelId);
    if (!entry) {
      this.#problem('unknown-channel', offset, `message on unknown channel ${message.channelId} at offset ${offset}`);
      return;
    }
    const { kind } = entry;
    const hostTimeUs = Number(message.logTime / 1000n);
    if (kind.kind === 'ble') {
      const { sensorId, characteristic, backfill } = kind;
      const n = { hostTimeUs, sensorId, characteristic, bytes: message.data.slice() };
      this.#rec.notifications.push(backfill ? { ...n, backfill } : n);
      return;
    }
    if (kind.kind === 'other') return;
    const topic = entry.channel.topic;
    let value: unknown;
    try {
      value = JSON.parse(utf8.decode(message.data));
    } catch {
      this.#problem('bad-message', offset, `${topic} message at offset ${offset} is not JSON`);
      return;
    }
    const rec = this.#rec;
    const checked = (result: Checked<unknown>): boolean => {
      if (!result.ok) this.#problem('bad-message', offset, `${topic} message at offset ${offset}: ${result.message}`);
      return result.ok;
    };
    switch (kind.kind) {
      case 'events': {
        const event = checkEvent(value);
        if (checked(event) && event.ok) rec.events.push({ hostTimeUs, event: event.value });
        break;
      }
      case 'angles': {
        const sample = checkAngleSample(value);
        if (checked(sample) && sample.ok) rec.angles.push(sample.value);
        break;
      }
      case 'truthReps': {
        const rep = checkTruthRep(value);
        if (checked(rep) && rep.ok) this.#truth().reps.push(rep.value);
        break;
      }
      case 'truthAngles': {
        const sample = checkAngleSample(value);
        if (checked(sample) && sample.ok) this.#truth().angles.push(sample.value);
        break;
      }
    }
  }
}
