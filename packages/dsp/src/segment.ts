import { type Attitude, createAttitude } from './attitude.ts';

/** Optional sensors besides the pelvis: the working thigh, and the upper lumbar spine (L1, moves with the thorax). */
export type SegmentRole = 'thigh' | 'lumbar';
export const segmentRoles: readonly SegmentRole[] = ['thigh', 'lumbar'];

/** What became of a segment sensor at calibration: usable, never heard from, or moving during the hold. */
export type SegmentStatus = 'ok' | 'missing' | 'moved' | 'lost';

/** A segment sensor moving faster than this (RMS) during the pelvis hold cannot be calibrated, rad/s (~7°/s). */
const HOLD_MAX_GYRO_RMS = 0.12;
/** A segment silent for longer than this is lost: the pipeline goes back to the pelvis alone, s. */
export const SEGMENT_STALE_S = 0.5;

/**
 * One extra body-worn sensor (any mounting): its own attitude, calibrated during the pelvis's still hold (gyro bias
 * and start attitude from the same seconds), then its displacement since the start, which the pipeline compares with
 * the pelvis's about one anatomical axis (segmentTwist). Samples arrive in the pelvis's time base; the pipeline reads
 * the latest one (sample-and-hold). State in class fields (no allocation per sample).
 */
export class SegmentTracker {
  readonly attitude: Attitude = createAttitude();
  /** Attitude at the end of the pelvis hold (sensor → earth). */
  readonly q0 = new Float64Array([1, 0, 0, 0]);
  /** Latest bias-removed rate, rad/s, sensor frame. */
  readonly gyr = new Float64Array(3);
  status: SegmentStatus = 'missing';
  lastT = Number.NaN;
  private collecting = false;
  private n = 0;
  private readonly sums = new Float64Array(7);

  constructor(readonly role: SegmentRole) {}

  next(tS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): void {
    if (!Number.isFinite(tS) || !(tS > this.lastT || Number.isNaN(this.lastT))) return;
    const dt = Number.isNaN(this.lastT) ? 0 : tS - this.lastT;
    this.lastT = tS;
    this.attitude.next(dt > SEGMENT_STALE_S ? 0 : dt, gx, gy, gz, ax, ay, az);
    const b = this.attitude.biasRadPerS;
    this.gyr[0] = gx - b[0]!;
    this.gyr[1] = gy - b[1]!;
    this.gyr[2] = gz - b[2]!;
    if (this.collecting) {
      const s = this.sums;
      this.n++;
      s[0] = s[0]! + gx;
      s[1] = s[1]! + gy;
      s[2] = s[2]! + gz;
      s[3] = s[3]! + gx * gx + gy * gy + gz * gz;
      s[4] = s[4]! + ax;
      s[5] = s[5]! + ay;
      s[6] = s[6]! + az;
    }
  }

  /** The pelvis is holding still for calibration (true) or moved (false: start again). */
  collect(on: boolean): void {
    if (!on) {
      this.n = 0;
      this.sums.fill(0);
    }
    this.collecting = on;
  }

  /** The pelvis hold is complete: bias and start attitude from the samples collected during it. */
  finishHold(): SegmentStatus {
    this.collecting = false;
    const n = this.n;
    const s = this.sums;
    if (n < 10) this.status = 'missing';
    else {
      const mx = s[0]! / n;
      const my = s[1]! / n;
      const mz = s[2]! / n;
      const rms = Math.sqrt(Math.max(0, s[3]! / n - (mx * mx + my * my + mz * mz)));
      if (rms > HOLD_MAX_GYRO_RMS) this.status = 'moved';
      else {
        const b = this.attitude.biasRadPerS;
        b[0] = mx;
        b[1] = my;
        b[2] = mz;
        this.attitude.align(s[4]! / n, s[5]! / n, s[6]! / n);
        this.q0.set(this.attitude.q);
        this.status = 'ok';
      }
    }
    this.n = 0;
    s.fill(0);
    return this.status;
  }

  /** Usable at time `tS`: calibrated and heard from within SEGMENT_STALE_S. */
  usable(tS: number): boolean {
    return this.status === 'ok' && tS - this.lastT <= SEGMENT_STALE_S;
  }

  reset(): void {
    this.attitude.reset();
    this.q0.set([1, 0, 0, 0]);
    this.gyr.fill(0);
    this.status = 'missing';
    this.lastT = Number.NaN;
    this.collecting = false;
    this.n = 0;
    this.sums.fill(0);
  }
}

/**
 * Signed angle (degrees) a body turned about the axis `e` (unit, in the same earth frame as its attitude, as the axis
 * was at the start) since the start: the twist of the displacement d = q ⊗ q0* about `e` (swing-twist),
 * 2·atan2(v·e, w). Each sensor's attitude has an earth frame of its own (their headings differ: gravity says nothing
 * about heading), so angles of two sensors are compared as twists, each about its own axis.
 * NOTE: inlined product on numbers, no allocation.
 */
export function twistDeg(q: ArrayLike<number>, q0: ArrayLike<number>, ex: number, ey: number, ez: number): number {
  const w = q[0]! * q0[0]! + q[1]! * q0[1]! + q[2]! * q0[2]! + q[3]! * q0[3]!;
  const x = -q[0]! * q0[1]! + q[1]! * q0[0]! - q[2]! * q0[3]! + q[3]! * q0[2]!;
  const y = -q[0]! * q0[2]! + q[1]! * q0[3]! + q[2]! * q0[0]! - q[3]! * q0[1]!;
  const z = -q[0]! * q0[3]! - q[1]! * q0[2]! + q[2]! * q0[1]! + q[3]! * q0[0]!;
  let t = 2 * Math.atan2(x * ex + y * ey + z * ez, w);
  if (t > Math.PI) t -= 2 * Math.PI;
  else if (t < -Math.PI) t += 2 * Math.PI;
  return (t * 180) / Math.PI;
}
