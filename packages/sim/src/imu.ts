import type { Rng } from './prng.ts';
import type { NoiseLevel } from './types.ts';

const DPS = Math.PI / 180;
const G = 9.80665;

/**
 * Error figures of an IMU, in the datasheet's own units. 1σ values: Bosch states typical values as 1σ of the
 * part population (README § Sensor model lists the sources).
 */
export interface ImuErrorModel {
  name: string;
  /** Gyroscope white noise density, °/s/√Hz. */
  gyrNoiseDensityDps: number;
  /** Accelerometer white noise density, µg/√Hz. */
  accNoiseDensityUg: number;
  /** Zero-rate offset 1σ, °/s (per axis, per session). */
  gyrOffsetDps: number;
  /** Zero-g offset 1σ, mg. */
  accOffsetMg: number;
  /** Bias random walk, °/s/√s and mg/√s (slow warm-up drift on the body). */
  gyrBiasWalkDpsPerRtS: number;
  accBiasWalkMgPerRtS: number;
  /** Sensitivity error 1σ (fraction) and cross-axis sensitivity 1σ (fraction). */
  gyrScaleError: number;
  accScaleError: number;
  gyrCrossAxis: number;
  accCrossAxis: number;
  /** Output data rate error 1σ (fraction of nominal: the IMU's own oscillator). */
  odrError: number;
  /** Jitter of the firmware's timestamp of a frame's first sample, µs (uniform ±). */
  stampJitterUs: number;
  /** Magnetometer (BMM150-class) noise, µT rms, and hard-iron offset 1σ, µT. */
  magNoiseUt: number;
  magHardIronUt: number;
  /** false: no clipping, no quantization in `samples` (exact physics). */
  quantize: boolean;
}

/** BMI270 at 200 Hz, gyroscope in performance mode. */
export const BMI270_TYPICAL: ImuErrorModel = {
  name: 'BMI270',
  gyrNoiseDensityDps: 0.007,
  accNoiseDensityUg: 160,
  gyrOffsetDps: 0.5,
  accOffsetMg: 20,
  gyrBiasWalkDpsPerRtS: 0.004,
  accBiasWalkMgPerRtS: 0.05,
  gyrScaleError: 0.004,
  accScaleError: 0.005,
  gyrCrossAxis: 0.005,
  accCrossAxis: 0.005,
  odrError: 0.002,
  stampJitterUs: 40,
  magNoiseUt: 0.3,
  magHardIronUt: 5,
  quantize: true,
};

export function imuModelFor(noise: NoiseLevel): ImuErrorModel {
  if (noise === 'typical') return BMI270_TYPICAL;
  if (noise === 'high') {
    // a worse part or worse conditions: 3× noise, offsets at the 3σ edge, faster drift, more timing jitter
    const t = BMI270_TYPICAL;
    return {
      ...t,
      name: 'BMI270 (high noise)',
      gyrNoiseDensityDps: 3 * t.gyrNoiseDensityDps,
      accNoiseDensityUg: 3 * t.accNoiseDensityUg,
      gyrOffsetDps: 3 * t.gyrOffsetDps,
      accOffsetMg: 3 * t.accOffsetMg,
      gyrBiasWalkDpsPerRtS: 3 * t.gyrBiasWalkDpsPerRtS,
      accBiasWalkMgPerRtS: 3 * t.accBiasWalkMgPerRtS,
      gyrScaleError: 3 * t.gyrScaleError,
      accScaleError: 3 * t.accScaleError,
      gyrCrossAxis: 3 * t.gyrCrossAxis,
      accCrossAxis: 3 * t.accCrossAxis,
      odrError: 3 * t.odrError,
      stampJitterUs: 3 * t.stampJitterUs,
      magNoiseUt: 3 * t.magNoiseUt,
      magHardIronUt: 3 * t.magHardIronUt,
    };
  }
  return {
    name: 'BMI270 (ideal)',
    gyrNoiseDensityDps: 0,
    accNoiseDensityUg: 0,
    gyrOffsetDps: 0,
    accOffsetMg: 0,
    gyrBiasWalkDpsPerRtS: 0,
    accBiasWalkMgPerRtS: 0,
    gyrScaleError: 0,
    accScaleError: 0,
    gyrCrossAxis: 0,
    accCrossAxis: 0,
    odrError: 0,
    stampJitterUs: 0,
    magNoiseUt: 0,
    magHardIronUt: 0,
    quantize: false,
  };
}

const WALK_STEP = 10;

/** One 3-axis channel's errors: y = M·x + b(t) + n, then clip and quantize. M = I + scale + cross-axis. */
export class AxisTriad {
  private readonly m: Float64Array;
  private readonly bias: Float64Array;
  private readonly noiseSigma: number;
  private readonly walkSigma: number;
  private count = 0;
  readonly initialBias: [number, number, number];

  /**
   * @param noiseDensity white noise density in SI/√Hz; @param offsetSigma SI; @param walk SI/√s;
   * @param dtS sample period (noise σ = density·√(fs/2), the Nyquist bandwidth).
   */
  constructor(
    private readonly rng: Rng,
    noiseDensity: number,
    offsetSigma: number,
    walk: number,
    scale: number,
    cross: number,
    dtS: number,
    private readonly lsbSi: number,
    private readonly quantize: boolean,
  ) {
    this.m = new Float64Array(9);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) this.m[3 * i + j] = i === j ? 1 + scale * rng.normal() : cross * rng.normal();
    }
    this.bias = new Float64Array([offsetSigma * rng.normal(), offsetSigma * rng.normal(), offsetSigma * rng.normal()]);
    this.initialBias = [this.bias[0]!, this.bias[1]!, this.bias[2]!];
    this.noiseSigma = noiseDensity * Math.sqrt(1 / (2 * dtS));
    // NOTE: the random walk is stepped every WALK_STEP samples (σ scaled to match): it is slow, and this saves
    // most of the normal draws in the hot loop.
    this.walkSigma = walk * Math.sqrt(dtS * WALK_STEP);
  }

  /** Measures x (3 values at `i`), writes the output at `o`. */
  measure(x: Float64Array | number[], i: number, out: Float64Array, o: number): void {
    const m = this.m;
    const walkNow = this.walkSigma > 0 && ++this.count % WALK_STEP === 0;
    const x0 = x[i]!;
    const x1 = x[i + 1]!;
    const x2 = x[i + 2]!;
    for (let k = 0; k < 3; k++) {
      let y = m[3 * k]! * x0 + m[3 * k + 1]! * x1 + m[3 * k + 2]! * x2 + this.bias[k]!;
      if (this.noiseSigma > 0) y += this.noiseSigma * this.rng.normal();
      if (walkNow) this.bias[k]! += this.walkSigma * this.rng.normal();
      if (this.quantize) {
        y = Math.round(y / this.lsbSi);
        // int16 saturation is the range clipping: full scale = 32768 LSB
        y = Math.min(32767, Math.max(-32768, y)) * this.lsbSi;
      }
      out[o + k] = y;
    }
  }
}

/** Sensor outputs and the per-session draws behind them. */
export interface SensorOutput {
  gyrRadPerS: Float64Array;
  accMps2: Float64Array;
  magUt: Float64Array | undefined;
  gyrBiasRadPerS: [number, number, number];
  accBiasMps2: [number, number, number];
}

/**
 * Applies an IMU error model to ideal readings (sensor frame, 3n): per-axis-triad scale/cross-axis, bias with a
 * random walk, white noise, int16 quantization at the range's LSB (when the model quantizes).
 */
export function applyImuModel(
  model: ImuErrorModel,
  ideal: { gyrRadPerS: Float64Array; accMps2: Float64Array; magUt: Float64Array | undefined },
  fs: number,
  lsb: { gyrRadPerS: number; accMps2: number; magUt: number },
  rng: Rng,
): SensorOutput {
  const gyrTriad = new AxisTriad(
    rng.fork('gyr'),
    model.gyrNoiseDensityDps * DPS,
    model.gyrOffsetDps * DPS,
    model.gyrBiasWalkDpsPerRtS * DPS,
    model.gyrScaleError,
    model.gyrCrossAxis,
    1 / fs,
    lsb.gyrRadPerS,
    model.quantize,
  );
  const accTriad = new AxisTriad(
    rng.fork('acc'),
    model.accNoiseDensityUg * 1e-6 * G,
    model.accOffsetMg * 1e-3 * G,
    model.accBiasWalkMgPerRtS * 1e-3 * G,
    model.accScaleError,
    model.accCrossAxis,
    1 / fs,
    lsb.accMps2,
    model.quantize,
  );
  const n = ideal.gyrRadPerS.length / 3;
  const gyr = new Float64Array(3 * n);
  const acc = new Float64Array(3 * n);
  for (let k = 0; k < n; k++) {
    gyrTriad.measure(ideal.gyrRadPerS, 3 * k, gyr, 3 * k);
    accTriad.measure(ideal.accMps2, 3 * k, acc, 3 * k);
  }
  let mag: Float64Array | undefined;
  if (ideal.magUt) {
    const magRng = rng.fork('mag');
    const hardIron = [0, 0, 0].map(() => model.magHardIronUt * magRng.normal());
    mag = new Float64Array(3 * n);
    for (let i = 0; i < 3 * n; i++) {
      let m = ideal.magUt[i]! + hardIron[i % 3]! + model.magNoiseUt * magRng.normal();
      if (model.quantize) m = Math.round(m / lsb.magUt) * lsb.magUt;
      mag[i] = m;
    }
  }
  return {
    gyrRadPerS: gyr,
    accMps2: acc,
    magUt: mag,
    gyrBiasRadPerS: gyrTriad.initialBias,
    accBiasMps2: accTriad.initialBias,
  };
}
