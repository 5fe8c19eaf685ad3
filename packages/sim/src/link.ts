import {
  type AccRangeCode,
  BACKFILL_FRAMES_PER_LIVE_FRAME,
  encodeImuFrame,
  type GyrRangeCode,
  HISTORY_CAPACITY_SAMPLES,
  HISTORY_CAPACITY_SAMPLES_MAG,
  type ImuFrame,
  MAG_LSB_UT,
  maxSamplesPerFrame,
  quantize,
  type RateCode,
  SampleHistory,
  samplePeriodUs,
  TIME_MODULUS,
} from '@hipcue/firmware-protocol';
import type { Rng } from './prng.ts';
import type { Notification } from './types.ts';

/** Settings of the BLE link model, all resolved (see LinkSpec for meanings and defaults). */
export interface LinkModel {
  samplesPerFrame: number;
  connectionIntervalMs: number;
  /** Notifications one connection event can carry before the rest wait for the next event. */
  maxPerEvent: number;
  lossRate: number;
  meanBurstLength: number;
  disconnect: { startS: number; durationS: number } | undefined;
  /** Protocol v1.1 history and backfill after a disconnect (undefined: a v1.0 sensor, the gap stays). */
  backfill: { requestDelayS: number } | undefined;
  /** Negotiated ATT MTU (backfill frames are packed full). */
  attMtu: number;
  hostStartUs: number;
  sensorId: string;
  /** Sensor (firmware) clock: raw uint32 µs at t = 0, and its rate error (fraction). */
  sensorTimeStartUs: number;
  clockErrorRatio: number;
  /** Uniform ± jitter of a frame's first-sample timestamp, µs. */
  stampJitterUs: number;
  seqStart: number;
  rateCode: RateCode;
  accRangeCode: AccRangeCode;
  gyrRangeCode: GyrRangeCode;
  accLsbMps2: number;
  gyrLsbRadPerS: number;
}

export interface LinkOutput {
  notifications: Notification[];
  /** Sensor time of each sample (s from the first sample), exactly as a decoder reconstructs it. */
  tS: Float64Array;
  /** Per frame: lost on the link (true) or delivered. */
  lost: boolean[];
}

/**
 * Gilbert–Elliott two-state loss: in Bad every notification is lost, in Good none. With mean burst length B the
 * Bad→Good probability is r = 1/B; Good→Bad p = L·r/(1 − L) gives the stationary loss rate L.
 */
export class GilbertElliott {
  private bad = false;
  private readonly p: number;
  private readonly r: number;
  constructor(
    private readonly rng: Rng,
    lossRate: number,
    meanBurstLength: number,
  ) {
    const L = Math.min(Math.max(lossRate, 0), 0.95);
    this.r = 1 / Math.max(1, meanBurstLength);
    this.p = L <= 0 ? 0 : (L * this.r) / (1 - L);
    this.bad = this.rng.next() < L;
  }
  /** True if the next notification is lost. */
  nextLost(): boolean {
    const u = this.rng.next();
    this.bad = this.bad ? u >= this.r : u < this.p;
    return this.bad;
  }
}

/**
 * Packs samples into notifications with the real codec, stamps them with the sensor clock and delivers them at
 * connection events with host-side latency, dropping lost ones. `tTrueS` are the true sample instants.
 */
export function runLink(
  m: LinkModel,
  tTrueS: Float64Array,
  accMps2: Float64Array,
  gyrRadPerS: Float64Array,
  magUt: Float64Array | undefined,
  rng: Rng,
): LinkOutput {
  const n = tTrueS.length;
  const N = m.samplesPerFrame;
  const periodUs = samplePeriodUs(m.rateCode);
  const frames = Math.ceil(n / N);
  const tS = new Float64Array(n);
  const lost: boolean[] = [];
  const notifications: Notification[] = [];
  const ge = new GilbertElliott(rng.fork('loss'), m.lossRate, m.meanBurstLength);
  const timing = rng.fork('timing');
  const ciS = m.connectionIntervalMs / 1000;
  const phaseS = timing.uniform(0, ciS);
  let eventIndex = -1;
  let usedInEvent = 0;
  let lastHostUs = -Infinity;
  let stamp0 = 0;
  const deliver = (bytes: Uint8Array, emitS: number): void => {
    // next connection event at or after emission with room left
    let ev = Math.max(eventIndex, Math.ceil((emitS - phaseS) / ciS));
    if (ev === eventIndex && usedInEvent >= m.maxPerEvent) ev++;
    if (ev !== eventIndex) {
      eventIndex = ev;
      usedInEvent = 0;
    }
    usedInEvent++;
    const hostLatencyS = 0.0003 + timing.next() * 0.0007 - 0.001 * Math.log(1 - timing.next() * 0.999);
    let hostUs = m.hostStartUs + Math.round((phaseS + ev * ciS + hostLatencyS) * 1e6);
    if (hostUs < lastHostUs) hostUs = lastHostUs;
    lastHostUs = hostUs;
    notifications.push({ hostTimeUs: hostUs, sensorId: m.sensorId, bytes });
  };
  // protocol v1.1 sensor history (issue 8): every sample is recorded before sending; after a disconnect the
  // modelled gateway asks for the gap and the sensor resends it as BACKFILL frames, live data first
  const history = m.backfill
    ? new SampleHistory(magUt ? HISTORY_CAPACITY_SAMPLES_MAG : HISTORY_CAPACITY_SAMPLES)
    : undefined;
  const maxFrameSamples = maxSamplesPerFrame(m.attMtu, magUt !== undefined);
  let gapFromSeq: number | undefined;
  let gapRequestS = 0;
  for (let f = 0; f < frames; f++) {
    const i0 = f * N;
    const count = Math.min(N, n - i0);
    const tFirst = tTrueS[i0]!;
    const jitter = m.stampJitterUs > 0 ? timing.uniform(-m.stampJitterUs, m.stampJitterUs) : 0;
    const stampU = Math.round(m.sensorTimeStartUs + tFirst * 1e6 * (1 + m.clockErrorRatio) + jitter);
    if (f === 0) stamp0 = stampU;
    for (let k = 0; k < count; k++) tS[i0 + k] = (stampU - stamp0 + k * periodUs) / 1e6;
    const acc = new Int16Array(3 * count);
    const gyr = new Int16Array(3 * count);
    const mag = magUt ? new Int16Array(3 * count) : undefined;
    for (let j = 0; j < 3 * count; j++) {
      acc[j] = quantize(accMps2[3 * i0 + j]!, m.accLsbMps2);
      gyr[j] = quantize(gyrRadPerS[3 * i0 + j]!, m.gyrLsbRadPerS);
      if (mag && magUt) mag[j] = quantize(magUt[3 * i0 + j]!, MAG_LSB_UT);
    }
    const frame: ImuFrame = {
      type: 'imu',
      backfill: false,
      rateCode: m.rateCode,
      accRangeCode: m.accRangeCode,
      gyrRangeCode: m.gyrRangeCode,
      seq: (m.seqStart + i0) & 0xffff,
      sensorTimeUs: ((stampU % TIME_MODULUS) + TIME_MODULUS) % TIME_MODULUS,
      acc,
      gyr,
      ...(mag ? { mag } : {}),
    };
    const bytes = encodeImuFrame(frame);
    // the firmware queues the notification once its last sample is read
    const emitS = tTrueS[i0 + count - 1]! + timing.uniform(0.0001, 0.0006);
    if (history) {
      // the gateway asks for the gap once the link is back (after its reconnect delay), before this frame
      if (gapFromSeq !== undefined && emitS >= gapRequestS) {
        history.resendFrom(gapFromSeq, (frame.seq - gapFromSeq + 0x10000) & 0xffff);
        gapFromSeq = undefined;
      }
      history.push(frame);
    }
    const dropped = ge.nextLost();
    const inDisconnect =
      m.disconnect !== undefined &&
      emitS >= m.disconnect.startS &&
      emitS < m.disconnect.startS + m.disconnect.durationS;
    if (inDisconnect && m.disconnect && gapFromSeq === undefined) {
      gapFromSeq = frame.seq;
      gapRequestS = m.disconnect.startS + m.disconnect.durationS + (m.backfill?.requestDelayS ?? 0);
    }
    if (dropped || inDisconnect) {
      lost.push(true);
      continue;
    }
    lost.push(false);
    deliver(bytes, emitS);
    // v1.1 pacing: at most BACKFILL_FRAMES_PER_LIVE_FRAME backfill frames after each live frame
    for (let b = 0; history?.backfilling && b < BACKFILL_FRAMES_PER_LIVE_FRAME; b++) {
      const bf = history.nextBackfillFrame(maxFrameSamples);
      if (bf) deliver(encodeImuFrame(bf), emitS);
    }
  }
  return { notifications, tS, lost };
}
