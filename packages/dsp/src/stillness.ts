/**
 * Stillness detector: smoothed angular-rate magnitude and smoothed deviation of the accelerometer from its own slow
 * mean, both below a threshold. Per-sample, allocation-free.
 */

export interface StillnessSettings {
  /** Smoothed |ω| must stay below this, rad/s (0.12 rad/s ≈ 7°/s: breathing and postural sway stay below). */
  gyroMaxRadPerS: number;
  /** Smoothed |a − mean(a)| must stay below this, m/s². */
  accDevMaxMps2: number;
  /** Smoothing time constant, s. */
  smoothingS: number;
  /**
   * 0, or the largest gyro zero-rate offset to allow for when the offset is not yet known (rad/s). Then a sensor also
   * counts as still when its rate stays within `unknownBiasSteadyRadPerS` of its own slow mean (time constant
   * BIAS_SMOOTHING_S) and that mean is within this: a steady offset is not movement. The calibration hold uses it.
   */
  unknownBiasMaxRadPerS: number;
  /**
   * How steady the rate must be to pass as an offset, rad/s (smoothed |ω − slow mean|). Tighter than
   * `gyroMaxRadPerS`: a turn about the vertical leaves gravity where it was, so only its unsteadiness tells it from
   * an offset, and a person turning on the mat does not hold a rate to within 3 °/s for 2 s; a still sensor's noise
   * and breathing stay well under it (high-noise part: 0.35 °/s).
   */
  unknownBiasSteadyRadPerS: number;
}

export const defaultStillnessSettings: StillnessSettings = {
  gyroMaxRadPerS: 0.12,
  accDevMaxMps2: 0.35,
  smoothingS: 0.15,
  unknownBiasMaxRadPerS: 0,
  unknownBiasSteadyRadPerS: 0.05,
};

/** Time constant of the slow gyro mean that stands in for an unknown offset, s. */
const BIAS_SMOOTHING_S = 1;

export interface Stillness {
  /** true after next() when the sensor is still. */
  readonly still: boolean;
  /** 0 = clearly moving, 1 = perfectly still; for a live meter. */
  readonly level: number;
  /** Smoothed |ω|, rad/s. */
  readonly gyroRadPerS: number;
  next(dtS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): boolean;
  reset(): void;
}

export function createStillness(settings: Partial<StillnessSettings> = {}): Stillness {
  return new SmoothedStillness({ ...defaultStillnessSettings, ...settings });
}

/** NOTE: class fields, not closure variables: per-sample double writes to a closure allocate in V8. */
class SmoothedStillness implements Stillness {
  private started = false;
  private gyr = 0;
  private mx = 0;
  private my = 0;
  private mz = 0;
  private dev = 0;
  private bx = 0;
  private by = 0;
  private bz = 0;
  private gyrDev = 0;
  still = false;

  constructor(private readonly s: StillnessSettings) {}

  get level(): number {
    const s = this.s;
    const steady =
      s.unknownBiasMaxRadPerS > 0 ? (this.gyrDev / s.unknownBiasSteadyRadPerS) * s.gyroMaxRadPerS : Infinity;
    const r = Math.max(Math.min(this.gyr, steady) / s.gyroMaxRadPerS, this.dev / s.accDevMaxMps2);
    return Math.max(0, Math.min(1, 1 - r / 2));
  }

  get gyroRadPerS(): number {
    return this.gyr;
  }

  next(dtS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): boolean {
    const s = this.s;
    const g = Math.sqrt(gx * gx + gy * gy + gz * gz);
    if (!this.started) {
      this.started = true;
      this.gyr = g;
      this.mx = ax;
      this.my = ay;
      this.mz = az;
      this.dev = 0;
      this.bx = gx;
      this.by = gy;
      this.bz = gz;
      this.gyrDev = 0;
    } else {
      const k = dtS > 0 ? Math.min(1, dtS / s.smoothingS) : 0;
      this.gyr += k * (g - this.gyr);
      const km = k * 0.25;
      this.mx += km * (ax - this.mx);
      this.my += km * (ay - this.my);
      this.mz += km * (az - this.mz);
      const dx = ax - this.mx;
      const dy = ay - this.my;
      const dz = az - this.mz;
      this.dev += k * (Math.sqrt(dx * dx + dy * dy + dz * dz) - this.dev);
      if (s.unknownBiasMaxRadPerS > 0) {
        const kb = dtS > 0 ? Math.min(1, dtS / BIAS_SMOOTHING_S) : 0;
        this.bx += kb * (gx - this.bx);
        this.by += kb * (gy - this.by);
        this.bz += kb * (gz - this.bz);
        const ex = gx - this.bx;
        const ey = gy - this.by;
        const ez = gz - this.bz;
        this.gyrDev += k * (Math.sqrt(ex * ex + ey * ey + ez * ez) - this.gyrDev);
      }
    }
    const gyroStill =
      this.gyr < s.gyroMaxRadPerS ||
      (s.unknownBiasMaxRadPerS > 0 &&
        this.gyrDev < s.unknownBiasSteadyRadPerS &&
        this.bx * this.bx + this.by * this.by + this.bz * this.bz < s.unknownBiasMaxRadPerS * s.unknownBiasMaxRadPerS);
    this.still = gyroStill && this.dev < s.accDevMaxMps2;
    return this.still;
  }

  reset(): void {
    this.started = false;
    this.gyr = 0;
    this.dev = 0;
    this.gyrDev = 0;
    this.still = false;
  }
}
