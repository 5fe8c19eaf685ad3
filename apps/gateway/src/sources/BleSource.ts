import {
  type Logger as BleLogger,
  type Central,
  createNobleCentral,
  hipcueProfile,
  isCentralError,
  type NobleDriver,
  type SensorConnection,
  type SensorEvent,
  SensorHub,
  type SensorState,
  type Timers,
  thingy52Profile,
} from '@hipcue/ble';
import type { SensorConnection as ConnectionState } from '@hipcue/messages';
import type { Logger } from '../logger.ts';
import type { NotificationSource, SourceSink } from './types.ts';

export type BleProfileName = 'hipcue' | 'thingy52';

/**
 * An optional thigh or upper-lumbar sensor: connected, recorded and shown; the pipeline uses the thigh for clamshell
 * reps and the upper-lumbar sensor for lumbar arching (packages/dsp, docs/dsp.md).
 */
export interface ExtraSensor {
  role: 'thigh' | 'lumbar';
  profile: BleProfileName;
  /** undefined: the first sensor of that profile found. */
  address: string | undefined;
}

export interface BleSourceOptions {
  driver: NobleDriver;
  /** Pelvis sensor address, or undefined to take the first sensor of `pelvisProfile` found. */
  pelvisAddress: string | undefined;
  /** hipcue firmware (default) or a Nordic Thingy:52 with its stock firmware. */
  pelvisProfile?: BleProfileName;
  extraSensors?: readonly ExtraSensor[];
  log: Logger;
  /** Injected in tests (fake central); default: noble via `createNobleCentral`. */
  central?: Central;
  /** Injected in tests with the fake central's clock, so timeouts and watchdogs run on the same time. */
  timers?: Timers;
}

/** Adapts our logger to @hipcue/ble's (whose fields are `unknown`). */
function bleLogger(log: Logger): BleLogger {
  const clean = (f?: Record<string, unknown>) => {
    if (!f) return undefined;
    const out: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(f)) {
      out[k] = typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : String(v);
    }
    return out;
  };
  return {
    debug: (m, f) => log.debug(m, clean(f)),
    info: (m, f) => log.info(m, clean(f)),
    warn: (m, f) => log.warn(m, clean(f)),
    error: (m, f) => log.error(m, clean(f)),
  };
}

/** The BLE layer could not start (no adapter, no permission, noble missing); the message says what to do. */
export class BleUnavailableError extends Error {}

const STATE_MAP: Record<SensorState, ConnectionState> = {
  idle: 'disconnected',
  scanning: 'searching',
  connecting: 'connecting',
  discovering: 'connecting',
  configuring: 'connecting',
  subscribing: 'connecting',
  streaming: 'streaming',
  backoff: 'reconnecting',
  stopped: 'disconnected',
};

/**
 * Real sensors through @hipcue/ble (noble, loaded lazily; the gateway never imports noble itself). The pelvis
 * sensor's raw notifications go into the same pipeline as sim and replay; connection states, battery and
 * errors become sensor status. The pelvis sensor is hipcue firmware or a Thingy:52; thigh and upper-lumbar sensors
 * are connected, recorded and fed to the pipeline beside it (SessionCore, SegmentFeed).
 */
export class BleSource implements NotificationSource {
  readonly kind = 'ble' as const;
  readonly simulated = false;
  readonly profile: BleProfileName;
  /** hipcue firmware: the connection asks the sensor to resend every gap (PROTOCOL.md v1.1). Thingy:52: no. */
  readonly backfill: boolean;
  readonly sensorId = 'pelvis';
  /** hipcue firmware drives a haptic motor (PROTOCOL.md control op `haptic`); the Thingy's stock firmware cannot. */
  readonly haptics: boolean;
  readonly extraSensors: readonly { sensorId: string; role: 'thigh' | 'lumbar'; profile: BleProfileName }[];
  private hub: SensorHub | undefined;
  private pelvis: SensorConnection | undefined;
  private central: Central | undefined;

  constructor(private readonly options: BleSourceOptions) {
    this.profile = options.pelvisProfile ?? 'hipcue';
    this.backfill = this.profile === 'hipcue';
    this.haptics = this.profile === 'hipcue';
    this.extraSensors = (options.extraSensors ?? []).map((x) => ({
      sensorId: x.role,
      role: x.role,
      profile: x.profile,
    }));
  }

  async start(sink: SourceSink): Promise<void> {
    const { log } = this.options;
    sink.state('searching', 'Looking for the Bluetooth adapter…');
    const central = this.options.central ?? (await createNobleCentral({ driver: this.options.driver }));
    this.central = central;
    try {
      await central.waitForPoweredOn({ timeoutMs: 10_000 });
    } catch (err) {
      const message = isCentralError(err) ? err.message : (err as Error).message;
      sink.state('unavailable', message);
      await central.close().catch(() => undefined);
      throw new BleUnavailableError(`Bluetooth is not available (${central.driver}): ${message}`);
    }
    const hub = new SensorHub({
      central,
      logger: bleLogger(log.child('ble')),
      ...(this.options.timers ? { timers: this.options.timers } : {}),
    });
    this.hub = hub;
    hub.onEvent((e: SensorEvent) => this.onEvent(e, sink));
    const profileOf = (name: BleProfileName) => (name === 'thingy52' ? thingy52Profile() : hipcueProfile());
    this.pelvis = hub.add('pelvis', profileOf(this.profile), this.options.pelvisAddress);
    for (const x of this.options.extraSensors ?? []) hub.add(x.role, profileOf(x.profile), x.address);
    log.info('ble started', { driver: central.driver, address: this.options.pelvisAddress ?? 'auto' });
  }

  haptic(patternMs: readonly number[]): void {
    void this.pelvis?.haptic(patternMs);
  }

  async stop(): Promise<void> {
    await this.hub?.stop().catch(() => undefined);
    await this.central?.close().catch(() => undefined);
  }

  private onEvent(e: SensorEvent, sink: SourceSink): void {
    if (e.role !== 'pelvis') {
      // Extra sensors: notifications under their role (recorded, and fed to the pipeline); states shown per sensor.
      if (e.type === 'frame')
        sink.notification({
          hostTimeUs: e.notification.hostTimeUs,
          sensorId: e.role,
          characteristic: e.notification.characteristicUuid,
          bytes: e.notification.data,
        });
      else if (e.type === 'state') {
        this.options.log.info('extra sensor', { role: e.role, state: e.to });
        sink.state(STATE_MAP[e.to], e.reason === undefined ? undefined : `last problem: ${e.reason}`, e.role);
      } else if (e.type === 'watchdog')
        sink.state('reconnecting', `No data for ${Math.round(e.silentMs / 100) / 10} s; reconnecting.`, e.role);
      return;
    }
    switch (e.type) {
      case 'frame':
        sink.notification({
          hostTimeUs: e.notification.hostTimeUs,
          sensorId: this.sensorId,
          characteristic: e.notification.characteristicUuid,
          bytes: e.notification.data,
        });
        break;
      case 'state':
        sink.state(STATE_MAP[e.to], e.reason === undefined ? undefined : `last problem: ${e.reason}`);
        break;
      case 'watchdog':
        sink.state('reconnecting', `No data for ${Math.round(e.silentMs / 100) / 10} s; reconnecting.`);
        break;
      case 'error':
        this.options.log.warn('sensor error', { during: e.during, code: e.code, message: e.message });
        break;
      default:
        break;
    }
  }
}
