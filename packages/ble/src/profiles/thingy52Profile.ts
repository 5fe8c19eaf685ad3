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

/** Longest BLE burst delay taken for jitter rather than loss, µs (a 50 ms connection interval). */
const BURST_ALLOWANCE_US = 50_000;
/** Samples since the anchor before the period is measured rather than taken as nominal. */
const PERIOD_MIN_SPAN = 100;

/**
 * Raw motion → samples. The Thingy sends no timestamps and BLE delivers notifications in connection-event bursts,
 * so arrival times jitter by up to a connection interval. Sample times are put on a grid instead:
 * `t = offset + (seq − anchorSeq)·period`, where `period` is measured over the span since the anchor (it follows
 * the Thingy's clock error, ±1–2 %, with burst delays averaging out) and `offset` is the lower envelope of the
 * arrivals (a sample cannot arrive before it was measured; the envelope may rise 0.05 % of a period per sample).
 * A hole longer than `gapPeriods` periods plus one long connection interval is reported as lost samples.
 */
class ThingyDecoder implements ProfileDecoder {
  readonly #nominalUs: number;
  readonly #gapPeriods: number;
  #seq = 0;
  #periodUs: number;
  #anchorSeq = 0;
  #anchorHostUs: number | undefined;
  #offsetUs = 0;
  /** Running mean of how late arrivals are behind the grid (burst delivery), µs. */
  #delayUs = 0;
  #lastTimeUs = Number.NEGATIVE_INFINITY;

  constructor(rateHz: number, gapPeriods: number) {
    this.#nominalUs = 1e6 / rateHz;
    this.#periodUs = this.#nominalUs;
    this.#gapPeriods = gapPeriods;
  }

  decode(n: Notification): ProfileEvent[] {
    if (n.characteristicUuid === BATTERY_LEVEL) return [{ type: 'battery', batteryPct: n.data[0] ?? null }];
    if (n.characteristicUuid !== RAW) return [];
    const raw = decodeThingyRawMotion(n.data);
    if (raw.type === 'error') return [{ type: 'decodeError', characteristicUuid: RAW, error: raw }];
    const events: ProfileEvent[] = [];
    const host = n.hostTimeUs;
    if (this.#anchorHostUs === undefined) {
      this.#anchor(host);
    } else {
      const late = host - this.#gridUs(this.#seq) - this.#delayUs;
      if (late > this.#gapPeriods * this.#periodUs + BURST_ALLOWANCE_US) {
        const lost = Math.round(late / this.#periodUs);
        if (lost > 0) {
          events.push({
            type: 'gap',
            fromSeq: this.#seq,
            toSeq: this.#seq + lost - 1,
            lostSamples: lost,
            fromTimeUs: this.#gridUs(this.#seq),
            toTimeUs: this.#gridUs(this.#seq + lost - 1),
          });
          // The grid runs on across the hole (its samples are numbered); the envelope absorbs the rounding.
          this.#seq += lost;
        }
      }
    }
    const k = this.#seq - this.#anchorSeq;
    if (k >= PERIOD_MIN_SPAN) {
      // Slowly: the span's end carries one burst delay, so `measured` is noisy by ±interval/k; a small gain keeps
      // each step's time correction to tens of µs.
      const measured = (host - this.#anchorHostUs!) / k;
      const next = this.#periodUs + 0.002 * (measured - this.#periodUs);
      this.#periodUs = Math.min(this.#nominalUs * 1.05, Math.max(this.#nominalUs * 0.95, next));
    }
    this.#offsetUs = Math.min(this.#offsetUs + 0.0005 * this.#periodUs, host - k * this.#periodUs);
    const seq = this.#seq++;
    // Time never runs backwards when the grid is corrected: at least half a period after the last sample.
    const t = Math.round(Math.max(this.#offsetUs + k * this.#periodUs, this.#lastTimeUs + this.#periodUs / 2));
    this.#lastTimeUs = t;
    this.#delayUs += 0.02 * (host - t - this.#delayUs);
    events.push({
      type: 'samples',
      samples: [
        { seq, sensorTimeUs: t, accMps2: raw.accMps2, gyrRadPerS: raw.gyrRadPerS, magUt: raw.magUt, backfill: false },
      ],
    });
    return events;
  }

  #anchor(hostUs: number): void {
    this.#anchorSeq = this.#seq;
    this.#anchorHostUs = hostUs;
    this.#offsetUs = hostUs;
  }

  #gridUs(seq: number): number {
    return this.#offsetUs + (seq - this.#anchorSeq) * this.#periodUs;
  }

  flush(): ProfileEvent[] {
    return [];
  }
}
