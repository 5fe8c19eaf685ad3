import type { ChartMessage, ClientMessage, ErrorCode, Role, SessionEvent, Snapshot } from '@hipcue/messages';

/** One raw BLE notification as every source yields it. */
export interface RawNotification {
  /** Host receive time, integer µs (monotonic for live sources, from the recording for replay). */
  hostTimeUs: number;
  sensorId: string;
  /** GATT characteristic UUID, lowercase hex without dashes. */
  characteristic: string;
  bytes: Uint8Array;
  backfill?: boolean;
}

/** One decoded sample with its pelvis angles, for raw/derived live channels (Foxglove). */
export interface LiveSample {
  tS: number;
  gyrRadPerS: [number, number, number];
  accMps2: [number, number, number];
  tiltDeg: number;
  obliquityDeg: number;
  rotationDeg: number;
}

export interface SessionListener {
  events?(events: SessionEvent[]): void;
  chart?(chart: ChartMessage): void;
  samples?(samples: readonly LiveSample[]): void;
  /**
   * Each sample's pelvis angles at that sample's own time, as the pipeline computes them: in time order, from
   * calibration on, and for the first reps only once the movement axis is known (then a second or few late, while
   * `samples` already carries newer samples with the angles of older ones). For keeping a session's angles (review).
   */
  angles?(tS: number, tiltDeg: number, obliquityDeg: number, rotationDeg: number): void;
  /** The session was replaced (new exercise): every client needs a fresh snapshot. */
  reset?(): void;
}

export type CommandResult =
  | { ok: true }
  | { ok: false; code: Extract<ErrorCode, 'invalid-state' | 'bad-message'>; message: string };

/** What the WebSocket hub needs from the live session. */
export interface LiveSessionHandle {
  readonly sessionId: string;
  snapshot(clientId: string, role: Role): Snapshot;
  /** Applies a validated, role-checked client message. */
  command(message: ClientMessage, role: Role): CommandResult;
  subscribe(listener: SessionListener): () => void;
  /**
   * `performance.now()` (ms) when the notification being processed arrived at the gateway, while listeners run
   * synchronously inside its processing; undefined otherwise. The hub measures notification-in → message-out from it.
   */
  readonly ingestMs: number | undefined;
}
