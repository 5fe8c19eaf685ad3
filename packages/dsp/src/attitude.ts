import { defaultCalibrationSettings } from './calibrator.ts';

/**
 * A light attitude tracker for the coaching pipeline: gyro integration with a gravity correction (Mahony-style
 * proportional feedback), acceleration rejection, and a gyro bias that calibration sets from the still hold.
 * Sensor → earth ENU quaternion, [w,x,y,z]. Heading is not corrected (no magnetometer needed): the pipeline only uses
 * rotation relative to the calibrated start, and the hold's bias estimate keeps heading drift small over a set.
 *
 * The full-accuracy filter of issue 4 §1 lives in ./orientation (another unit); this one trades accuracy on long
 * recordings for speed, which the pipeline's ≥ 1 M samples/s budget needs.
 */

export interface AttitudeSettings {
  /** Gravity feedback gain, 1/s. Larger follows gravity faster but lets movement acceleration in. */
  gainPerS: number;
  /** Gain used for the first `initialS` seconds so the tracker settles from any start. */
  initialGainPerS: number;
  initialS: number;
  /**
   * Gravity correction is skipped while | |acc| − g | exceeds this, m/s², where g is the sensor's own reading of
   * gravity at the last `align` (its offsets and scale errors included), or standard gravity before it.
   */
  accRejectMps2: number;
}

export const defaultAttitudeSettings: AttitudeSettings = {
  gainPerS: 0.5,
  initialGainPerS: 5,
  initialS: 1,
  accRejectMps2: 1.5,
};

const G = 9.80665;
/** The most a resting reading of gravity may differ from standard gravity to be taken as this sensor's. */
const MAX_GRAVITY_ERROR_MPS2 = defaultCalibrationSettings.gravityToleranceMps2;

export interface Attitude {
  /** Sensor → earth, [w,x,y,z]; mutated in place by next(). */
  readonly q: Float64Array;
  /** Gyro bias removed before integration, rad/s, sensor frame. */
  readonly biasRadPerS: Float64Array;
  next(dtS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): void;
  /**
   * Snap the orientation to a known gravity direction (sensor frame), e.g. the mean acceleration over a still hold.
   * Its magnitude, when plausible, becomes the gravity the acceleration rejection compares with.
   */
  align(ax: number, ay: number, az: number): void;
  reset(): void;
}

export function createAttitude(settings: Partial<AttitudeSettings> = {}): Attitude {
  return new MahonyAttitude({ ...defaultAttitudeSettings, ...settings });
}

/** NOTE: class fields, not closure variables: per-sample double writes to a closure allocate in V8. */
class MahonyAttitude implements Attitude {
  readonly q = new Float64Array([1, 0, 0, 0]);
  readonly biasRadPerS = new Float64Array(3);
  private started = false;
  private elapsedS = 0;
  /** Gravity as this sensor reads it at rest, m/s². */
  private gravityMps2 = G;

  constructor(private readonly s: AttitudeSettings) {}

  private initFromGravity(ax: number, ay: number, az: number): void {
    const q = this.q;
    const n = Math.hypot(ax, ay, az);
    if (n < 1e-6) return;
    // Shortest rotation taking measured up (sensor) onto earth +z.
    const ux = ax / n;
    const uy = ay / n;
    const uz = az / n;
    if (uz < -0.999999) {
      q[0] = 0;
      q[1] = 1;
      q[2] = 0;
      q[3] = 0;
    } else {
      // cross(u, z) = (uy, -ux, 0), w = 1 + uz
      const w = 1 + uz;
      const m = Math.hypot(w, uy, ux);
      q[0] = w / m;
      q[1] = uy / m;
      q[2] = -ux / m;
      q[3] = 0;
    }
    this.started = true;
  }

  next(dtS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): void {
    if (!this.started) {
      this.initFromGravity(ax, ay, az);
      if (!this.started) return;
    }
    if (!(dtS > 0) || dtS > 1) return;
    const { q, s } = this;
    const bias = this.biasRadPerS;
    this.elapsedS += dtS;
    const w = q[0]!;
    const x = q[1]!;
    const y = q[2]!;
    const z = q[3]!;
    let wx = gx - bias[0]!;
    let wy = gy - bias[1]!;
    let wz = gz - bias[2]!;
    const an = Math.hypot(ax, ay, az);
    if (an > 1e-6 && Math.abs(an - this.gravityMps2) < s.accRejectMps2) {
      // Predicted up in sensor coordinates: third row of R_ES.
      const vx = 2 * (x * z - w * y);
      const vy = 2 * (w * x + y * z);
      const vz = w * w - x * x - y * y + z * z;
      const k = (this.elapsedS < s.initialS ? s.initialGainPerS : s.gainPerS) / an;
      // e = a × v rotates the estimate toward the measurement.
      wx += k * (ay * vz - az * vy);
      wy += k * (az * vx - ax * vz);
      wz += k * (ax * vy - ay * vx);
    }
    const h = 0.5 * dtS;
    const nw = w + h * (-x * wx - y * wy - z * wz);
    const nx = x + h * (w * wx + y * wz - z * wy);
    const ny = y + h * (w * wy - x * wz + z * wx);
    const nz = z + h * (w * wz + x * wy - y * wx);
    const inv = 1 / Math.sqrt(nw * nw + nx * nx + ny * ny + nz * nz);
    q[0] = nw * inv;
    q[1] = nx * inv;
    q[2] = ny * inv;
    q[3] = nz * inv;
  }

  align(ax: number, ay: number, az: number): void {
    this.initFromGravity(ax, ay, az);
    // A sensor whose offsets put its resting |acc| 0.2 g off (in spec for some MEMS parts at 3σ) would otherwise never
    // see gravity: every sample rejected, the attitude gyro-only, drifting with each rep (docs/dsp.md §1).
    const n = Math.hypot(ax, ay, az);
    this.gravityMps2 = Math.abs(n - G) < MAX_GRAVITY_ERROR_MPS2 ? n : G;
  }

  reset(): void {
    const q = this.q;
    q[0] = 1;
    q[1] = 0;
    q[2] = 0;
    q[3] = 0;
    this.biasRadPerS.fill(0);
    this.started = false;
    this.elapsedS = 0;
    this.gravityMps2 = G;
  }
}
