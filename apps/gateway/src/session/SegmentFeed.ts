import { type ProfileDecoder, thingy52Profile, thingy52ProfileDefaultSettings } from '@hipcue/ble';
import { ClockAligner, type Pipeline, type SegmentRole } from '@hipcue/dsp';
import { decode, type ReconstructedSample, StreamReconstructor } from '@hipcue/firmware-protocol';
import type { RawNotification } from './types.ts';

/** An extra sensor worn besides the pelvis (thigh, upper lumbar): its id, role and GATT profile. */
export interface SegmentSensor {
  sensorId: string;
  role: SegmentRole;
  profile: string;
}

/** Samples queued per sensor at most (~10 s at 200 Hz): a pelvis stream that stalls longer drops the oldest. */
const MAX_QUEUED = 2000;

interface Stream {
  sensor: SegmentSensor;
  recon: StreamReconstructor | undefined;
  thingy: ProfileDecoder | undefined;
  clock: ClockAligner;
  /** Decoded samples not yet given to the pipeline: sensor time (µs, own clock), gyro, acc. */
  queue: ReconstructedSample[];
  decodeErrors: number;
  /** Samples decoded, for the status's rate (samples per second, as the pelvis's). */
  samples: number;
}

/**
 * The extra sensors' path into the pelvis pipeline. Each sensor has its own clock, so its samples are put on the
 * pelvis sensor's time base through the host clock: sensor → host by a ClockAligner fitted to that sensor's
 * notifications, host → pelvis sensor time by the pelvis's own aligner. Decoded samples wait in a queue and are fed
 * (`nextSegment`) just before the pelvis sample they precede, so order holds even while pelvis samples are held
 * back for a backfill. Bad bytes are counted, never thrown.
 */
export class SegmentFeed {
  private readonly streams = new Map<string, Stream>();

  constructor(
    sensors: readonly SegmentSensor[],
    private readonly pelvisClock: ClockAligner,
    sampleRateHz = thingy52ProfileDefaultSettings.sampleRateHz,
  ) {
    for (const sensor of sensors) {
      const thingy = sensor.profile === 'thingy52' ? thingy52Profile({ sampleRateHz }).createDecoder() : undefined;
      this.streams.set(sensor.sensorId, {
        sensor,
        recon: thingy ? undefined : new StreamReconstructor(),
        thingy,
        clock: new ClockAligner(),
        queue: [],
        decodeErrors: 0,
        samples: 0,
      });
    }
  }

  get roles(): SegmentRole[] {
    return [...this.streams.values()].map((s) => s.sensor.role);
  }

  get sensors(): readonly SegmentSensor[] {
    return [...this.streams.values()].map((s) => s.sensor);
  }

  /** Samples decoded so far from the extra sensor `sensorId`. */
  sampleCount(sensorId: string): number {
    return this.streams.get(sensorId)?.samples ?? 0;
  }

  /** Decode errors per extra sensor id. */
  get decodeErrors(): Record<string, number> {
    return Object.fromEntries([...this.streams].map(([id, s]) => [id, s.decodeErrors]));
  }

  /** True when the notification is from an extra sensor (and was taken). */
  ingest(n: RawNotification): boolean {
    const s = this.streams.get(n.sensorId);
    if (!s) return false;
    const samples: ReconstructedSample[] = [];
    if (s.thingy) {
      const events = s.thingy.decode({
        id: n.sensorId,
        serviceUuid: '',
        characteristicUuid: n.characteristic,
        data: n.bytes,
        hostTimeUs: n.hostTimeUs,
      });
      for (const e of events) {
        if (e.type === 'samples' || e.type === 'recovered') samples.push(...e.samples);
        else if (e.type === 'decodeError') s.decodeErrors++;
      }
    } else {
      const frame = decode(n.bytes);
      if (frame.type === 'error') s.decodeErrors++;
      else if (frame.type === 'imu') {
        for (const e of s.recon!.feed(frame)) if (e.type === 'samples') samples.push(...e.samples);
      }
    }
    s.samples += samples.length;
    const last = samples.at(-1);
    if (last) s.clock.observe(last.sensorTimeUs, n.hostTimeUs);
    for (const x of samples) s.queue.push(x);
    if (s.queue.length > MAX_QUEUED) s.queue.splice(0, s.queue.length - MAX_QUEUED);
    return true;
  }

  /**
   * Feeds the pipeline every queued extra sample up to pelvis sensor time `pelvisUs` (µs, the pelvis's own clock);
   * `toS` turns a pelvis sensor time into the pipeline's seconds.
   */
  feedUntil(pelvisUs: number, toS: (pelvisUs: number) => number, pipeline: Pipeline): void {
    if (!this.pelvisClock.ready) return;
    for (const s of this.streams.values()) {
      if (!s.clock.ready) continue;
      let k = 0;
      for (; k < s.queue.length; k++) {
        const x = s.queue[k]!;
        const atUs = this.pelvisClock.toSensorUs(s.clock.toHostUs(x.sensorTimeUs));
        if (atUs > pelvisUs) break;
        const g = x.gyrRadPerS;
        const a = x.accMps2;
        pipeline.nextSegment(s.sensor.role, toS(atUs), g[0], g[1], g[2], a[0], a[1], a[2]);
      }
      if (k > 0) s.queue.splice(0, k);
    }
  }
}
