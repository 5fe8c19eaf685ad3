import { ChunkedMcapWriter, type ChunkedMcapWriterSettings, type RecordingSink } from './ChunkedMcapWriter.ts';
import {
  ANGLE_SCHEMA,
  ANGLES_TOPIC,
  BLE_ENCODING,
  bleTopic,
  EVENT_SCHEMA,
  EVENTS_TOPIC,
  FORMAT_VERSION,
  LIBRARY,
  MCAP_PROFILE,
  SESSION_METADATA,
  TRUTH_ANGLES_TOPIC,
  TRUTH_REP_SCHEMA,
  TRUTH_REPS_TOPIC,
} from './format.ts';
import type { AngleSample, Notification, SessionEvent, SessionMeta, TruthRep } from './types.ts';

const utf8 = new TextEncoder();
const json = (value: unknown) => utf8.encode(JSON.stringify(value));

/** Session metadata as the string map of the MCAP metadata record (see README). */
export function sessionMetaToMap(meta: SessionMeta): Map<string, string> {
  const map = new Map<string, string>([
    ['formatVersion', FORMAT_VERSION],
    ['patient', meta.patient],
    ['exercise', meta.exercise],
    ['side', meta.side],
    ['startedAt', meta.startedAt],
    ['source', meta.source],
    ['sensors', JSON.stringify(meta.sensors)],
  ]);
  for (const [key, value] of Object.entries(meta.extra)) map.set(`extra.${key}`, value);
  return map;
}

/**
 * Writes one hipcue session as MCAP while it happens. Every `add*` call may be made without awaiting the previous
 * one (they are queued in order); await `flush()` or `close()` to know the data is on the sink.
 * Times: `hostTimeUs` is the gateway's receive clock in integer µs and becomes the MCAP log time (ns).
 */
export class RecordingWriter {
  readonly #mcap: ChunkedMcapWriter;
  readonly #roles: Map<string, string>;
  readonly #bleChannels = new Map<string, number>();
  readonly #sequences: number[] = [];
  readonly #jsonChannels: { events: number; angles: number; truthReps: number; truthAngles: number };

  private constructor(mcap: ChunkedMcapWriter, meta: SessionMeta) {
    this.#mcap = mcap;
    this.#roles = new Map(meta.sensors.map((s) => [s.sensorId, s.role]));
    const schema = (name: string, value: object) =>
      mcap.registerSchema({ name, encoding: 'jsonschema', data: json(value) });
    const channel = (topic: string, schemaId: number) =>
      mcap.registerChannel({ topic, schemaId, messageEncoding: 'json', metadata: new Map() });
    const angleSchema = schema('hipcue.AngleSample', ANGLE_SCHEMA);
    this.#jsonChannels = {
      events: channel(EVENTS_TOPIC, schema('hipcue.SessionEvent', EVENT_SCHEMA)),
      angles: channel(ANGLES_TOPIC, angleSchema),
      truthReps: channel(TRUTH_REPS_TOPIC, schema('hipcue.TruthRep', TRUTH_REP_SCHEMA)),
      truthAngles: channel(TRUTH_ANGLES_TOPIC, angleSchema),
    };
  }

  /** Starts a recording on `sink`: MCAP header, session metadata, schemas and channels. */
  static async create(
    sink: RecordingSink,
    meta: SessionMeta,
    settings: Partial<ChunkedMcapWriterSettings> = {},
  ): Promise<RecordingWriter> {
    const mcap = new ChunkedMcapWriter(sink, settings);
    const started = mcap.start({ profile: MCAP_PROFILE, library: LIBRARY });
    const metaWritten = mcap.addMetadata({ name: SESSION_METADATA, metadata: sessionMetaToMap(meta) });
    const writer = new RecordingWriter(mcap, meta);
    await started;
    await metaWritten;
    return writer;
  }

  addNotification(n: Notification): Promise<void> {
    const backfill = n.backfill === true;
    const key = `${n.sensorId}\u0000${n.characteristic}\u0000${backfill}`;
    let channelId = this.#bleChannels.get(key);
    if (channelId === undefined) {
      channelId = this.#mcap.registerChannel({
        topic: bleTopic(n.sensorId, n.characteristic, backfill),
        schemaId: 0,
        messageEncoding: BLE_ENCODING,
        metadata: new Map([
          ['sensorId', n.sensorId],
          ['role', this.#roles.get(n.sensorId) ?? ''],
          ['characteristic', n.characteristic],
          ['backfill', String(backfill)],
        ]),
      });
      this.#bleChannels.set(key, channelId);
    }
    // Copy: BLE stacks reuse their buffers, and the write is queued.
    return this.#add(channelId, n.hostTimeUs, n.bytes.slice());
  }

  addEvent(hostTimeUs: number, event: SessionEvent): Promise<void> {
    return this.#add(this.#jsonChannels.events, hostTimeUs, json(event));
  }

  addAngles(hostTimeUs: number, sample: AngleSample): Promise<void> {
    return this.#add(this.#jsonChannels.angles, hostTimeUs, json(sample));
  }

  addTruthRep(hostTimeUs: number, rep: TruthRep): Promise<void> {
    return this.#add(this.#jsonChannels.truthReps, hostTimeUs, json(rep));
  }

  addTruthAngles(hostTimeUs: number, sample: AngleSample): Promise<void> {
    return this.#add(this.#jsonChannels.truthAngles, hostTimeUs, json(sample));
  }

  /** Closes the open chunk and syncs the sink. The file edge calls this on a wall-clock timer. */
  flush(): Promise<void> {
    return this.#mcap.flush();
  }

  /** Writes the summary and footer; the recording is then `complete`. */
  close(): Promise<void> {
    return this.#mcap.end();
  }

  #add(channelId: number, hostTimeUs: number, data: Uint8Array): Promise<void> {
    if (!Number.isSafeInteger(hostTimeUs) || hostTimeUs < 0) {
      return Promise.reject(new RangeError(`hostTimeUs must be a non-negative integer, got ${hostTimeUs}`));
    }
    const sequence = this.#sequences[channelId] ?? 0;
    this.#sequences[channelId] = (sequence + 1) >>> 0;
    const logTime = BigInt(hostTimeUs) * 1000n;
    return this.#mcap.addMessage({ channelId, sequence, logTime, publishTime: logTime, data });
  }
}
