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
}

export const defaultStillnessSettings: StillnessSettings = {
  gyroMaxRadPerS: 0.12,
  accDevMaxMps2: 0.35,
  smoothingS: 0.15,
};

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
  still = false;

  constructor(private readonly s: StillnessSettings) {}

  get level(): number {
    const r = Math.max(this.gyr / this.s.gyroMaxRadPerS, this.dev / this.s.accDevMaxMps2);
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
    }
    this.still = this.gyr < s.gyroMaxRadPerS && this.dev < s.accDevMaxMps2;
    return this.still;
  }

  reset(): void {
    this.started = false;
    this.gyr = 0;
    this.dev = 0;
    this.still = false;
  }
}
