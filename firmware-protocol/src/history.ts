/**
 * The sensor-side history buffer of protocol v1.1 (PROTOCOL.md § Backfill), as a reference for the simulator and
 * emulated peripherals: records every numbered sample, answers `resendFrom` with BACKFILL frames. Pure: no clocks.
 */
import { type AccRangeCode, type GyrRangeCode, type RateCode, samplePeriodUs } from './codes.ts';
import { configByte } from './header.ts';
import type { ImuFrame } from './imuFrame.ts';
import type { StatusHistory } from './statusFrame.ts';

/** RAM given to the history on the sensor. */
export const HISTORY_BYTES = 32 * 1024;
/** Record sizes: data + u32 time (16 bytes without magnetometer; 22 padded to 24 with). Config is per history. */
export const HISTORY_RECORD_BYTES = 16;
export const HISTORY_RECORD_BYTES_MAG = 24;
export const HISTORY_CAPACITY_SAMPLES = Math.floor(HISTORY_BYTES / HISTORY_RECORD_BYTES); // 2048
export const HISTORY_CAPACITY_SAMPLES_MAG = Math.floor(HISTORY_BYTES / HISTORY_RECORD_BYTES_MAG); // 1365
/** Pacing rule 2: at most this many backfill frames per live frame sent. */
export const BACKFILL_FRAMES_PER_LIVE_FRAME = 2;

/** What a resendFrom resolved to. Seqs are uint16 (wire form). */
export interface ResendPlan {
  /** Samples that will be resent. */
  readonly samples: number;
  /** First seq resent (meaningless when samples is 0). */
  readonly fromSeq: number;
  /** Wanted samples older than the buffer: they stay lost. */
  readonly tooOld: number;
}

/** A ring of the last `capacity` samples, each with its seq, time and config. */
export class SampleHistory {
  readonly capacity: number;
  private readonly acc: Int16Array;
  private readonly gyr: Int16Array;
  private readonly mag: Int16Array;
  private readonly hasMag: Uint8Array;
  private readonly timeUs: Float64Array;
  private readonly config: Uint8Array;
  /** Seq (uint16) of the oldest buffered sample, and how many are buffered. */
  private oldestSeq = 0;
  private count = 0;
  /** Ring index of the oldest sample. */
  private head = 0;
  /** The resend in progress: ring offset from the oldest of the next sample to send, and samples left. */
  private resendOffset = 0;
  private resendLeft = 0;

  /** `capacity` in samples: HISTORY_CAPACITY_SAMPLES, or HISTORY_CAPACITY_SAMPLES_MAG for a sensor streaming MAG. */
  constructor(capacity = HISTORY_CAPACITY_SAMPLES) {
    this.capacity = capacity;
    this.acc = new Int16Array(3 * capacity);
    this.gyr = new Int16Array(3 * capacity);
    this.mag = new Int16Array(3 * capacity);
    this.hasMag = new Uint8Array(capacity);
    this.timeUs = new Float64Array(capacity);
    this.config = new Uint8Array(capacity);
  }

  /** Records the samples of a live frame (call when the samples get their seq, before sending). */
  push(frame: ImuFrame): void {
    const n = frame.acc.length / 3;
    const period = samplePeriodUs(frame.rateCode);
    const cfg = configByte(frame.rateCode, frame.accRangeCode, frame.gyrRangeCode);
    const last = (this.head + this.count - 1) % this.capacity;
    const sameConfig = this.count > 0 && this.config[last] === cfg && this.hasMag[last] === (frame.mag ? 1 : 0);
    if (this.count > 0 && (!sameConfig || frame.seq !== (this.oldestSeq + this.count) % 0x10000)) {
      // Config changed (PROTOCOL.md: that clears the history), or not contiguous (sensor restart, caller bug).
      this.count = 0;
      this.head = 0;
      this.resendOffset = 0;
      this.resendLeft = 0;
    }
    if (this.count === 0) this.oldestSeq = frame.seq;
    for (let i = 0; i < n; i++) {
      if (this.count === this.capacity) {
        this.head = (this.head + 1) % this.capacity;
        this.oldestSeq = (this.oldestSeq + 1) % 0x10000;
        this.count--;
        if (this.resendOffset > 0) this.resendOffset--;
        else if (this.resendLeft > 0) this.resendLeft--; // the next sample to resend just fell out
      }
      const at = (this.head + this.count) % this.capacity;
      for (let k = 0; k < 3; k++) {
        this.acc[3 * at + k] = frame.acc[3 * i + k]!;
        this.gyr[3 * at + k] = frame.gyr[3 * i + k]!;
        this.mag[3 * at + k] = frame.mag?.[3 * i + k] ?? 0;
      }
      this.hasMag[at] = frame.mag !== undefined ? 1 : 0;
      this.timeUs[at] = (frame.sensorTimeUs + i * period) % 0x1_0000_0000;
      this.config[at] = cfg;
      this.count++;
    }
  }

  /** The status frame's history fields. */
  status(): StatusHistory {
    return { oldestSeq: this.oldestSeq, samples: this.count, backfilling: this.resendLeft > 0 };
  }

  /** Starts (or replaces) a resend, per PROTOCOL.md § Control: resendFrom. */
  resendFrom(seq: number, count: number): ResendPlan {
    const offset = (((seq - this.oldestSeq) % 0x10000) + 0x10000) % 0x10000;
    let start: number;
    let tooOld = 0;
    if (offset < this.count) start = offset;
    else if (offset >= 0x8000) {
      tooOld = 0x10000 - offset;
      start = 0;
    } else {
      start = this.count; // newer than the newest: nothing to send
    }
    const available = this.count - start;
    const wanted = count === 0 ? available + tooOld : count;
    if (count !== 0 && tooOld >= wanted) {
      tooOld = wanted;
      start = this.count;
    }
    this.resendOffset = start;
    this.resendLeft = Math.max(0, Math.min(available, wanted - tooOld));
    return { samples: this.resendLeft, fromSeq: (this.oldestSeq + start) % 0x10000, tooOld };
  }

  get backfilling(): boolean {
    return this.resendLeft > 0;
  }

  /**
   * The next BACKFILL frame of the resend in progress, up to `maxSamples` samples, or undefined when done.
   * The caller applies the pacing rules (live frames first, BACKFILL_FRAMES_PER_LIVE_FRAME).
   */
  nextBackfillFrame(maxSamples: number): ImuFrame | undefined {
    if (this.resendLeft <= 0 || maxSamples < 1) return undefined;
    const first = (this.head + this.resendOffset) % this.capacity;
    const cfg = this.config[first]!;
    const withMag = this.hasMag[first] === 1;
    const rateCode = (cfg & 0x07) as RateCode;
    const period = samplePeriodUs(rateCode);
    const t0 = this.timeUs[first]!;
    let n = 0;
    while (n < maxSamples && n < this.resendLeft) {
      const at = (first + n) % this.capacity;
      const sameShape = this.config[at] === cfg && (this.hasMag[at] === 1) === withMag;
      if (!sameShape || this.timeUs[at] !== (t0 + n * period) % 0x1_0000_0000) break;
      n++;
    }
    const acc = new Int16Array(3 * n);
    const gyr = new Int16Array(3 * n);
    const mag = withMag ? new Int16Array(3 * n) : undefined;
    for (let i = 0; i < n; i++) {
      const at = (first + i) % this.capacity;
      for (let k = 0; k < 3; k++) {
        acc[3 * i + k] = this.acc[3 * at + k]!;
        gyr[3 * i + k] = this.gyr[3 * at + k]!;
        if (mag) mag[3 * i + k] = this.mag[3 * at + k]!;
      }
    }
    const seq = (this.oldestSeq + this.resendOffset) % 0x10000;
    this.resendOffset += n;
    this.resendLeft -= n;
    return {
      type: 'imu',
      backfill: true,
      rateCode,
      accRangeCode: ((cfg >> 3) & 0x03) as AccRangeCode,
      gyrRangeCode: ((cfg >> 5) & 0x07) as GyrRangeCode,
      seq,
      sensorTimeUs: t0,
      acc,
      gyr,
      ...(mag ? { mag } : {}),
    };
  }
}
