import {
  decode,
  HIPCUE_UUIDS,
  type ReconstructedSample,
  type ReconstructorEvent,
  StreamReconstructor,
} from '@hipcue/firmware-protocol';
import type { Notification } from '@hipcue/recording';

/** One decoded IMU sample of one sensor, SI units, sensor frame. */
export interface DecodedSample extends ReconstructedSample {
  sensorId: string;
  /** Seconds since the sensor's first sample (unwrapped sensor clock): the analysis clock. */
  tS: number;
}

export type DecoderOutput =
  | { type: 'samples'; sensorId: string; samples: DecodedSample[]; recovered: boolean }
  | { type: 'gap'; sensorId: string; fromSeq: number; toSeq: number; lostSamples: number; fromS: number; toS: number }
  | { type: 'restart'; sensorId: string; atSeq: number }
  | { type: 'bad-notification'; sensorId: string; hostTimeUs: number; message: string };

/**
 * Notifications → samples, the way the live gateway does it: `decode` each IMU-data notification and reassemble
 * each sensor's stream with a `StreamReconstructor`. Status and other characteristics are ignored; bad bytes are
 * reported, never thrown. Feed notifications in arrival order (a recording's order).
 */
export class SessionDecoder {
  readonly #streams = new Map<string, { reconstructor: StreamReconstructor; t0Us: number | undefined }>();
  readonly #imuCharacteristic: string;

  constructor(imuCharacteristic: string = HIPCUE_UUIDS.imuData.noble) {
    this.#imuCharacteristic = imuCharacteristic.toLowerCase().replaceAll('-', '');
  }

  feed(n: Notification): DecoderOutput[] {
    if (n.characteristic.toLowerCase().replaceAll('-', '') !== this.#imuCharacteristic) return [];
    const frame = decode(n.bytes);
    if (frame.type === 'error') {
      return [{ type: 'bad-notification', sensorId: n.sensorId, hostTimeUs: n.hostTimeUs, message: frame.message }];
    }
    if (frame.type !== 'imu') return [];
    let stream = this.#streams.get(n.sensorId);
    if (!stream) {
      stream = { reconstructor: new StreamReconstructor(), t0Us: undefined };
      this.#streams.set(n.sensorId, stream);
    }
    return this.#convert(n.sensorId, stream, stream.reconstructor.feed(frame));
  }

  /** Emits what the reorder windows still hold (end of a recording). */
  finish(): DecoderOutput[] {
    const out: DecoderOutput[] = [];
    for (const [sensorId, stream] of this.#streams)
      out.push(...this.#convert(sensorId, stream, stream.reconstructor.flush()));
    return out;
  }

  #convert(sensorId: string, stream: { t0Us: number | undefined }, events: ReconstructorEvent[]): DecoderOutput[] {
    const out: DecoderOutput[] = [];
    for (const e of events) {
      if (e.type === 'samples' || e.type === 'recovered') {
        if (e.samples.length === 0) continue;
        stream.t0Us ??= e.samples[0]!.sensorTimeUs;
        const t0 = stream.t0Us;
        const samples = e.samples.map((s) => ({ ...s, sensorId, tS: (s.sensorTimeUs - t0) / 1e6 }));
        out.push({ type: 'samples', sensorId, samples, recovered: e.type === 'recovered' });
      } else if (e.type === 'gap') {
        const t0 = stream.t0Us ?? e.fromTimeUs;
        const { fromSeq, toSeq, lostSamples } = e;
        out.push({
          type: 'gap',
          sensorId,
          fromSeq,
          toSeq,
          lostSamples,
          fromS: (e.fromTimeUs - t0) / 1e6,
          toS: (e.toTimeUs - t0) / 1e6,
        });
      } else {
        out.push({ type: 'restart', sensorId, atSeq: e.atSeq });
      }
    }
    return out;
  }
}

/** Decodes a whole recording: per sensor, every sample in sequence order (recovered ones merged in). */
export function decodeAll(notifications: readonly Notification[]): {
  samples: Map<string, DecodedSample[]>;
  outputs: DecoderOutput[];
} {
  const decoder = new SessionDecoder();
  const outputs: DecoderOutput[] = [];
  for (const n of notifications) outputs.push(...decoder.feed(n));
  outputs.push(...decoder.finish());
  const samples = new Map<string, DecodedSample[]>();
  let merged = false;
  for (const o of outputs) {
    if (o.type !== 'samples') continue;
    const list = samples.get(o.sensorId) ?? [];
    list.push(...o.samples);
    samples.set(o.sensorId, list);
    merged ||= o.recovered;
  }
  if (merged) for (const list of samples.values()) list.sort((a, b) => a.seq - b.seq);
  return { samples, outputs };
}
