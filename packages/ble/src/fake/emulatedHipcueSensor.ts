import {
  type AccRangeCode,
  BACKFILL_FRAMES_PER_LIVE_FRAME,
  decode,
  encodeImuFrame,
  encodeStatusFrame,
  type GyrRangeCode,
  HIPCUE_UUIDS,
  HISTORY_CAPACITY_SAMPLES,
  imuFrameFromPhysical,
  maxSamplesPerFrame,
  type RateCode,
  type ResendPlan,
  SampleHistory,
  STANDARD_UUIDS,
  STATUS_ERROR,
  type StatusFrame,
  samplePeriodUs,
  type Vec3,
} from '@hipcue/firmware-protocol';
import { systemTimers, type TimerHandle, type Timers } from '../timers.ts';
import { ATT_ERROR, EmulatedPeripheral } from './emulatedPeripheral.ts';

/** What the IMU measures at a sensor time (seconds since power-on). */
export type MotionSource = (timeS: number) => { accMps2: Vec3; gyrRadPerS: Vec3 };

/** At rest, level: gravity's reaction along +z, no rotation. */
export const atRest: MotionSource = () => ({ accMps2: [0, 0, 9.80665], gyrRadPerS: [0, 0, 0] });

export interface EmulatedHipcueSensorOptions {
  readonly address: string;
  readonly localName?: string;
  readonly timers?: Timers;
  readonly motion?: MotionSource;
  readonly batteryPct?: number;
  /** How often the sample clock is checked, ms (samples due are emitted in one burst). Default 5. */
  readonly tickMs?: number;
  readonly maxMtu?: number;
  /** Longest a sample waits for its frame to fill before it is sent anyway, ms. Default 40 (PROTOCOL.md). */
  readonly maxLatencyMs?: number;
  /** History ring for `resendFrom` (v1.1, issue 8), in samples; 0 = a v1.0 sensor (refuses). Default 2048 (PROTOCOL.md). */
  readonly historySamples?: number;
}

const S = HIPCUE_UUIDS.service.noble;
const IMU = HIPCUE_UUIDS.imuData.noble;
const CONTROL = HIPCUE_UUIDS.control.noble;
const STATUS = HIPCUE_UUIDS.status.noble;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * A hipcue pelvis sensor as the firmware protocol describes it: control writes (rate, ranges, start/stop),
 * IMU frames packed to the link's MTU with wrapping seq/time, status and battery, Device Information.
 * Streams from its own sample clock (`timers`), so it runs under the fakes and behind the HCI controller alike.
 * Test knobs: `silent` (link up, no data: the gateway's watchdog should fire), `skipSamples(n)` (sensor-side loss),
 * and the EmulatedPeripheral knobs (`dropLink()`, `responseDelayMs`, `respond`, `advertising`).
 */
export class EmulatedHipcueSensor {
  readonly peripheral: EmulatedPeripheral;
  rateCode: RateCode = 3;
  accRangeCode: AccRangeCode = 1;
  gyrRangeCode: GyrRangeCode = 2;
  streaming = false;
  silent = false;
  batteryPct: number;
  /** Control frames received, decoded (tests assert configuration). */
  readonly controlLog: string[] = [];
  readonly #timers: Timers;
  readonly #motion: MotionSource;
  readonly #tickMs: number;
  readonly #maxLatencyMs: number;
  /** The protocol's reference history ring (undefined for a v1.0 sensor). */
  readonly history: SampleHistory | undefined;
  /** PROTOCOL.md pacing: BACKFILL_FRAMES_PER_LIVE_FRAME backfill frames may follow each live frame. */
  #backfillCredit = 0;
  backfillFramesSent = 0;
  backfillSamplesSent = 0;
  /** Each resendFrom and how the history resolved it (tests compare with what the gateway reports lost). */
  readonly resendLog: { requestedSeq: number; requestedCount: number; plan: ResendPlan }[] = [];
  readonly #bootMs: number;
  #seq = 0;
  /** Index (since boot, at the current rate) of the next sample to produce. */
  #nextSample = 0;
  #rateEpochMs = 0;
  #rateEpochSample = 0;
  #tick: TimerHandle | undefined;
  #pending: { accMps2: Vec3; gyrRadPerS: Vec3 }[] = [];
  #pendingSeq = 0;
  #pendingTimeUs = 0;
  #pendingSinceMs = 0;
  #skip = 0;
  #errorFlags = 0;
  /** Frames notified (tests). */
  framesSent = 0;

  constructor(options: EmulatedHipcueSensorOptions) {
    this.#timers = options.timers ?? systemTimers;
    this.#motion = options.motion ?? atRest;
    this.#tickMs = options.tickMs ?? 5;
    this.#maxLatencyMs = options.maxLatencyMs ?? 40;
    const historySamples = options.historySamples ?? HISTORY_CAPACITY_SAMPLES;
    this.history = historySamples > 0 ? new SampleHistory(historySamples) : undefined;
    this.#bootMs = this.#timers.now();
    this.batteryPct = options.batteryPct ?? 80;
    this.peripheral = new EmulatedPeripheral({
      address: options.address,
      localName: options.localName ?? 'hipcue',
      advertisedServiceUuids: [S],
      ...(options.maxMtu === undefined ? {} : { maxMtu: options.maxMtu }),
      services: [
        {
          uuid: S,
          characteristics: [
            { uuid: IMU, properties: ['notify'] },
            { uuid: CONTROL, properties: ['write', 'writeWithoutResponse'], onWrite: (data) => this.#onControl(data) },
            { uuid: STATUS, properties: ['read', 'notify'], onRead: () => encodeStatusFrame(this.status()) },
          ],
        },
        {
          uuid: STANDARD_UUIDS.deviceInformation.noble,
          characteristics: [
            { uuid: STANDARD_UUIDS.manufacturerName.noble, properties: ['read'], value: text('hipcue') },
            { uuid: STANDARD_UUIDS.modelNumber.noble, properties: ['read'], value: text('hipcue-s1') },
            { uuid: STANDARD_UUIDS.firmwareRevision.noble, properties: ['read'], value: text('1.0.0') },
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
    // Link loss does not stop sampling: samples keep their sequence numbers and are simply not delivered, so the
    // gateway sees the outage as a gap (which a sensor-side buffer, issue 8, can fill). Only stopStreaming stops it.
  }

  /** Stop the sample clock for good (test cleanup with real timers). */
  powerOff(): void {
    this.#stop();
    this.peripheral.advertising = false;
    this.peripheral.dropLink(0x13);
  }

  status(): StatusFrame {
    return {
      type: 'status',
      rateCode: this.rateCode,
      accRangeCode: this.accRangeCode,
      gyrRangeCode: this.gyrRangeCode,
      firmware: { major: 1, minor: 0, patch: 0 },
      batteryPct: this.batteryPct,
      streaming: this.streaming,
      magEnabled: false,
      errorFlags: this.#errorFlags,
      ...(this.history === undefined ? {} : { history: this.history.status() }),
    };
  }

  /** Sensor-side loss: the next `n` samples get sequence numbers but are never sent. */
  skipSamples(n: number): void {
    this.#skip += n;
  }

  /** Change the battery level and notify it (Battery Level and status). */
  setBattery(pct: number): void {
    this.batteryPct = pct;
    this.peripheral.notify(STANDARD_UUIDS.battery.noble, STANDARD_UUIDS.batteryLevel.noble, Uint8Array.of(pct));
    this.peripheral.notify(S, STATUS, encodeStatusFrame(this.status()));
  }

  #onControl(data: Uint8Array): number | undefined {
    const frame = decode(data);
    if (frame.type !== 'control') {
      this.#errorFlags |= STATUS_ERROR.commandRejected;
      this.controlLog.push(`rejected: ${frame.type === 'error' ? frame.message : frame.type}`);
      return ATT_ERROR.unlikelyError;
    }
    this.controlLog.push(frame.op);
    switch (frame.op) {
      case 'setSampleRate':
        if (frame.rateCode !== this.rateCode) {
          this.rateCode = frame.rateCode;
        }
        this.#restartClock();
        break;
      case 'resendFrom': {
        if (this.history === undefined) {
          this.#errorFlags |= STATUS_ERROR.commandRejected;
          return ATT_ERROR.requestNotSupported;
        }
        const plan = this.history.resendFrom(frame.seq, frame.count);
        this.resendLog.push({ requestedSeq: frame.seq, requestedCount: frame.count, plan });
        break;
      }
      case 'setRanges':
        this.accRangeCode = frame.accRangeCode;
        this.gyrRangeCode = frame.gyrRangeCode;
        break;
      case 'startStreaming':
        this.#start();
        break;
      case 'stopStreaming':
        this.#stop();
        break;
      default:
        break;
    }
    return undefined;
  }

  #start(): void {
    if (this.streaming) return;
    this.streaming = true;
    this.#restartClock();
    this.#schedule();
  }

  #stop(): void {
    this.streaming = false;
    if (this.#tick !== undefined) this.#timers.clearTimeout(this.#tick);
    this.#tick = undefined;
    this.#pending = [];
  }

  #restartClock(): void {
    this.#rateEpochMs = this.#timers.now();
    this.#rateEpochSample = this.#nextSample;
  }

  #schedule(): void {
    this.#tick = this.#timers.setTimeout(() => this.#produce(), this.#tickMs);
  }

  /** Emit every sample whose time has come, packed into frames that fit the link's MTU. */
  #produce(): void {
    if (!this.streaming) return;
    const periodUs = samplePeriodUs(this.rateCode);
    const due = this.#rateEpochSample + Math.floor(((this.#timers.now() - this.#rateEpochMs) * 1000) / periodUs);
    const perFrame = Math.max(1, maxSamplesPerFrame(this.peripheral.mtu));
    while (this.#nextSample <= due) {
      const sampleTimeUs = Math.round(
        (this.#rateEpochMs - this.#bootMs) * 1000 + (this.#nextSample - this.#rateEpochSample) * periodUs,
      );
      const seq = this.#seq;
      this.#seq = (this.#seq + 1) & 0xffff;
      this.#nextSample++;
      const sample = this.#motion(sampleTimeUs / 1e6);
      this.history?.push(
        imuFrameFromPhysical({
          seq,
          sensorTimeUs: sampleTimeUs % 0x1_0000_0000,
          rateCode: this.rateCode,
          accRangeCode: this.accRangeCode,
          gyrRangeCode: this.gyrRangeCode,
          samples: [sample],
        }),
      );
      if (this.#skip > 0) {
        this.#skip--;
        this.#flush();
        continue;
      }
      if (this.#pending.length === 0) {
        this.#pendingSeq = seq;
        this.#pendingTimeUs = sampleTimeUs % 0x1_0000_0000;
        this.#pendingSinceMs = this.#timers.now();
      }
      this.#pending.push(sample);
      if (this.#pending.length >= perFrame) this.#flush();
    }
    // Do not hold samples longer than the latency budget waiting to fill a frame.
    if (this.#pending.length > 0 && this.#timers.now() - this.#pendingSinceMs >= this.#maxLatencyMs) this.#flush();
    while (this.#backfillCredit > 0 && this.history?.backfilling) {
      this.#backfillCredit--;
      const frame = this.history.nextBackfillFrame(perFrame);
      if (frame !== undefined && !this.silent && this.peripheral.notify(S, IMU, encodeImuFrame(frame))) {
        this.backfillFramesSent++;
        this.backfillSamplesSent += frame.acc.length / 3;
      }
    }
    if (!this.history?.backfilling) this.#backfillCredit = 0;
    this.#schedule();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const frame = imuFrameFromPhysical({
      seq: this.#pendingSeq,
      sensorTimeUs: this.#pendingTimeUs,
      rateCode: this.rateCode,
      accRangeCode: this.accRangeCode,
      gyrRangeCode: this.gyrRangeCode,
      samples: this.#pending,
    });
    this.#pending = [];
    if (this.silent) return;
    if (this.peripheral.notify(S, IMU, encodeImuFrame(frame))) {
      this.framesSent++;
      if (this.history?.backfilling) this.#backfillCredit += BACKFILL_FRAMES_PER_LIVE_FRAME;
    }
  }
}
