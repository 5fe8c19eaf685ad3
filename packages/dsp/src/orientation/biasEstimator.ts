import { lowpassSteady, lowpassStep, setLowpassCoefficients } from './lowpass.ts';
import type { OrientationSettings } from './settings.ts';

const DEG = Math.PI / 180;

/** Relative change of the block length above which the block-rate filter coefficients are recomputed. */
const PERIOD_TOLERANCE = 1e-3;

/**
 * Gyro bias estimation and rest detection (after VQF), run on blocks of `blockPeriodS`.
 *
 * Per sample the filter calls `add()`, which only accumulates sums of gyro and accelerometer and notes whether a
 * sample left the rest thresholds around the last rest low-pass outputs. When the filter closes a block it calls
 * `update()`:
 * - rest detection: second-order low-passes (`restFilterTauS`) of the block means; rest when, for `restMinTimeS`,
 *   every sample stayed within `restThGyrDegPerS` / `restThAccMps2` of them and the low-passed rate is below the gyro
 *   threshold. At rest the low-passed gyro measures the bias directly.
 * - in motion the inclination correction rate measures the horizontal earth-frame part of the bias error:
 *   LP(R)·b ≈ LP(R·b̂) − correction/T, with R (rows x, y of sensor → earth) and R·b̂ low-passed by the accelerometer's
 *   filter so both sides carry the same delay.
 * Both are scalar Kalman updates of b with covariance P. Block-rate updates lose nothing that matters for a quantity that
 * drifts over minutes, and the block mean is the anti-alias filter; it makes the per-sample cost a few additions.
 */
export class BiasEstimator {
  restDetected = false;
  private readonly p = new Float64Array(6); // p00 p01 p02 p11 p12 p22, rad²/s²
  private readonly p0: number;
  private readonly clip: number;
  private readonly thG2: number;
  private readonly thA2: number;
  /** Block accumulators: [nG, Σgx, Σgy, Σgz, nA, Σax, Σay, Σaz, out] with out ≠ 0 once a sample broke a rest threshold. */
  private readonly blk = new Float64Array(9);
  /** Last rest low-pass outputs: gyro rad/s (0..2), acc m/s² (3..5). */
  private readonly lpo = new Float64Array(6);
  private restInit = false;
  private restT = 0;
  private motionInit = false;
  private tCached = -1;
  private v = 0;
  private wMotion = 0;
  private wRest = 0;
  private readonly cRest = new Float64Array(5);
  private readonly cMotion = new Float64Array(5);
  private readonly sRest = new Float64Array(12);
  private readonly sMotion = new Float64Array(16);

  constructor(
    private readonly s: Readonly<OrientationSettings>,
    /** The bias estimate, rad/s, sensor frame; shared with the filter (it subtracts it before integrating). */
    readonly b: Float64Array,
  ) {
    this.p0 = (s.biasSigmaInitDegPerS * DEG) ** 2;
    this.clip = s.biasClipDegPerS * DEG;
    this.thG2 = (s.restThGyrDegPerS * DEG) ** 2;
    this.thA2 = s.restThAccMps2 ** 2;
    this.reset();
  }

  reset(): void {
    this.b.fill(0);
    this.p.fill(0);
    this.p[0] = this.p0;
    this.p[3] = this.p0;
    this.p[5] = this.p0;
    this.restart();
  }

  /** Forgets the rest and motion history (after a gap) but keeps the bias and its covariance. */
  restart(): void {
    this.clearBlock();
    this.restInit = false;
    this.restT = 0;
    this.restDetected = false;
    this.motionInit = false;
  }

  private clearBlock(): void {
    const k = this.blk;
    for (let i = 0; i < 9; i++) k[i] = 0;
  }

  /** Samples and sum of the gyro rates of the current block (sensor frame, rad/s). */
  get gyrCount(): number {
    return this.blk[0]!;
  }
  get gyrSumX(): number {
    return this.blk[1]!;
  }
  get gyrSumY(): number {
    return this.blk[2]!;
  }
  get gyrSumZ(): number {
    return this.blk[3]!;
  }

  /** Samples and sum of the accepted accelerations of the current block (sensor frame, m/s²). */
  get accCount(): number {
    return this.blk[4]!;
  }
  get accSumX(): number {
    return this.blk[5]!;
  }
  get accSumY(): number {
    return this.blk[6]!;
  }
  get accSumZ(): number {
    return this.blk[7]!;
  }

  /**
   * Accumulates one sample: gyro rad/s, acc m/s², sensor frame. A `rejected` acceleration (norm far from gravity) is
   * left out of the sums and rules out rest for the block.
   */
  add(gx: number, gy: number, gz: number, ax: number, ay: number, az: number, rejected: boolean): void {
    const k = this.blk;
    k[0] = k[0]! + 1;
    k[1] = k[1]! + gx;
    k[2] = k[2]! + gy;
    k[3] = k[3]! + gz;
    if (rejected) {
      k[8] = 1;
      return;
    }
    k[4] = k[4]! + 1;
    k[5] = k[5]! + ax;
    k[6] = k[6]! + ay;
    k[7] = k[7]! + az;
    // Rest needs every sample of the block within the thresholds; once one is out, the rest of the block is not checked.
    if (k[8]! === 0) {
      const l = this.lpo;
      const d0 = gx - l[0]!;
      const d1 = gy - l[1]!;
      const d2 = gz - l[2]!;
      const d3 = ax - l[3]!;
      const d4 = ay - l[4]!;
      const d5 = az - l[5]!;
      if (d0 * d0 + d1 * d1 + d2 * d2 >= this.thG2 || d3 * d3 + d4 * d4 + d5 * d5 >= this.thA2) k[8] = 1;
    }
  }

  /**
   * Closes a block of length t (s). (w, x, y, z): the six-axis orientation at its end, sensor → earth.
   * (rateX, rateY): the block's inclination correction divided by t, rad/s about earth x, y. `motionOk`: false while
   * the inclination is still warming up (its corrections are then not bias information).
   */
  update(t: number, w: number, x: number, y: number, z: number, motionOk: boolean, rateX: number, rateY: number): void {
    const k = this.blk;
    const n = k[0]!;
    const nAcc = k[4]!;
    if (n === 0 || nAcc === 0) {
      this.processNoise();
      this.clearBlock();
      return;
    }
    const invG = 1 / n;
    const invA = 1 / nAcc;
    if (Math.abs(t - this.tCached) > PERIOD_TOLERANCE * this.tCached) this.setPeriod(t);
    const c = this.cRest;
    const st = this.sRest;
    const l = this.lpo;
    let devOk = this.restInit && k[8]! === 0;
    if (!this.restInit) {
      this.restInit = true;
      for (let i = 0; i < 3; i++) lowpassSteady(k[i + 1]! * invG, c, st, i);
      for (let i = 0; i < 3; i++) lowpassSteady(k[i + 5]! * invA, c, st, i + 3);
    }
    for (let i = 0; i < 3; i++) l[i] = lowpassStep(k[i + 1]! * invG, c, st, i);
    for (let i = 0; i < 3; i++) l[i + 3] = lowpassStep(k[i + 5]! * invA, c, st, i + 3);
    const lgx = l[0]!;
    const lgy = l[1]!;
    const lgz = l[2]!;
    devOk = devOk && lgx * lgx + lgy * lgy + lgz * lgz < this.thG2;
    this.restT = devOk ? this.restT + t : 0;
    this.restDetected = this.restT >= this.s.restMinTimeS;
    if (this.restDetected) {
      if (this.s.restBiasEstEnabled) {
        this.kalman(1, 0, 0, lgx, this.wRest, false);
        this.kalman(0, 1, 0, lgy, this.wRest, false);
        this.kalman(0, 0, 1, lgz, this.wRest, false);
      }
    } else if (motionOk && this.s.motionBiasEstEnabled) {
      this.motion(w, x, y, z, rateX, rateY);
    }
    this.processNoise();
    this.clearBlock();
  }

  private setPeriod(t: number): void {
    const s = this.s;
    this.tCached = t;
    setLowpassCoefficients(s.restFilterTauS, t, this.cRest);
    setLowpassCoefficients(s.tauAccS, t, this.cMotion);
    // Process noise per block: the variance grows by (0.1 °/s)² per forgetting time. Measurement noise per block is
    // chosen so that under continuous updates the steady-state std is the configured sigma: P∞ ≈ √(V·W) = σ² ⇒ W = σ⁴/V.
    this.v = ((0.1 * DEG) ** 2 * t) / s.biasForgettingTimeS;
    this.wMotion = (s.biasSigmaMotionDegPerS * DEG) ** 4 / this.v + this.v;
    this.wRest = (s.biasSigmaRestDegPerS * DEG) ** 4 / this.v + this.v;
  }

  /** Motion update from the mean correction rate (rad/s about earth x, y) over the block. */
  private motion(w: number, x: number, y: number, z: number, rateX: number, rateY: number): void {
    const r00 = 1 - 2 * (y * y + z * z);
    const r01 = 2 * (x * y - w * z);
    const r02 = 2 * (x * z + w * y);
    const r10 = 2 * (x * y + w * z);
    const r11 = 1 - 2 * (x * x + z * z);
    const r12 = 2 * (y * z - w * x);
    const b = this.b;
    const rbx = r00 * b[0]! + r01 * b[1]! + r02 * b[2]!;
    const rby = r10 * b[0]! + r11 * b[1]! + r12 * b[2]!;
    const c = this.cMotion;
    const st = this.sMotion;
    if (!this.motionInit) {
      this.motionInit = true;
      lowpassSteady(r00, c, st, 0);
      lowpassSteady(r01, c, st, 1);
      lowpassSteady(r02, c, st, 2);
      lowpassSteady(r10, c, st, 3);
      lowpassSteady(r11, c, st, 4);
      lowpassSteady(r12, c, st, 5);
      lowpassSteady(rbx, c, st, 6);
      lowpassSteady(rby, c, st, 7);
    }
    const l00 = lowpassStep(r00, c, st, 0);
    const l01 = lowpassStep(r01, c, st, 1);
    const l02 = lowpassStep(r02, c, st, 2);
    const l10 = lowpassStep(r10, c, st, 3);
    const l11 = lowpassStep(r11, c, st, 4);
    const l12 = lowpassStep(r12, c, st, 5);
    const lbx = lowpassStep(rbx, c, st, 6);
    const lby = lowpassStep(rby, c, st, 7);
    // The correction turns the estimate back by the drift the bias error caused: rate ≈ −R·(b − b̂).
    this.kalman(l00, l01, l02, lbx - rateX, this.wMotion, true);
    this.kalman(l10, l11, l12, lby - rateY, this.wMotion, true);
  }

  /** Scalar Kalman update of b with measurement z = h·b + noise of variance wVar. */
  private kalman(h0: number, h1: number, h2: number, z: number, wVar: number, clipInnovation: boolean): void {
    const p = this.p;
    const b = this.b;
    const p00 = p[0]!;
    const p01 = p[1]!;
    const p02 = p[2]!;
    const p11 = p[3]!;
    const p12 = p[4]!;
    const p22 = p[5]!;
    const u0 = p00 * h0 + p01 * h1 + p02 * h2;
    const u1 = p01 * h0 + p11 * h1 + p12 * h2;
    const u2 = p02 * h0 + p12 * h1 + p22 * h2;
    const sInv = 1 / (h0 * u0 + h1 * u1 + h2 * u2 + wVar);
    const clip = this.clip;
    let e = z - (h0 * b[0]! + h1 * b[1]! + h2 * b[2]!);
    if (clipInnovation) e = Math.max(-clip, Math.min(clip, e));
    b[0] = Math.max(-clip, Math.min(clip, b[0]! + u0 * sInv * e));
    b[1] = Math.max(-clip, Math.min(clip, b[1]! + u1 * sInv * e));
    b[2] = Math.max(-clip, Math.min(clip, b[2]! + u2 * sInv * e));
    p[0] = p00 - u0 * u0 * sInv;
    p[1] = p01 - u0 * u1 * sInv;
    p[2] = p02 - u0 * u2 * sInv;
    p[3] = p11 - u1 * u1 * sInv;
    p[4] = p12 - u1 * u2 * sInv;
    p[5] = p22 - u2 * u2 * sInv;
  }

  /** Process noise, then cap each variance at the initial one (scaling its row and column keeps P positive). */
  private processNoise(): void {
    const p = this.p;
    const p0 = this.p0;
    p[0] = p[0]! + this.v;
    p[3] = p[3]! + this.v;
    p[5] = p[5]! + this.v;
    if (p[0]! > p0 || p[3]! > p0 || p[5]! > p0) {
      const d0 = p[0]! > p0 ? Math.sqrt(p0 / p[0]!) : 1;
      const d1 = p[3]! > p0 ? Math.sqrt(p0 / p[3]!) : 1;
      const d2 = p[5]! > p0 ? Math.sqrt(p0 / p[5]!) : 1;
      p[0] = p[0]! * d0 * d0;
      p[1] = p[1]! * d0 * d1;
      p[2] = p[2]! * d0 * d2;
      p[3] = p[3]! * d1 * d1;
      p[4] = p[4]! * d1 * d2;
      p[5] = p[5]! * d2 * d2;
    }
  }
}
