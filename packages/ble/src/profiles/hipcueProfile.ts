import {
  type AccRangeCode,
  decode,
  encodeControlFrame,
  type GyrRangeCode,
  HIPCUE_UUIDS,
  type RateCode,
  type ReconstructorEvent,
  rateCodeForHz,
  STANDARD_UUIDS,
  StreamReconstructor,
  type StreamReconstructorSettings,
} from '@hipcue/firmware-protocol';
import type { CallOptions, Connection, Notification } from '../central.ts';
import { CentralError, isCentralError } from '../centralError.ts';
import type { ProfileDecoder, ProfileEvent, SensorInfo, SensorProfile } from './sensorProfile.ts';

export interface HipcueProfileSettings {
  /** One of 12.5 · 2^k Hz (12.5 … 1600). Default 100 (PROTOCOL.md: what the exercises need). */
  readonly sampleRateHz: number;
  readonly accRangeCode: AccRangeCode;
  readonly gyrRangeCode: GyrRangeCode;
  readonly reconstructor?: Partial<StreamReconstructorSettings>;
  /** After a gap, ask the sensor to resend from its history buffer (issue 8). Default true. */
  readonly backfill?: boolean;
}

/** ±4 g and ±500 °/s: a hip thrust stays well inside both, with resolution to spare. */
export const hipcueProfileDefaultSettings: HipcueProfileSettings = {
  sampleRateHz: 100,
  accRangeCode: 1,
  gyrRangeCode: 2,
};

const S = HIPCUE_UUIDS.service.noble;
const IMU = HIPCUE_UUIDS.imuData.noble;
const CONTROL = HIPCUE_UUIDS.control.noble;
const STATUS = HIPCUE_UUIDS.status.noble;
const DIS = STANDARD_UUIDS.deviceInformation.noble;
const BATTERY = STANDARD_UUIDS.battery.noble;
const BATTERY_LEVEL = STANDARD_UUIDS.batteryLevel.noble;

/** The hipcue firmware profile (firmware-protocol/PROTOCOL.md). */
export function hipcueProfile(settings: Partial<HipcueProfileSettings> = {}): SensorProfile {
  const s = { ...hipcueProfileDefaultSettings, ...settings };
  const rateCode = rateCodeForHz(s.sampleRateHz);
  if (rateCode === undefined) throw new RangeError(`sampleRateHz ${s.sampleRateHz} is not 12.5 · 2^k Hz (12.5 … 1600)`);
  const write = (c: Connection, bytes: Uint8Array, o: CallOptions) => c.write(S, CONTROL, bytes, o);
  return {
    name: 'hipcue',
    serviceUuid: S,
    sampleRateHz: s.sampleRateHz,
    dataCharacteristicUuid: IMU,
    async discover(connection, options) {
      const services = await connection.discover([S, DIS, BATTERY], options);
      if (!services.some((x) => x.uuid === S)) {
        throw new CentralError('not-found', `${connection.id} has no hipcue service ${S}`, {
          peripheralId: connection.id,
        });
      }
      const hasDis = services.some((x) => x.uuid === DIS);
      const model = hasDis ? await readText(connection, DIS, STANDARD_UUIDS.modelNumber.noble, options) : undefined;
      const firmware = hasDis
        ? await readText(connection, DIS, STANDARD_UUIDS.firmwareRevision.noble, options)
        : undefined;
      const batteryPct = services.some((x) => x.uuid === BATTERY) ? await readBatteryLevel(connection, options) : null;
      return { model, firmware, batteryPct, sampleRateHz: s.sampleRateHz } satisfies SensorInfo;
    },
    async configure(connection, options) {
      await write(connection, encodeControlFrame({ type: 'control', op: 'stopStreaming' }), options);
      await write(
        connection,
        encodeControlFrame({ type: 'control', op: 'setSampleRate', rateCode: rateCode as RateCode }),
        options,
      );
      await write(
        connection,
        encodeControlFrame({
          type: 'control',
          op: 'setRanges',
          accRangeCode: s.accRangeCode,
          gyrRangeCode: s.gyrRangeCode,
        }),
        options,
      );
    },
    async subscribe(connection, options) {
      await connection.subscribe(S, STATUS, options);
      await connection.subscribe(S, IMU, options);
      await write(connection, encodeControlFrame({ type: 'control', op: 'startStreaming' }), options);
    },
    readBattery: readBatteryLevel,
    createDecoder: () => new HipcueDecoder(s.reconstructor),
    haptic: (connection: Connection, patternMs: readonly number[], intensityPct: number, options: CallOptions) =>
      write(connection, encodeControlFrame({ type: 'control', op: 'haptic', intensityPct, patternMs }), options),
    ...(s.backfill === false
      ? {}
      : {
          requestBackfill: (connection: Connection, fromSeq: number, count: number, options: CallOptions) =>
            write(
              connection,
              encodeControlFrame({
                type: 'control',
                op: 'resendFrom',
                seq: fromSeq & 0xffff,
                count: Math.min(count, 0xffff),
              }),
              options,
            ),
        }),
  };
}

class HipcueDecoder implements ProfileDecoder {
  readonly #reconstructor: StreamReconstructor;

  constructor(settings: Partial<StreamReconstructorSettings> | undefined) {
    this.#reconstructor = new StreamReconstructor(settings);
  }

  decode(n: Notification): ProfileEvent[] {
    if (n.characteristicUuid === BATTERY_LEVEL) return [{ type: 'battery', batteryPct: n.data[0] ?? null }];
    if (n.characteristicUuid !== IMU && n.characteristicUuid !== STATUS) return [];
    const frame = decode(n.data);
    if (frame.type === 'error')
      return [{ type: 'decodeError', characteristicUuid: n.characteristicUuid, error: frame }];
    if (frame.type === 'status')
      return [
        { type: 'status', status: frame },
        { type: 'battery', batteryPct: frame.batteryPct },
      ];
    if (frame.type !== 'imu') return [];
    return this.#reconstructor.feed(frame).map(toProfileEvent);
  }

  flush(): ProfileEvent[] {
    return this.#reconstructor.flush().map(toProfileEvent);
  }
}

function toProfileEvent(e: ReconstructorEvent): ProfileEvent {
  return e;
}

async function readText(
  c: Connection,
  service: string,
  characteristic: string,
  o: CallOptions,
): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await c.read(service, characteristic, o));
  } catch (error) {
    if (isCentralError(error, 'not-found') || isCentralError(error, 'gatt')) return undefined;
    throw error;
  }
}

/** Battery Level (0x2A19): uint8 percent; null when absent or out of range. */
export async function readBatteryLevel(c: Connection, o: CallOptions): Promise<number | null> {
  try {
    const value = (await c.read(BATTERY, BATTERY_LEVEL, o))[0];
    return value !== undefined && value <= 100 ? value : null;
  } catch (error) {
    if (isCentralError(error, 'not-found') || isCentralError(error, 'gatt')) return null;
    throw error;
  }
}
