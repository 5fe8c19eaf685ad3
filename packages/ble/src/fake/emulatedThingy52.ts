import {
  decodeThingyMotionConfig,
  encodeThingyMotionConfig,
  encodeThingyRawMotion,
  STANDARD_UUIDS,
  THINGY_DEFAULT_CONFIG,
  THINGY_UUIDS,
  type ThingyMotionConfig,
  thingyRawCountsFromPhysical,
} from '@hipcue/firmware-protocol';
import { systemTimers, type TimerHandle, type Timers } from '../timers.ts';
import { atRest, type MotionSource } from './emulatedHipcueSensor.ts';
import { ATT_ERROR, EmulatedPeripheral } from './emulatedPeripheral.ts';

export interface EmulatedThingy52Options {
  readonly address: string;
  readonly timers?: Timers;
  readonly motion?: MotionSource;
  readonly batteryPct?: number;
}

const MOTION = THINGY_UUIDS.motionService.noble;
const CONFIG = THINGY_UUIDS.motionConfig.noble;
const RAW = THINGY_UUIDS.rawData.noble;

/**
 * A Nordic Thingy:52 with stock firmware, as far as hipcue uses it: the motion configuration characteristic
 * (invalid values refused with "write not permitted", like m_motion.c), raw motion notifications at the motion
 * processing frequency while subscribed (one sample each, no sequence number or timestamp), battery level.
 */
export class EmulatedThingy52 {
  readonly peripheral: EmulatedPeripheral;
  config: ThingyMotionConfig = THINGY_DEFAULT_CONFIG;
  silent = false;
  batteryPct: number;
  readonly #timers: Timers;
  readonly #motion: MotionSource;
  readonly #bootMs: number;
  #tick: TimerHandle | undefined;
  #sent = 0;
  #epochMs = 0;

  constructor(options: EmulatedThingy52Options) {
    this.#timers = options.timers ?? systemTimers;
    this.#motion = options.motion ?? atRest;
    this.#bootMs = this.#timers.now();
    this.batteryPct = options.batteryPct ?? 64;
    this.peripheral = new EmulatedPeripheral({
      address: options.address,
      localName: 'Thingy',
      advertisedServiceUuids: [THINGY_UUIDS.motionService.noble],
      services: [
        {
          uuid: MOTION,
          characteristics: [
            {
              uuid: CONFIG,
              properties: ['read', 'write'],
              onRead: () => encodeThingyMotionConfig(this.config),
              onWrite: (data) => this.#onConfig(data),
            },
            { uuid: RAW, properties: ['notify'] },
          ],
        },
        {
          uuid: STANDARD_UUIDS.battery.noble,
          characteristics: [
            {
              uuid: STANDARD_UUIDS.batteryLevel.noble,
              properties: ['read', 'notify'],
              onRead: () => Uint8Array.of(this.batteryPct),
            },
          ],
        },
      ],
    });
    this.peripheral.onSubscribe((serviceUuid, characteristicUuid, on) => {
      if (serviceUuid !== MOTION || characteristicUuid !== RAW) return;
      if (on) this.#start();
      else this.#stop();
    });
    this.peripheral.onDisconnect(() => this.#stop());
  }

  #onConfig(data: Uint8Array): number | undefined {
    const config = decodeThingyMotionConfig(data);
    if (config.type === 'error') return ATT_ERROR.writeNotPermitted;
    this.config = config;
    if (this.#tick !== undefined) this.#start();
    return undefined;
  }

  #start(): void {
    this.#stop();
    this.#epochMs = this.#timers.now();
    this.#sent = 0;
    const periodMs = 1000 / this.config.motionProcessingFrequencyHz;
    const tick = (): void => {
      const due = Math.floor((this.#timers.now() - this.#epochMs) / periodMs);
      while (this.#sent <= due) {
        const timeS = (this.#epochMs + this.#sent * periodMs - this.#bootMs) / 1000;
        this.#sent++;
        const { accMps2, gyrRadPerS } = this.#motion(timeS);
        if (!this.silent) {
          this.peripheral.notify(
            MOTION,
            RAW,
            encodeThingyRawMotion(thingyRawCountsFromPhysical(accMps2, gyrRadPerS, [20, 0, -40])),
          );
        }
      }
      this.#tick = this.#timers.setTimeout(tick, Math.min(5, periodMs));
    };
    this.#tick = this.#timers.setTimeout(tick, 0);
  }

  #stop(): void {
    if (this.#tick !== undefined) this.#timers.clearTimeout(this.#tick);
    this.#tick = undefined;
  }
}
