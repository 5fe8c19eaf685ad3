import {
  decodeThingyMotionConfig,
  decodeThingyRawMotion,
  encodeThingyMotionConfig,
  STANDARD_UUIDS,
  THINGY_DEFAULT_CONFIG,
  THINGY_UUIDS,
} from '@hipcue/firmware-protocol';
import type { Notification } from '../central.ts';
import { CentralError } from '../centralError.ts';
import { readBatteryLevel } from './hipcueProfile.ts';
import type { ProfileDecoder, ProfileEvent, SensorProfile } from './sensorProfile.ts';

export interface Thingy52ProfileSettings {
  /** Motion processing frequency, 1..200 Hz (raw notifications per second). Default 100. */
  readonly sampleRateHz: number;
  /** An arrival gap longer than this many sample periods is reported as lost samples. Default 3. */
  readonly gapPeriods: number;
}

export const thingy52ProfileDefaultSettings: Thingy52ProfileSettings = { sampleRateHz: 100, gapPeriods: 3 };

const MOTION = THINGY_UUIDS.motionService.noble;
const CONFIG = THINGY_UUIDS.motionConfig.noble;
const RAW = THINGY_UUIDS.rawData.noble;
const BATTERY = STANDARD_UUIDS.battery.noble;
const BATTERY_LEVEL = STANDARD_UUIDS.batteryLevel.noble;

/**
 * Nordic Thingy:52 with stock firmware. Raw motion carries no sequence number or timestamp, so samples are numbered
 * on arrival and stamped with the host receive time; gaps are estimated from arrival-time holes (BLE delivers in
 * connection-event bursts, so only holes longer than `gapPeriods` periods count). Gaps stay gaps: no backfill.
 */
export function thingy52Profile(settings: Partial<Thingy52ProfileSettings> = {}): SensorProfile {
  const s = { ...thingy52ProfileDefaultSettings, ...settings };
  if (!Number.isInteger(s.sampleRateHz) || s.sampleRateHz < 1 || s.sampleRateHz > 200) {
    throw new RangeError(`Thingy:52 motion frequency must be an integer 1..200 Hz, got ${s.sampleRateHz}`);
  }
  return {
    name: 'thingy52',
    serviceUuid: MOTION,
    sampleRateHz: s.sampleRateHz,
    dataCharacteristicUuid: RAW,
    async discover(connection, options) {
      const services = await connection.discover([MOTION, BATTERY], options);
      if (!services.some((x) => x.uuid === MOTION)) {
        throw new CentralError('not-found', `${connection.id} has no Thingy motion service`, {
          peripheralId: connection.id,
        });
      }
      const batteryPct = services.some((x) => x.uuid === BATTERY) ? await readBatteryLevel(connection, options) : null;
      return { model: 'Thingy:52', firmware: undefined, batteryPct, sampleRateHz: s.sampleRateHz };
    },
    async configure(connection, options) {
      const current = decodeThingyMotionConfig(await connection.read(MOTION, CONFIG, options));
      const base = current.type === 'error' ? THINGY_DEFAULT_CONFIG : current;
      const config = { ...base, motionProcessingFrequencyHz: s.sampleRateHz };
      await connection.write(MOTION, CONFIG, encodeThingyMotionConfig(config), options);
    },
    async subscribe(connection, options) {
      await connection.subscribe(MOTION, RAW, options);
    },
    readBattery: readBatteryLevel,
    createDecoder: () => new ThingyDecoder(s.sampleRateHz, s.gapPeriods),
  };
}

class ThingyDecoder implements ProfileDecoder {
  readonly #periodUs: number;
  readonly #gapPeriods: number;
  #seq = 0;
  #lastHostUs: number | undefined;

  constructor(rateHz: number, gapPeriods: number) {
    this.#periodUs = 1e6 / rateHz;
    this.#gapPeriods = gapPeriods;
  }

  decode(n: Notification): ProfileEvent[] {
    if (n.characteristicUuid === BATTERY_LEVEL) return [{ type: 'battery', batteryPct: n.data[0] ?? null }];
    if (n.characteristicUuid !== RAW) return [];
    const raw = decodeThingyRawMotion(n.data);
    if (raw.type === 'error') return [{ type: 'decodeError', characteristicUuid: RAW, error: raw }];
    const events: ProfileEvent[] = [];
    const last = this.#lastHostUs;
    if (last !== undefined && n.hostTimeUs - last > this.#gapPeriods * this.#periodUs) {
      const lost = Math.round((n.hostTimeUs - last) / this.#periodUs) - 1;
      if (lost > 0) {
        events.push({
          type: 'gap',
          fromSeq: this.#seq,
          toSeq: this.#seq + lost - 1,
          lostSamples: lost,
          fromTimeUs: last + this.#periodUs,
          toTimeUs: n.hostTimeUs - this.#periodUs,
        });
        this.#seq += lost;
      }
    }
    this.#lastHostUs = n.hostTimeUs;
    events.push({
      type: 'samples',
      samples: [
        {
          seq: this.#seq++,
          sensorTimeUs: n.hostTimeUs,
          accMps2: raw.accMps2,
          gyrRadPerS: raw.gyrRadPerS,
          magUt: raw.magUt,
          backfill: false,
        },
      ],
    });
    return events;
  }

  flush(): ProfileEvent[] {
    return [];
  }
}
