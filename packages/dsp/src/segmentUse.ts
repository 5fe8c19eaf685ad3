import { movementAxis } from './calibrator.ts';
import { createRepDetector, type RepDetector, type RepDetectorSettings } from './reps.ts';
import { type SegmentRole, type SegmentStatus, SegmentTracker, twistDeg } from './segment.ts';
import type { Exercise } from './types.ts';

/** Low-pass of the segment's rate for its movement-axis fit, Hz (as the pelvis's: voluntary movement < ~3 Hz). */
const AXIS_LOWPASS_HZ = 2;
/** Time constant of the knee opening's rate, s. */
const KNEE_RATE_TAU_S = 0.05;

/** The extra sensor an exercise can use: the thigh for clamshells, the upper lumbar for thrust and bridge. */
export function segmentRoleFor(exercise: Exercise): SegmentRole | undefined {
  if (exercise === 'clamshell') return 'thigh';
  return exercise === 'side-plank-clamshell' ? undefined : 'lumbar';
}

/**
 * What the pipeline does with its one extra sensor: calibrate it in the pelvis hold, fit its own movement axis in its
 * own earth frame (the two attitudes share gravity, not heading), then per sample the thigh's knee opening (the
 * clamshell's rep signal, with a rep detector of its own) or the lumbar extension (pelvis twist about its movement
 * axis − the lumbar sensor's twist about its own, for `lumbar_arch`). When the sensor goes silent it is `lost`: the
 * caller goes back to the pelvis alone. State in class fields and typed arrays (no allocation per sample).
 */
export class SegmentUse {
  readonly tracker: SegmentTracker;
  /** Thigh only: the knee-opening rep detector. */
  readonly kneeReps: RepDetector | undefined;
  /** Calibrated and feeding the analysis. */
  active = false;
  /** Knee opening (thigh) or lumbar extension (lumbar), deg; NaN when not measured. */
  signalDeg = Number.NaN;
  /** Knee opening rate, deg/s (thigh). */
  rateDegPerS = 0;
  /** `signalDeg` at the rest before the current rep. */
  restSignalDeg = 0;
  /** Pelvis attitude at the end of the hold, and its movement axis in the earth frame then. */
  private readonly pelvis0 = new Float64Array([1, 0, 0, 0]);
  private readonly pelvisAxisE = new Float64Array(3);
  /** The segment's own movement axis in its earth frame, and its low-passed rates there during the axis stage. */
  private readonly axisE = new Float64Array(3);
  private readonly axisGyr: Float64Array;
  private readonly lp = new Float64Array(6);
  private readonly rateE = new Float64Array(3);
  private lastT = Number.NaN;

  constructor(
    readonly role: SegmentRole,
    private readonly axisCapacity: number,
    repCapacity: number,
    reps: Partial<RepDetectorSettings> | undefined,
  ) {
    this.tracker = new SegmentTracker(role);
    this.kneeReps =
      role === 'thigh'
        ? createRepDetector({ minRangeDeg: 6, initialRangeDeg: 30, capacity: repCapacity, ...reps })
        : undefined;
    this.axisGyr = new Float64Array(axisCapacity * 3);
  }

  get status(): SegmentStatus {
    return this.tracker.status;
  }

  /** The segment's attitude when it can be used at `tS`, else undefined. */
  attitudeAt(tS: number): Float64Array | undefined {
    return this.active && this.tracker.usable(tS) ? this.tracker.attitude.q : undefined;
  }

  /** End of the pelvis hold, with the pelvis's start attitude: true when the segment is usable. */
  finishHold(pelvisQ: ArrayLike<number>): boolean {
    this.pelvis0.set(pelvisQ);
    this.active = this.tracker.finishHold() === 'ok';
    this.lp.fill(0);
    return this.active;
  }

  /** One sample of the axis stage (index `i` of the pelvis's axis buffer); false when the segment was lost. */
  collectAxis(i: number, dt: number, segQ: ArrayLike<number> | undefined): boolean {
    if (!segQ) {
      this.lose();
      return false;
    }
    if (i >= this.axisCapacity) return true;
    const h = this.rateE;
    rotateInto(segQ, this.tracker.gyr, h);
    const lp = this.lp;
    const k = Math.min(1, dt * 2 * Math.PI * AXIS_LOWPASS_HZ);
    for (let j = 0; j < 3; j++) {
      lp[j]! += k * (h[j]! - lp[j]!);
      lp[j + 3]! += k * (lp[j]! - lp[j + 3]!);
      this.axisGyr[3 * i + j] = lp[j + 3]!;
    }
    return true;
  }

  /**
   * The pelvis's axis was fitted (`pelvisAxisE`, earth frame at the hold): fit the segment's own from the same `n`
   * samples; a segment without a clear axis is lost.
   */
  fitAxis(pelvisAxisE: ArrayLike<number>, axisDt: Float64Array, n: number, minEigenRatio: number): void {
    this.pelvisAxisE.set(pelvisAxisE);
    if (!this.active) return;
    const m = movementAxis(this.axisGyr, axisDt, n);
    if (m && m.eigenRatio >= minEigenRatio) this.axisE.set(m.axisS);
    else this.lose();
  }

  /** One analysed sample: pelvis attitude `q`, the segment's `segQ`; false when the segment was lost. */
  measure(tS: number, q: ArrayLike<number>, segQ: ArrayLike<number> | undefined): boolean {
    if (!segQ) {
      this.lose();
      return false;
    }
    const s = this.axisE;
    const own = twistDeg(segQ, this.tracker.q0, s[0]!, s[1]!, s[2]!);
    if (this.role === 'thigh') {
      // The knee's opening in the room (what patient and therapist see; a pelvis rolling back does not shrink it).
      const dt = tS - this.lastT;
      if (dt > 0) {
        this.rateDegPerS += Math.min(1, dt / KNEE_RATE_TAU_S) * ((own - this.signalDeg) / dt - this.rateDegPerS);
      }
      this.signalDeg = own;
      this.lastT = tS;
    } else {
      const e = this.pelvisAxisE;
      this.signalDeg = twistDeg(q, this.pelvis0, e[0]!, e[1]!, e[2]!) - own;
    }
    return true;
  }

  /** Lumbar extension for the fault checks, deg (NaN unless an upper-lumbar sensor is in use). */
  get lumbarExtensionDeg(): number {
    return this.active && this.role === 'lumbar' ? this.signalDeg : Number.NaN;
  }

  /** Silent (or no clear axis): not used again until the next calibration. */
  lose(): void {
    this.active = false;
    this.tracker.status = 'lost';
    this.signalDeg = Number.NaN;
  }

  reset(): void {
    this.tracker.reset();
    this.kneeReps?.reset();
    this.active = false;
    this.signalDeg = Number.NaN;
    this.rateDegPerS = 0;
    this.restSignalDeg = 0;
    this.lastT = Number.NaN;
    this.pelvis0.set([1, 0, 0, 0]);
    this.lp.fill(0);
  }
}

/** out = R(q)·v (sensor → earth). No allocation. */
function rotateInto(q: ArrayLike<number>, v: ArrayLike<number>, out: Float64Array): void {
  const w = q[0]!;
  const x = q[1]!;
  const y = q[2]!;
  const z = q[3]!;
  const vx = v[0]!;
  const vy = v[1]!;
  const vz = v[2]!;
  // v + 2w(u×v) + 2u×(u×v), u = (x, y, z)
  const cx = y * vz - z * vy;
  const cy = z * vx - x * vz;
  const cz = x * vy - y * vx;
  out[0] = vx + 2 * (w * cx + y * cz - z * cy);
  out[1] = vy + 2 * (w * cy + z * cx - x * cz);
  out[2] = vz + 2 * (w * cz + x * cy - y * cx);
}
