import type { DecodeError, ReconstructedSample, StatusFrame } from '@hipcue/firmware-protocol';
import type { CallOptions, Connection, Notification } from '../central.ts';

/** Where a sensor is worn. The pelvis sensor is required; thigh and upper-lumbar sensors are optional. */
export type SensorRole = 'pelvis' | 'thigh' | 'lumbar';

/** A decoded sample in SI units (sensor frame), with monotonic `seq` and `sensorTimeUs` across reconnects. */
export type SensorSample = ReconstructedSample;

/** What a profile makes of notifications. Samples come in sequence order; losses are reported, never hidden. */
export type ProfileEvent =
  | { readonly type: 'samples'; readonly samples: SensorSample[] }
  /** Samples known to be lost: unwrapped seq `fromSeq`..`toSeq` (estimated from arrival times for a Thingy). */
  | {
      readonly type: 'gap';
      readonly fromSeq: number;
      readonly toSeq: number;
      readonly lostSamples: number;
      readonly fromTimeUs: number;
      readonly toTimeUs: number;
    }
  /** Samples that arrived after their range was reported as a gap (late or backfilled). */
  | { readonly type: 'recovered'; readonly samples: SensorSample[] }
  | { readonly type: 'restart'; readonly atSeq: number }
  | { readonly type: 'battery'; readonly batteryPct: number | null }
  | { readonly type: 'status'; readonly status: StatusFrame }
  /** A notification that did not decode; the stream goes on. */
  | { readonly type: 'decodeError'; readonly characteristicUuid: string; readonly error: DecodeError };

/** Turns one sensor's notifications into events. Lives as long as the sensor (across reconnects). */
export interface ProfileDecoder {
  decode(notification: Notification): ProfileEvent[];
  /** The link went down: emit what is held back (reordering window), declaring holes as gaps. */
  flush(): ProfileEvent[];
}

/** What a sensor said about itself during setup. */
export interface SensorInfo {
  readonly model: string | undefined;
  readonly firmware: string | undefined;
  readonly batteryPct: number | null;
  readonly sampleRateHz: number;
}

/**
 * How to talk to one kind of sensor. Each step is called on a fresh link, in order, and may reject with a
 * `CentralError` (the connection state machine then reconnects).
 */
export interface SensorProfile {
  readonly name: 'hipcue' | 'thingy52';
  /** The service to scan for. */
  readonly serviceUuid: string;
  /** Samples per second once streaming. */
  readonly sampleRateHz: number;
  /** The characteristic whose notifications carry samples; the watchdog watches it. */
  readonly dataCharacteristicUuid: string;
  /** Find the services and read what the sensor says about itself. `not-found` if it is not this kind of sensor. */
  discover(connection: Connection, options: CallOptions): Promise<SensorInfo>;
  /** Write the configuration (rate, ranges). */
  configure(connection: Connection, options: CallOptions): Promise<void>;
  /** Subscribe to data (and status/battery) and start the stream. */
  subscribe(connection: Connection, options: CallOptions): Promise<void>;
  readBattery(connection: Connection, options: CallOptions): Promise<number | null>;
  createDecoder(): ProfileDecoder;
  /**
   * Ask the sensor to resend `count` samples a gap lost (issue 8), from unwrapped seq `fromSeq`; they come back as
   * `recovered` events, and what is older than the sensor's history stays a gap. Absent when the sensor has no
   * history buffer (Thingy:52: gaps stay gaps).
   */
  requestBackfill?(connection: Connection, fromSeq: number, count: number, options: CallOptions): Promise<void>;
  /**
   * Buzz the sensor's haptic motor (hipcue firmware: control op `haptic`, PROTOCOL.md): alternating on/off
   * durations in ms, at most 8 steps. Absent when the sensor has no motor (Thingy:52 stock firmware).
   */
  haptic?(
    connection: Connection,
    patternMs: readonly number[],
    intensityPct: number,
    options: CallOptions,
  ): Promise<void>;
}
