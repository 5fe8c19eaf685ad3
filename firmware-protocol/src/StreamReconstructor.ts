import { accLsbMps2, gyrLsbRadPerS, MAG_LSB_UT, samplePeriodUs } from './codes.ts';
import { type ImuFrame, SEQ_MODULUS, TIME_MODULUS } from './imuFrame.ts';
import type { PhysicalSample } from './physical.ts';

/** A sample with unwrapped (monotonic) sequence number and sensor time. */
export interface ReconstructedSample extends PhysicalSample {
  /** Came from a frame flagged BACKFILL (resent from the sensor's history). */
  backfill: boolean;
}

/** Samples in sequence order, contiguous with everything emitted before. */
export interface SamplesEvent {
  readonly type: 'samples';
  readonly samples: ReconstructedSample[];
}

/** Samples declared lost: unwrapped seq `fromSeq`..`toSeq` inclusive. Times are estimated from the nominal period. */
export interface GapEvent {
  readonly type: 'gap';
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly lostSamples: number;
  readonly fromTimeUs: number;
  readonly toTimeUs: number;
}

/** Samples that arrived after their range had been reported as a gap (late or backfilled); they fill that gap. */
export interface RecoveredEvent {
  readonly type: 'recovered';
  readonly samples: ReconstructedSample[];
}

/** The sensor restarted (seq/time jumped far backwards); its new samples are numbered from `atSeq` so both stay monotonic. */
export interface RestartEvent {
  readonly type: 'restart';
  readonly atSeq: number;
}

export type ReconstructorEvent = SamplesEvent | GapEvent | RecoveredEvent | RestartEvent;

export interface StreamReconstructorSettings {
  /** Frames held back waiting for a missing earlier frame before the hole is declared a gap. */
  reorderWindowFrames: number;
  /**
   * A live (non-BACKFILL) frame that lies entirely behind the emitted stream, fills no declared gap, and is this far
   * (µs) behind the newest frame means the sensor rebooted. BLE never delays live frames this much.
   */
  restartBackwardsUs: number;
  /** How many declared gaps are remembered so late/backfilled samples can fill them. */
  rememberedGaps: number;
}

export const streamReconstructorDefaultSettings: StreamReconstructorSettings = {
  reorderWindowFrames: 4,
  restartBackwardsUs: 2_000_000,
  rememberedGaps: 64,
};

export interface ReconstructorStats {
  frames: number;
  /** Samples emitted in order (SamplesEvent). */
  samples: number;
  duplicateSamples: number;
  /** Samples older than the first frame fed (a reordered stream start); dropped, they cannot be placed in order. */
  beforeStartSamples: number;
  /** Frames that arrived with a lower seq than one already seen, but in time to be emitted in order. */
  reorderedFrames: number;
  gaps: number;
  /** Samples still missing (reported in gaps and not recovered since). */
  lostSamples: number;
  recoveredSamples: number;
  restarts: number;
}

interface Pending {
  seqU: number;
  timeU: number;
  frame: ImuFrame;
  /** Samples before this index were already accounted for (emitted, recovered or counted as duplicates). */
  first: number;
}

/** (a - b) mod m mapped into [-m/2, m/2). */
function signedDelta(a: number, b: number, m: number): number {
  const d = (((a - b) % m) + m) % m;
  return d >= m / 2 ? d - m : d;
}

/**
 * Per-sensor stream reassembly (PROTOCOL.md § "Reconstructing the stream"). Feed decoded IMU frames in arrival
 * order; get samples with monotonic seq/time, in order, plus typed gap reports. Pure: no clocks, no I/O.
 */
export class StreamReconstructor {
  readonly settings: StreamReconstructorSettings;
  readonly stats: ReconstructorStats = {
    frames: 0,
    samples: 0,
    duplicateSamples: 0,
    beforeStartSamples: 0,
    reorderedFrames: 0,
    gaps: 0,
    lostSamples: 0,
    recoveredSamples: 0,
    restarts: 0,
  };
  private started = false;
  private refSeqU = 0;
  private refTimeU = 0;
  /** Every seq below this was emitted or declared lost. */
  private nextSeq = 0;
  /** First unwrapped seq of the current stream (after the latest start or restart). */
  private startSeq = 0;
  /** Offset added after restarts so unwrapped seq/time keep increasing. */
  private seqBase = 0;
  private timeBase = 0;
  private lastTimeU = 0;
  private pending: Pending[] = [];
  private lost: Array<[number, number]> = [];

  constructor(settings: Partial<StreamReconstructorSettings> = {}) {
    this.settings = { ...streamReconstructorDefaultSettings, ...settings };
  }

  /** Feeds one decoded IMU frame; returns what became known because of it. */
  feed(frame: ImuFrame): ReconstructorEvent[] {
    const events: ReconstructorEvent[] = [];
    this.stats.frames++;
    const n = frame.acc.length / 3;
    if (n < 1) return events;
    if (!this.started) this.start(frame, frame.seq, frame.sensorTimeUs);
    let { seqU, timeU } = this.unwrap(frame);
    if (this.isRestart(frame, seqU, timeU, n)) {
      events.push(...this.flush());
      const atSeq = Math.max(this.nextSeq, this.refSeqU + 1);
      this.start(frame, atSeq, Math.max(this.lastTimeU, this.refTimeU) + samplePeriodUs(frame.rateCode));
      this.stats.restarts++;
      events.push({ type: 'restart', atSeq });
      ({ seqU, timeU } = this.unwrap(frame));
    }
    const behindNewest = seqU + n <= this.refSeqU;
    if (seqU > this.refSeqU) {
      this.refSeqU = seqU;
      this.refTimeU = timeU;
    }
    const period = samplePeriodUs(frame.rateCode);
    let first = 0;
    if (seqU < this.nextSeq) {
      // Starts in territory already emitted or declared lost: split off that head.
      const head = Math.min(n, this.nextSeq - seqU);
      const recovered: ReconstructedSample[] = [];
      for (let i = 0; i < head; i++) {
        if (this.takeFromLost(seqU + i)) recovered.push(this.sample(frame, i, seqU, timeU, period));
        else if (seqU + i < this.startSeq) this.stats.beforeStartSamples++;
        else this.stats.duplicateSamples++;
      }
      if (recovered.length > 0) {
        this.stats.recoveredSamples += recovered.length;
        this.stats.lostSamples -= recovered.length;
        events.push({ type: 'recovered', samples: recovered });
      }
      if (head === n) return events;
      first = head;
    }
    if (this.pending.some((p) => p.seqU === seqU)) {
      this.stats.duplicateSamples += n - first;
      return events;
    }
    if (behindNewest) this.stats.reorderedFrames++;
    let at = this.pending.findIndex((p) => p.seqU > seqU);
    if (at < 0) at = this.pending.length;
    this.pending.splice(at, 0, { seqU, timeU, frame, first });
    this.drain(events, false);
    return events;
  }

  /** End of stream (or before a deliberate reconnect): emit everything held back, declaring holes as gaps. */
  flush(): ReconstructorEvent[] {
    const events: ReconstructorEvent[] = [];
    this.drain(events, true);
    return events;
  }

  /**
   * Gaps declared and not (fully) recovered yet, oldest first, unwrapped seqs inclusive: what a gateway asks the
   * sensor to resend after a reconnect (`resendFrom { seq: fromSeq mod 2^16, count: toSeq − fromSeq + 1 }`).
   */
  lostRanges(): Array<{ fromSeq: number; toSeq: number }> {
    return this.lost.map(([fromSeq, toSeq]) => ({ fromSeq, toSeq }));
  }

  /** Resets to the initial state (stats are kept). */
  reset(): void {
    this.started = false;
    this.pending = [];
    this.lost = [];
  }

  private start(frame: ImuFrame, seqBase: number, timeBase: number): void {
    this.started = true;
    this.seqBase = seqBase - frame.seq;
    this.timeBase = timeBase - frame.sensorTimeUs;
    this.refSeqU = seqBase;
    this.refTimeU = timeBase;
    this.nextSeq = seqBase;
    this.startSeq = seqBase;
    this.pending = [];
  }

  /** Unwraps seq and time against the newest frame seen; long gaps resolve the 16-bit seq ambiguity by time. */
  private unwrap(frame: ImuFrame): { seqU: number; timeU: number } {
    const refT = this.refTimeU - this.timeBase;
    const dT = signedDelta(frame.sensorTimeUs, refT, TIME_MODULUS);
    const timeU = this.refTimeU + dT;
    const refS = this.refSeqU - this.seqBase;
    const dS0 = signedDelta(frame.seq, refS, SEQ_MODULUS);
    const expected = dT / samplePeriodUs(frame.rateCode);
    const k = Math.round((expected - dS0) / SEQ_MODULUS);
    return { seqU: this.refSeqU + dS0 + k * SEQ_MODULUS, timeU };
  }

  private drain(events: ReconstructorEvent[], all: boolean): void {
    let out: ReconstructedSample[] | undefined;
    for (;;) {
      const p = this.pending[0];
      if (p === undefined) break;
      if (p.seqU > this.nextSeq) {
        if (!all && this.pending.length <= this.settings.reorderWindowFrames) break;
        if (out !== undefined) {
          events.push({ type: 'samples', samples: out });
          out = undefined;
        }
        events.push(this.declareGap(this.nextSeq, p.seqU - 1, p));
        this.nextSeq = p.seqU;
      }
      this.pending.shift();
      const n = p.frame.acc.length / 3;
      const period = samplePeriodUs(p.frame.rateCode);
      out ??= [];
      const start = Math.max(p.first, this.nextSeq - p.seqU);
      this.stats.duplicateSamples += Math.min(n, start) - p.first;
      for (let i = start; i < n; i++) out.push(this.sample(p.frame, i, p.seqU, p.timeU, period));
      if (start < n) {
        this.stats.samples += n - start;
        this.nextSeq = p.seqU + n;
        this.lastTimeU = p.timeU + (n - 1) * period;
      }
    }
    if (out !== undefined && out.length > 0) events.push({ type: 'samples', samples: out });
  }

  private declareGap(fromSeq: number, toSeq: number, after: Pending): GapEvent {
    const lostSamples = toSeq - fromSeq + 1;
    const period = samplePeriodUs(after.frame.rateCode);
    this.stats.gaps++;
    this.stats.lostSamples += lostSamples;
    this.lost.push([fromSeq, toSeq]);
    if (this.lost.length > this.settings.rememberedGaps) this.lost.shift();
    return {
      type: 'gap',
      fromSeq,
      toSeq,
      lostSamples,
      fromTimeUs: after.timeU - lostSamples * period,
      toTimeUs: after.timeU - period,
    };
  }

  private isRestart(frame: ImuFrame, seqU: number, timeU: number, n: number): boolean {
    if (frame.backfill || seqU + n > this.nextSeq || timeU >= this.refTimeU - this.settings.restartBackwardsUs)
      return false;
    return !this.lost.some(([a, b]) => seqU <= b && seqU + n - 1 >= a);
  }

  /** Removes seq from the remembered lost ranges; true if it was there. */
  private takeFromLost(seq: number): boolean {
    const i = this.lost.findIndex(([a, b]) => seq >= a && seq <= b);
    if (i < 0) return false;
    const [a, b] = this.lost[i]!;
    const parts: Array<[number, number]> = [];
    if (a <= seq - 1) parts.push([a, seq - 1]);
    if (seq + 1 <= b) parts.push([seq + 1, b]);
    this.lost.splice(i, 1, ...parts);
    return true;
  }

  private sample(frame: ImuFrame, i: number, seqU: number, timeU: number, period: number): ReconstructedSample {
    const a = accLsbMps2(frame.accRangeCode);
    const g = gyrLsbRadPerS(frame.gyrRangeCode);
    const j = 3 * i;
    const s: ReconstructedSample = {
      seq: seqU + i,
      sensorTimeUs: timeU + i * period,
      accMps2: [frame.acc[j]! * a, frame.acc[j + 1]! * a, frame.acc[j + 2]! * a],
      gyrRadPerS: [frame.gyr[j]! * g, frame.gyr[j + 1]! * g, frame.gyr[j + 2]! * g],
      backfill: frame.backfill,
    };
    if (frame.mag !== undefined) {
      s.magUt = [frame.mag[j]! * MAG_LSB_UT, frame.mag[j + 1]! * MAG_LSB_UT, frame.mag[j + 2]! * MAG_LSB_UT];
    }
    return s;
  }
}
