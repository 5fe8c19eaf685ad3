import { lusolve } from 'mathjs';

/** Length of one lower-envelope window, µs of sensor time. */
const WINDOW_US = 1_000_000;
/** Windows kept for the drift fit (~30 s). */
const WINDOWS = 30;

/**
 * Maps a sensor's own clock onto the host clock from (sensor time, host arrival time) pairs of its notifications.
 * Arrival = sensor time + offset + a delay that is never negative (queueing, connection events), so the lower
 * envelope of host − sensor is the offset: the minimum per 1 s window, then a least-squares line through the last
 * ~30 minima (offset and clock-rate error, which reaches ±0.5 % = 5 ms/s between two cheap sensors). The 2×2 normal
 * equations are solved with mathjs once per window, never per sample. Pure: times arrive with the data.
 */
export class ClockAligner {
  private readonly minT = new Float64Array(WINDOWS);
  private readonly minD = new Float64Array(WINDOWS);
  private n = 0;
  private head = 0;
  private windowStart = Number.NaN;
  private windowMinD = Number.POSITIVE_INFINITY;
  private windowMinT = 0;
  /** host = sensor + a + b·(sensor − t0) */
  private a = Number.NaN;
  private b = 0;
  private t0 = 0;

  /** True once at least one notification was seen. */
  get ready(): boolean {
    return !Number.isNaN(this.a) || this.windowMinD < Number.POSITIVE_INFINITY;
  }

  /** One notification: the sensor time of its newest sample and the host time it arrived, µs. */
  observe(sensorUs: number, hostUs: number): void {
    const d = hostUs - sensorUs;
    if (Number.isNaN(this.windowStart)) {
      this.windowStart = sensorUs;
      this.t0 = sensorUs;
    }
    if (sensorUs - this.windowStart >= WINDOW_US) this.closeWindow(sensorUs);
    if (d < this.windowMinD) {
      this.windowMinD = d;
      this.windowMinT = sensorUs;
    }
    // Until the first window closes, the running minimum is the best offset there is.
    if (this.n === 0) {
      this.a = this.windowMinD;
      this.b = 0;
    }
  }

  /** Host time (µs) of a sensor time (µs). */
  toHostUs(sensorUs: number): number {
    return sensorUs + this.a + this.b * (sensorUs - this.t0);
  }

  /** Sensor time (µs) of a host time (µs): the inverse of toHostUs. */
  toSensorUs(hostUs: number): number {
    return (hostUs - this.a + this.b * this.t0) / (1 + this.b);
  }

  private closeWindow(sensorUs: number): void {
    this.minT[this.head] = this.windowMinT;
    this.minD[this.head] = this.windowMinD;
    this.head = (this.head + 1) % WINDOWS;
    if (this.n < WINDOWS) this.n++;
    this.windowStart = sensorUs;
    this.windowMinD = Number.POSITIVE_INFINITY;
    this.fit();
  }

  private fit(): void {
    const n = this.n;
    if (n < 3) {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) best = Math.min(best, this.minD[i]!);
      this.a = best;
      this.b = 0;
      return;
    }
    let st = 0;
    let stt = 0;
    let sd = 0;
    let std = 0;
    for (let i = 0; i < n; i++) {
      const t = (this.minT[i]! - this.t0) / 1e6;
      const d = this.minD[i]!;
      st += t;
      stt += t * t;
      sd += d;
      std += t * d;
    }
    const x = lusolve(
      [
        [n, st],
        [st, stt],
      ],
      [sd, std],
    ) as number[][];
    const a = x[0]![0]!;
    const bPerS = x[1]![0]!;
    // A line fitted through minima lies above some of them; lower it onto the envelope.
    let lift = 0;
    for (let i = 0; i < n; i++) {
      const t = (this.minT[i]! - this.t0) / 1e6;
      lift = Math.min(lift, this.minD[i]! - (a + bPerS * t));
    }
    this.a = a + lift;
    this.b = bPerS / 1e6;
  }
}
