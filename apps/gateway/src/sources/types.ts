import type { Exercise, SensorConnection, Side, SourceKind } from '@hipcue/messages';
import type { RawNotification } from '../session/types.ts';

/** A command recorded in a session that a replay re-applies at the same sample (see SessionCore.control). */
export type ReplayedControl =
  | { type: 'calibrate' | 'start-set' | 'end-set'; tS: number }
  | { type: 'threshold'; tS: number; name: string; value: number };

export interface SourceSink {
  notification(n: RawNotification): void;
  /**
   * Connection state changes, with a plain-language message when something is wrong; `sensorId` names an extra
   * sensor (thigh, upper lumbar), absent for the pelvis.
   */
  state(state: SensorConnection, message?: string, sensorId?: string): void;
  /** The source has no more data (replay end). */
  end(): void;
}

/**
 * Where raw notifications come from: `sim` (the built-in simulated patient), `replay` (a recording) or `ble`
 * (real sensors). Every source yields `{ hostTimeUs, sensorId, characteristic, bytes }` exactly as a BLE
 * notification would arrive, so one pipeline serves all three.
 */
export interface NotificationSource {
  readonly kind: SourceKind;
  readonly simulated: boolean;
  readonly sensorId: string;
  /** `hipcue` or `thingy52`. */
  readonly profile: string;
  /** Set by replay from the recording's metadata; live sources take the command line's. */
  readonly exercise?: Exercise;
  readonly side?: Side;
  /**
   * The sensor resends gaps from its history (hipcue firmware v1.1 over BLE, issue 8), so the session holds live
   * samples behind a gap until they arrive. Replay takes it from the recording so it releases where live did.
   */
  readonly backfill?: boolean;
  /** Sensors besides the pelvis: recorded under their `sensorId`, and used by the pipeline where they help. */
  readonly extraSensors?: readonly { sensorId: string; role: 'thigh' | 'lumbar'; profile: string }[];
  /** The sensor has a haptic motor the gateway can buzz when a correction cue fires (hipcue firmware). */
  readonly haptics?: boolean;
  /** Buzz the sensor (alternating on/off ms); best effort, never throws. */
  haptic?(patternMs: readonly number[]): void;
  /** Replay only: commands the recorded session applied, in order. */
  readonly controls?: readonly ReplayedControl[];
  start(sink: SourceSink): Promise<void>;
  stop(): Promise<void>;
}

/** Pacing for sim and replay: 1 = real time, 10 = ten times faster, Infinity = as fast as possible. */
export interface Pacing {
  speed: number;
  /** Wall clock in ms (injected for tests). */
  nowMs?: () => number;
}
