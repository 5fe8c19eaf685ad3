import type { Central } from './central.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { SensorProfile, SensorRole } from './profiles/sensorProfile.ts';
import { SensorConnection, type SensorConnectionSettings } from './sensorConnection.ts';
import type { SensorEvent } from './sensorEvents.ts';
import { SharedScanner } from './sharedScanner.ts';
import { systemTimers, type Timers } from './timers.ts';

export interface SensorHubOptions {
  readonly central: Central;
  readonly timers?: Timers;
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly settings?: Partial<SensorConnectionSettings>;
}

/**
 * Up to three sensors on one central, one per role (pelvis, thigh, lumbar): one shared scan, no peripheral
 * claimed by two roles, and all their events on one channel.
 */
export class SensorHub {
  static readonly maxSensors = 3;
  readonly #options: SensorHubOptions;
  readonly #scanner: SharedScanner;
  readonly #sensors = new Map<SensorRole, SensorConnection>();
  readonly #listeners = new Set<(event: SensorEvent) => void>();

  constructor(options: SensorHubOptions) {
    this.#options = options;
    this.#scanner = new SharedScanner(options.central, {
      timers: options.timers ?? systemTimers,
      logger: options.logger ?? silentLogger,
    });
  }

  get sensors(): ReadonlyMap<SensorRole, SensorConnection> {
    return this.#sensors;
  }

  /** Add a sensor for `role` (and start it). Throws RangeError for a duplicate role. */
  add(role: SensorRole, profile: SensorProfile, address?: string): SensorConnection {
    if (this.#sensors.has(role)) throw new RangeError(`a ${role} sensor is already configured`);
    if (this.#sensors.size >= SensorHub.maxSensors) throw new RangeError(`at most ${SensorHub.maxSensors} sensors`);
    const o = this.#options;
    const sensor = new SensorConnection({
      role,
      profile,
      central: o.central,
      scanner: this.#scanner,
      isClaimed: (id) => [...this.#sensors.values()].some((s) => s.role !== role && s.peripheralId === id),
      ...(address === undefined ? {} : { address }),
      ...(o.timers === undefined ? {} : { timers: o.timers }),
      ...(o.random === undefined ? {} : { random: o.random }),
      ...(o.logger === undefined ? {} : { logger: o.logger }),
      ...(o.settings === undefined ? {} : { settings: o.settings }),
    });
    sensor.onEvent((e) => {
      for (const l of [...this.#listeners]) l(e);
    });
    this.#sensors.set(role, sensor);
    sensor.start();
    return sensor;
  }

  onEvent(listener: (event: SensorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#sensors.values()].map((s) => s.stop()));
  }
}
