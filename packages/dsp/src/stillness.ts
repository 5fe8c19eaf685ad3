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
  const s = { ...defaultStillnessSettings, ...settings };
  let started = false;
  let gyr = 0;
  let mx = 0;
  let my = 0;
  let mz = 0;
  let dev = 0;
  let still = false;
  return {
    get still() {
      return still;
    },
    get level() {
      const r = Math.max(gyr / s.gyroMaxRadPerS, dev / s.accDevMaxMps2);
      return Math.max(0, Math.min(1, 1 - r / 2));
    },
    get gyroRadPerS() {
      return gyr;
    },
    next(dtS, gx, gy, gz, ax, ay, az) {
      const g = Math.sqrt(gx * gx + gy * gy + gz * gz);
      if (!started) {
        started = true;
        gyr = g;
        mx = ax;
        my = ay;
        mz = az;
        dev = 0;
      } else {
        const k = dtS > 0 ? Math.min(1, dtS / s.smoothingS) : 0;
        gyr += k * (g - gyr);
        const km = k * 0.25;
        mx += km * (ax - mx);
        my += km * (ay - my);
        mz += km * (az - mz);
        const dx = ax - mx;
        const dy = ay - my;
        const dz = az - mz;
        dev += k * (Math.sqrt(dx * dx + dy * dy + dz * dz) - dev);
      }
      still = gyr < s.gyroMaxRadPerS && dev < s.accDevMaxMps2;
      return still;
    },
    reset() {
      started = false;
      gyr = 0;
      dev = 0;
      still = false;
    },
  };
}
