import type { DecodeError, StatusFrame } from '@hipcue/firmware-protocol';
import type { Notification } from './central.ts';
import type { SensorInfo, SensorRole, SensorSample } from './profiles/sensorProfile.ts';

/** States of one sensor's connection (docs/ble.md has the transition table). */
export type SensorState =
  | 'idle'
  | 'scanning'
  | 'connecting'
  | 'discovering'
  | 'configuring'
  | 'subscribing'
  | 'streaming'
  | 'backoff'
  | 'stopped';

/** Everything a sensor connection reports, keyed by `type`; every event names the sensor's role. */
export type SensorEvent =
  | {
      readonly type: 'state';
      readonly role: SensorRole;
      readonly from: SensorState;
      readonly to: SensorState;
      /** Consecutive failed attempts so far (0 once streaming). */
      readonly attempt: number;
      /** Why, when the transition follows a failure (error code or 'watchdog' / 'link-lost'). */
      readonly reason?: string;
    }
  | {
      readonly type: 'connected';
      readonly role: SensorRole;
      readonly id: string;
      readonly address: string;
      readonly mtu: number;
      readonly info: SensorInfo;
    }
  /** The raw notification exactly as received (for recordings), before decoding. */
  | { readonly type: 'frame'; readonly role: SensorRole; readonly notification: Notification }
  | { readonly type: 'samples'; readonly role: SensorRole; readonly samples: SensorSample[] }
  | {
      readonly type: 'gap';
      readonly role: SensorRole;
      readonly fromSeq: number;
      readonly toSeq: number;
      readonly lostSamples: number;
      readonly fromTimeUs: number;
      readonly toTimeUs: number;
    }
  | { readonly type: 'recovered'; readonly role: SensorRole; readonly samples: SensorSample[] }
  /** A gap was asked for again from the sensor's history (issue 8); `accepted` false if the sensor refused. */
  | {
      readonly type: 'backfillRequested';
      readonly role: SensorRole;
      readonly fromSeq: number;
      readonly toSeq: number;
      readonly accepted: boolean;
    }
  | { readonly type: 'restart'; readonly role: SensorRole; readonly atSeq: number }
  | { readonly type: 'battery'; readonly role: SensorRole; readonly batteryPct: number | null }
  | { readonly type: 'status'; readonly role: SensorRole; readonly status: StatusFrame }
  | {
      readonly type: 'decodeError';
      readonly role: SensorRole;
      readonly characteristicUuid: string;
      readonly error: DecodeError;
    }
  /** No data for `silentMs` on a live link; the link is dropped and re-established. */
  | { readonly type: 'watchdog'; readonly role: SensorRole; readonly silentMs: number }
  /** A step failed; the state machine backs off and retries. */
  | {
      readonly type: 'error';
      readonly role: SensorRole;
      readonly during: SensorState;
      readonly code: string;
      readonly message: string;
    };
