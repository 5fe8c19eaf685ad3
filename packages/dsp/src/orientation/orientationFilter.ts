import { BiasEstimator } from './biasEstimator.ts';
import { lowpassSteady, setLowpassCoefficients } from './lowpass.ts';
import { MagHeading } from './magHeading.ts';
import { defaultOrientationSettings, type OrientationSettings } from './settings.ts';

const GRAVITY_MPS2 = 9.80665;
/** Relative change of dt above which the per-sample filter coefficients are recomputed. */
const DT_TOLERANCE = 1e-3;

/** One low-pass step (see lowpass.ts); module-local so the call inlines whatever the loader does to imports. */
function lowpassStep(x: number, c: Float64Array, s: Float64Array, i: number): number {
  const j = 2 * i;
  const y = c[0]! * x + s[j]!;
  s[j] = c[1]! * x - c[3]! * y + s[j + 1]!;
  s[j + 1] = c[2]! * x - c[4]! * y;
  return y;
}

/**
 * Factor that renormalises a quaternion of squared norm n2. NOTE: the quaternions here are products of unit
 * quaternions, so n2 differs from 1 only by rounding; one Newton step for 1/√n2 (no sqrt, no division) is then exact
 * to ~(n2 − 1)². Anything further off takes the exact path.
 */
function renormFactor(n2: number): number {
  const e = n2 - 1;
  return e < 1e-6 && e > -1e-6 ? 1 - 0.5 * e : 1 / Math.sqrt(n2);
}

/** Degraded operation, reported rather than hidden. Updated by every `next()`. */
export interface OrientationFlags {
  /** The sensor has been still for at least `restMinTimeS`; the gyro bias is being learned from rest. */
  restDetected: boolean;
  /** This sample's acceleration was not used (norm far from gravity, non-finite or zero). */
  accRejected: boolean;
  /** This sample's magnetometer reading was judged disturbed (or invalid) and not used for heading. */
  magRejected: boolean;
  /** Inclination is (re)converging: start-up or after a gap; the estimate is accelerometer-only and less smooth. */
  recovering: boolean;
}

/**
 * Orientation filter after VQF (Laidig & Seel 2023): strapdown gyro integration into an almost-inertial frame I,
 * a second-order low-pass of the acceleration expressed in I, an inclination correction that rotates that low-passed
 * acceleration onto the vertical, gyro-bias estimation (BiasEstimator) and an optional magnetometer heading correction
 * with disturbance rejection (MagHeading).
 *
 * Output `q`: [w, x, y, z], sensor → earth, earth ENU z-up. No allocation per sample.
 */
export class OrientationFilter {
  /** Current orientation [w, x, y, z], sensor → earth (ENU, z up). Updated in place. */
  readonly q = new Float64Array([1, 0, 0, 0]);
  /** Current gyro bias estimate, sensor frame, rad/s (subtracted from the gyro before integration). */
  readonly biasRadPerS = new Float64Array(3);
  readonly flags: OrientationFlags = { restDetected: false, accRejected: false, magRejected: false, recovering: true };
  readonly settings: Readonly<OrientationSettings>;

  // Six-axis orientation q6 = q_a ⊗ q_g (sensor → E, before the heading correction), integrated every sample, and the
  // inclination correction q_a (I → E), changed once per block. q_g (sensor → I) is implicit: q_a* ⊗ q6.
  private ow = 1;
  private ox = 0;
  private oy = 0;
  private oz = 0;
  private aw = 1;
  private ax = 0;
  private ay = 0;
  private az = 0;
  private started = false;
  /** Accelerometer warm-up: the running mean (in I) stands in for the low-pass for the first tauAccS. */
  private warming = true;
  private warmT = 0;
  private warmN = 0;
  private warmX = 0;
  private warmY = 0;
  private warmZ = 0;
  /** Last low-passed acceleration in I (held while a sample is rejected). */
  private lpX = 0;
  private lpY = 0;
  private lpZ = GRAVITY_MPS2;
  /** This step's inclination correction, rotation vector about earth x, y (rad). */
  private corrX = 0;
  private corrY = 0;
  /** The current block: its length (s), accepted acc samples and their sum in I (m/s²). */
  private blockT = 0;
  private accN = 0;
  private sumX = 0;
  private sumY = 0;
  private sumZ = 0;
  /** Block length the accelerometer low-pass coefficients were computed for, s. */
  private tCached = -1;
  /** Squared bias-corrected gyro rate of the last sample, rad²/s². */
  private rate2 = 0;
  private dtCached = -1;
  /** Squared norm bounds of accepted accelerations (from accRejectionMps2), m²/s⁴. */
  private readonly accLo2: number;
  private readonly accHi2: number;
  private readonly cAcc = new Float64Array(5);
  private readonly sAcc = new Float64Array(6);
  private readonly bias: BiasEstimator;
  private readonly mag: MagHeading;

  constructor(settings: Partial<OrientationSettings> = {}) {
    this.settings = Object.freeze({ ...defaultOrientationSettings, ...settings });
    const rej = this.settings.accRejectionMps2;
    this.accLo2 = rej < GRAVITY_MPS2 ? (GRAVITY_MPS2 - rej) ** 2 : 0;
    this.accHi2 = (GRAVITY_MPS2 + rej) ** 2;
    this.bias = new BiasEstimator(this.settings, this.biasRadPerS);
    this.mag = new MagHeading(this.settings);
    this.reset();
  }

  /**
   * Resets the state. With `qInit` ([w, x, y, z], sensor → earth) the filter starts from that orientation: its heading
   * is kept (until a trusted magnetometer says otherwise) and the accelerometer re-levels its inclination at once.
   * Without, the first accelerometer sample sets inclination and heading starts at 0 (or at magnetic north).
   */
  reset(qInit?: ArrayLike<number>): void {
    this.ow = 1;
    this.ox = 0;
    this.oy = 0;
    this.oz = 0;
    this.aw = 1;
    this.ax = 0;
    this.ay = 0;
    this.az = 0;
    this.started = false;
    if (qInit !== undefined && qInit.length >= 4) {
      const n = Math.hypot(qInit[0]!, qInit[1]!, qInit[2]!, qInit[3]!);
      if (n > 0 && Number.isFinite(n)) {
        this.ow = qInit[0]! / n;
        this.ox = qInit[1]! / n;
        this.oy = qInit[2]! / n;
        this.oz = qInit[3]! / n;
        this.started = true;
      }
    }
    this.startWarmup();
    this.dtCached = -1;
    this.tCached = -1;
    this.clearBlock();
    this.bias.reset();
    this.mag.reset();
    this.flags.restDetected = false;
    this.flags.accRejected = false;
    this.flags.magRejected = false;
    this.sixAxis();
    this.applyHeading();
  }

  private startWarmup(): void {
    this.warming = true;
    this.warmT = 0;
    this.warmN = 0;
    this.warmX = 0;
    this.warmY = 0;
    this.warmZ = 0;
    this.flags.recovering = true;
  }

  /**
   * Processes one sample. `dtS` is the time since the previous sample (ignored for the very first one); gyro rad/s,
   * accelerometer m/s² (specific force), optional magnetometer µT, all in the sensor frame. Returns `q` (same array).
   * Non-finite or non-positive dt: the sample is skipped. dt above `maxDtS`: a gap (see settings).
   */
  next(
    dtS: number,
    gxRadPerS: number,
    gyRadPerS: number,
    gzRadPerS: number,
    axMps2: number,
    ayMps2: number,
    azMps2: number,
    mxUt?: number,
    myUt?: number,
    mzUt?: number,
  ): Float64Array {
    const flags = this.flags;
    const accNorm2 = axMps2 * axMps2 + ayMps2 * ayMps2 + azMps2 * azMps2;
    const accValid = accNorm2 > 0 && accNorm2 < Number.POSITIVE_INFINITY;
    const accRejected = !accValid || accNorm2 < this.accLo2 || accNorm2 > this.accHi2;
    flags.accRejected = accRejected;
    if (!this.started || dtS > this.settings.maxDtS) {
      // First sample, or a gap (the rotation during it is unknown): (re)start inclination from the accelerometer,
      // keeping bias and heading.
      if (!accValid) return this.q;
      if (this.started) {
        this.startWarmup();
        this.bias.restart();
        flags.restDetected = false;
      }
      this.started = true;
      this.clearBlock();
      this.accumulate(axMps2, ayMps2, azMps2);
      this.correct(0);
      this.clearBlock();
      this.sixAxis();
      return this.output(0, mxUt, myUt, mzUt);
    }
    if (!(dtS > 0)) return this.q;
    const gyrValid = Number.isFinite(gxRadPerS + gyRadPerS + gzRadPerS);
    if (gyrValid) this.integrateGyro(dtS, gxRadPerS, gyRadPerS, gzRadPerS);
    if (!accRejected) this.accumulate(axMps2, ayMps2, azMps2);
    if (gyrValid && accValid) this.bias.add(gxRadPerS, gyRadPerS, gzRadPerS, axMps2, ayMps2, azMps2);
    this.blockT += dtS;
    if (this.blockT >= this.settings.blockPeriodS) this.closeBlock();
    this.sixAxis();
    if (mxUt !== undefined && Math.abs(dtS - this.dtCached) > DT_TOLERANCE * this.dtCached) {
      this.dtCached = dtS;
      this.mag.setDt(dtS);
    }
    return this.output(dtS, mxUt, myUt, mzUt);
  }

  private clearBlock(): void {
    this.blockT = 0;
    this.accN = 0;
    this.sumX = 0;
    this.sumY = 0;
    this.sumZ = 0;
  }

  /** End of a block: accelerometer correction, then bias and rest detection with the block's correction rate. */
  private closeBlock(): void {
    const t = this.blockT;
    const motionOk = !this.warming;
    this.correct(t);
    this.sixAxis();
    const q = this.q;
    this.bias.update(t, q[0]!, q[1]!, q[2]!, q[3]!, motionOk, this.corrX / t, this.corrY / t);
    this.flags.restDetected = this.bias.restDetected;
    this.clearBlock();
  }

  private integrateGyro(dtS: number, gx: number, gy: number, gz: number): void {
    const b = this.biasRadPerS;
    const wx = gx - b[0]!;
    const wy = gy - b[1]!;
    const wz = gz - b[2]!;
    const rate2 = wx * wx + wy * wy + wz * wz;
    this.rate2 = rate2;
    const th2 = rate2 * dtS * dtS;
    let c: number;
    let k: number;
    // NOTE: below 0.05 rad per step the Taylor series of cos(θ/2) and sin(θ/2)/θ is exact to < 1e-12 and much cheaper.
    if (th2 < 2.5e-3) {
      c = 1 - th2 / 8 + (th2 * th2) / 384;
      k = dtS * (0.5 - th2 / 48 + (th2 * th2) / 3840);
    } else {
      const th = Math.sqrt(th2);
      c = Math.cos(th / 2);
      k = (Math.sin(th / 2) / th) * dtS;
    }
    const dx = k * wx;
    const dy = k * wy;
    const dz = k * wz;
    // q_g ← q_g ⊗ dq (rotation in the sensor frame), renormalised.
    const w0 = this.ow;
    const x0 = this.ox;
    const y0 = this.oy;
    const z0 = this.oz;
    const w = w0 * c - x0 * dx - y0 * dy - z0 * dz;
    const x = w0 * dx + x0 * c + y0 * dz - z0 * dy;
    const y = w0 * dy - x0 * dz + y0 * c + z0 * dx;
    const z = w0 * dz + x0 * dy - y0 * dx + z0 * c;
    const n = renormFactor(w * w + x * x + y * y + z * z);
    this.ow = w * n;
    this.ox = x * n;
    this.oy = y * n;
    this.oz = z * n;
  }

  /**
   * Per sample: the acceleration rotated by q6 is summed for the block. q_a is constant within a block, so
   * q_a* ⊗ (Σ q6·a) ⊗ q_a = Σ q_g·a, the sum in I, without keeping q_g per sample.
   */
  private accumulate(axS: number, ayS: number, azS: number): void {
    // v' = v + w·t + u×t, t = 2·u×v.
    const w = this.ow;
    const ux = this.ox;
    const uy = this.oy;
    const uz = this.oz;
    const tx = 2 * (uy * azS - uz * ayS);
    const ty = 2 * (uz * axS - ux * azS);
    const tz = 2 * (ux * ayS - uy * axS);
    this.sumX += axS + w * tx + (uy * tz - uz * ty);
    this.sumY += ayS + w * ty + (uz * tx - ux * tz);
    this.sumZ += azS + w * tz + (ux * ty - uy * tx);
    this.accN += 1;
  }

  /**
   * Per block of length t (0 for the first sample): low-pass the block's mean acceleration in I (during warm-up the
   * running mean stands in), then rotate q_a so that the low-passed acceleration points straight up.
   */
  private correct(t: number): void {
    let lx = this.lpX;
    let ly = this.lpY;
    let lz = this.lpZ;
    const aw = this.aw;
    const vx = this.ax;
    const vy = this.ay;
    const vz = this.az;
    const n = this.accN;
    if (n > 0) {
      // Block sum from the six-axis frame into I: rotate by q_a* (u = −q_a.xyz).
      const px = this.sumX;
      const py = this.sumY;
      const pz = this.sumZ;
      const rx = 2 * (vz * py - vy * pz);
      const ry = 2 * (vx * pz - vz * px);
      const rz = 2 * (vy * px - vx * py);
      const sumX = px + aw * rx - (vy * rz - vz * ry);
      const sumY = py + aw * ry - (vz * rx - vx * rz);
      const sumZ = pz + aw * rz - (vx * ry - vy * rx);
      if (this.warming) {
        this.warmT += t;
        this.warmN += n;
        this.warmX += sumX;
        this.warmY += sumY;
        this.warmZ += sumZ;
        lx = this.warmX / this.warmN;
        ly = this.warmY / this.warmN;
        lz = this.warmZ / this.warmN;
        if (this.warmT >= this.settings.tauAccS && t > 0) {
          this.setAccPeriod(t);
          lowpassSteady(lx, this.cAcc, this.sAcc, 0);
          lowpassSteady(ly, this.cAcc, this.sAcc, 1);
          lowpassSteady(lz, this.cAcc, this.sAcc, 2);
          this.warming = false;
          this.flags.recovering = false;
        }
      } else {
        if (Math.abs(t - this.tCached) > DT_TOLERANCE * this.tCached) this.setAccPeriod(t);
        const inv = 1 / n;
        lx = lowpassStep(sumX * inv, this.cAcc, this.sAcc, 0);
        ly = lowpassStep(sumY * inv, this.cAcc, this.sAcc, 1);
        lz = lowpassStep(sumZ * inv, this.cAcc, this.sAcc, 2);
      }
      this.lpX = lx;
      this.lpY = ly;
      this.lpZ = lz;
    }
    // Into E with q_a, normalised.
    const tx = 2 * (vy * lz - vz * ly);
    const ty = 2 * (vz * lx - vx * lz);
    const tz = 2 * (vx * ly - vy * lx);
    const ex0 = lx + aw * tx + (vy * tz - vz * ty);
    const ey0 = ly + aw * ty + (vz * tx - vx * tz);
    const ez0 = lz + aw * tz + (vx * ty - vy * tx);
    const en = 1 / Math.sqrt(ex0 * ex0 + ey0 * ey0 + ez0 * ez0);
    const ex = ex0 * en;
    const ey = ey0 * en;
    const ez = ez0 * en;
    // Correction: the shortest rotation taking (ex, ey, ez) onto +z, applied on the earth side of q_a.
    let cw = 0;
    let cx = 1;
    let cy = 0;
    const qw = Math.sqrt((ez + 1) * 0.5);
    if (qw > 1e-6) {
      cw = qw;
      cx = (0.5 * ey) / qw;
      cy = (-0.5 * ex) / qw;
    }
    this.corrX = ey;
    this.corrY = -ex;
    const nw = cw * aw - cx * vx - cy * vy;
    const nx = cw * vx + cx * aw + cy * vz;
    const ny = cw * vy - cx * vz + cy * aw;
    const nz = cw * vz + cx * vy - cy * vx;
    const nn = renormFactor(nw * nw + nx * nx + ny * ny + nz * nz);
    this.aw = nw * nn;
    this.ax = nx * nn;
    this.ay = ny * nn;
    this.az = nz * nn;
    // q6 ← c ⊗ q6 (c has no z component).
    const ow = this.ow;
    const ox = this.ox;
    const oy = this.oy;
    const oz = this.oz;
    const mw = cw * ow - cx * ox - cy * oy;
    const mx = cw * ox + cx * ow + cy * oz;
    const my = cw * oy - cx * oz + cy * ow;
    const mz = cw * oz + cx * oy - cy * ox;
    const mn = renormFactor(mw * mw + mx * mx + my * my + mz * mz);
    this.ow = mw * mn;
    this.ox = mx * mn;
    this.oy = my * mn;
    this.oz = mz * mn;
  }

  private setAccPeriod(t: number): void {
    this.tCached = t;
    setLowpassCoefficients(this.settings.tauAccS, t, this.cAcc);
  }

  /** Magnetometer heading (when given and enabled), then q ← q_δ ⊗ q. Expects `q` to hold q6. */
  private output(dtS: number, mx?: number, my?: number, mz?: number): Float64Array {
    this.flags.magRejected = false;
    if (mx !== undefined && my !== undefined && mz !== undefined && this.settings.magEnabled) {
      const q = this.q;
      const rate = dtS > 0 ? Math.sqrt(this.rate2) : 0;
      this.flags.magRejected = !this.mag.update(dtS, q[0]!, q[1]!, q[2]!, q[3]!, mx, my, mz, rate);
    }
    this.applyHeading();
    return this.q;
  }

  /** q ← q6. */
  private sixAxis(): void {
    const q = this.q;
    q[0] = this.ow;
    q[1] = this.ox;
    q[2] = this.oy;
    q[3] = this.oz;
  }

  /** q ← q_δ ⊗ q, with q_δ the heading correction about earth z. */
  private applyHeading(): void {
    const ds = this.mag.sinHalf;
    if (ds === 0) return;
    const dc = this.mag.cosHalf;
    const q = this.q;
    const w = q[0]!;
    const x = q[1]!;
    const y = q[2]!;
    const z = q[3]!;
    q[0] = dc * w - ds * z;
    q[1] = dc * x - ds * y;
    q[2] = dc * y + ds * x;
    q[3] = dc * z + ds * w;
  }
}

/** Creates an orientation filter; unspecified settings take `defaultOrientationSettings`. */
export function createOrientationFilter(settings?: Partial<OrientationSettings>): OrientationFilter {
  return new OrientationFilter(settings);
}
