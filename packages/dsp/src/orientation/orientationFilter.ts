import { lowpassSteady, lowpassStep, setLowpassCoefficients } from './lowpass.ts';
import { MagHeading } from './magHeading.ts';
import { defaultOrientationSettings, type OrientationSettings } from './settings.ts';

const DEG = Math.PI / 180;
const GRAVITY_MPS2 = 9.80665;

/** Degraded operation, reported rather than hidden. Updated by every `next()`. */
export interface OrientationFlags {
  /** The sensor has been still for at least `restMinTimeS`; the gyro bias is being learned from rest. */
  restDetected: boolean;
  /** This sample's acceleration was not used (norm far from gravity, non-finite or zero). */
  accRejected: boolean;
  /** This sample's magnetometer reading was judged disturbed and not used for heading. */
  magRejected: boolean;
  /** Inclination is (re)converging: start-up or after a gap; the estimate is accelerometer-only and less smooth. */
  recovering: boolean;
}

/**
 * Orientation filter after VQF (Laidig & Seel 2023): strapdown gyro integration into an almost-inertial frame I,
 * a second-order low-pass of the acceleration expressed in I, an inclination correction that rotates that low-passed
 * acceleration onto the vertical, gyro-bias estimation (Kalman, at rest from the low-passed gyro, in motion from the
 * inclination corrections) and an optional magnetometer heading correction with disturbance rejection.
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

  // Gyro quaternion: sensor → I. Acc quaternion: I → E (inclination only, no heading).
  private gw = 1;
  private gx = 0;
  private gy = 0;
  private gz = 0;
  private aw = 1;
  private ax = 0;
  private ay = 0;
  private az = 0;
  private started = false;
  /** Accelerometer warm-up: time accumulated and running sum (in I) while the low-pass is not yet initialised. */
  private warmT = 0;
  private warmN = 0;
  private warmX = 0;
  private warmY = 0;
  private warmZ = 0;
  /** Last low-passed acceleration in I (held while a sample is rejected). */
  private lpX = 0;
  private lpY = 0;
  private lpZ = GRAVITY_MPS2;
  private restT = 0;
  private restInit = false;
  /** Magnitude of the last bias-corrected gyro rate, rad/s. */
  private rateRadPerS = 0;
  /** Bias covariance (symmetric, rad²/s²): p00 p01 p02 p11 p12 p22. */
  private readonly p = new Float64Array(6);
  private readonly p0: number;
  private readonly clip: number;
  // Per-dt constants, recomputed when dt changes by more than 0.1 %.
  private dtCached = -1;
  private biasV = 0;
  private biasMotionW = 0;
  private biasRestW = 0;
  private readonly cAcc = new Float64Array(5);
  private readonly cRest = new Float64Array(5);
  /** Low-pass states: acc in I (3 channels). */
  private readonly sAcc = new Float64Array(6);
  /** Rest detection: gyro (0..2) and acc (3..5). */
  private readonly sRest = new Float64Array(12);
  /** Motion bias: rows x, y of R (0..5) and (R·b)x,y (6, 7). */
  private readonly sMotion = new Float64Array(16);
  private motionInit = false;
  private readonly mag: MagHeading;

  constructor(settings: Partial<OrientationSettings> = {}) {
    this.settings = Object.freeze({ ...defaultOrientationSettings, ...settings });
    this.p0 = (this.settings.biasSigmaInitDegPerS * DEG) ** 2;
    this.clip = this.settings.biasClipDegPerS * DEG;
    this.mag = new MagHeading(this.settings);
    this.reset();
  }

  /**
   * Resets the state. With `qInit` ([w, x, y, z], sensor → earth) the filter starts from that orientation and the
   * accelerometer only refines it; without, the first accelerometer samples set inclination and heading starts at 0
   * (or at magnetic north once the magnetometer is trusted).
   */
  reset(qInit?: ArrayLike<number>): void {
    this.gw = 1;
    this.gx = 0;
    this.gy = 0;
    this.gz = 0;
    this.aw = 1;
    this.ax = 0;
    this.ay = 0;
    this.az = 0;
    if (qInit !== undefined && qInit.length >= 4) {
      const n = Math.hypot(qInit[0]!, qInit[1]!, qInit[2]!, qInit[3]!);
      if (n > 0 && Number.isFinite(n)) {
        this.gw = qInit[0]! / n;
        this.gx = qInit[1]! / n;
        this.gy = qInit[2]! / n;
        this.gz = qInit[3]! / n;
      }
    }
    this.started = qInit !== undefined;
    this.startWarmup();
    this.restT = 0;
    this.biasRadPerS.fill(0);
    this.p.fill(0);
    this.p[0] = this.p0;
    this.p[3] = this.p0;
    this.p[5] = this.p0;
    this.dtCached = -1;
    this.restInit = false;
    this.rateRadPerS = 0;
    this.sMotion.fill(0);
    this.motionInit = false;
    this.mag.reset();
    this.flags.restDetected = false;
    this.flags.accRejected = false;
    this.flags.magRejected = false;
    this.flags.recovering = true;
    this.writeOutput();
  }

  private startWarmup(): void {
    this.warmT = 0;
    this.warmN = 0;
    this.warmX = 0;
    this.warmY = 0;
    this.warmZ = 0;
    this.sAcc.fill(0);
    this.flags.recovering = true;
  }

  private setDt(dtS: number): void {
    const s = this.settings;
    this.dtCached = dtS;
    setLowpassCoefficients(s.tauAccS, dtS, this.cAcc);
    setLowpassCoefficients(s.restFilterTauS, dtS, this.cRest);
    // Process noise per step: the variance grows by (0.1 °/s)² per forgetting time. Measurement noise per step is chosen
    // so that the steady-state std under continuous updates is the configured sigma: P∞ ≈ √(V·W) = σ² ⇒ W = σ⁴ / V.
    this.biasV = ((0.1 * DEG) ** 2 * dtS) / s.biasForgettingTimeS;
    this.biasMotionW = (s.biasSigmaMotionDegPerS * DEG) ** 4 / this.biasV + this.biasV;
    this.biasRestW = (s.biasSigmaRestDegPerS * DEG) ** 4 / this.biasV + this.biasV;
    this.mag.setDt(dtS);
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
    const s = this.settings;
    const flags = this.flags;
    const accNorm2 = axMps2 * axMps2 + ayMps2 * ayMps2 + azMps2 * azMps2;
    const accValid = accNorm2 > 0 && accNorm2 < Number.POSITIVE_INFINITY;
    const accRejected = !accValid || Math.abs(Math.sqrt(accNorm2) - GRAVITY_MPS2) > s.accRejectionMps2;
    flags.accRejected = accRejected;
    if (!this.started) {
      // The first sample only places the filter: inclination from the accelerometer, nothing to integrate yet.
      if (!accValid) return this.q;
      this.started = true;
      this.accUpdate(0, axMps2, ayMps2, azMps2, false);
      return this.magAndOutput(0, mxUt, myUt, mzUt);
    }
    if (!(dtS > 0) || dtS === Number.POSITIVE_INFINITY) return this.q;
    if (dtS > s.maxDtS) {
      // Gap: the rotation during it is unknown. Restart inclination from the accelerometer; keep bias and heading.
      this.startWarmup();
      this.restT = 0;
      this.restInit = false;
      this.motionInit = false;
      flags.restDetected = false;
      if (accValid) this.accUpdate(0, axMps2, ayMps2, azMps2, false);
      return this.magAndOutput(0, mxUt, myUt, mzUt);
    }
    if (Math.abs(dtS - this.dtCached) > 1e-3 * this.dtCached) this.setDt(dtS);
    const gyrValid = Number.isFinite(gxRadPerS + gyRadPerS + gzRadPerS);
    if (gyrValid) {
      if (accValid) this.restDetect(dtS, gxRadPerS, gyRadPerS, gzRadPerS, axMps2, ayMps2, azMps2);
      this.integrateGyro(dtS, gxRadPerS, gyRadPerS, gzRadPerS);
    }
    if (accValid) this.accUpdate(dtS, axMps2, ayMps2, azMps2, accRejected);
    this.biasProcessNoise();
    return this.magAndOutput(dtS, mxUt, myUt, mzUt);
  }

  private restDetect(dtS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): void {
    const c = this.cRest;
    const st = this.sRest;
    if (!this.restInit) {
      this.restInit = true;
      lowpassSteady(gx, c, st, 0);
      lowpassSteady(gy, c, st, 1);
      lowpassSteady(gz, c, st, 2);
      lowpassSteady(ax, c, st, 3);
      lowpassSteady(ay, c, st, 4);
      lowpassSteady(az, c, st, 5);
    }
    const lgx = lowpassStep(gx, c, st, 0);
    const lgy = lowpassStep(gy, c, st, 1);
    const lgz = lowpassStep(gz, c, st, 2);
    const lax = lowpassStep(ax, c, st, 3);
    const lay = lowpassStep(ay, c, st, 4);
    const laz = lowpassStep(az, c, st, 5);
    const thG = this.settings.restThGyrDegPerS * DEG;
    const thA = this.settings.restThAccMps2;
    const devG = (gx - lgx) ** 2 + (gy - lgy) ** 2 + (gz - lgz) ** 2;
    const devA = (ax - lax) ** 2 + (ay - lay) ** 2 + (az - laz) ** 2;
    const rateG = lgx * lgx + lgy * lgy + lgz * lgz;
    if (devG >= thG * thG || rateG >= thG * thG || devA >= thA * thA) {
      this.restT = 0;
      this.flags.restDetected = false;
      return;
    }
    this.restT += dtS;
    if (this.restT < this.settings.restMinTimeS) return;
    this.flags.restDetected = true;
    if (!this.settings.restBiasEstEnabled) return;
    // At rest the low-passed gyro is a direct measurement of the bias: three scalar Kalman updates.
    this.kalmanUpdate(1, 0, 0, lgx, this.biasRestW, false);
    this.kalmanUpdate(0, 1, 0, lgy, this.biasRestW, false);
    this.kalmanUpdate(0, 0, 1, lgz, this.biasRestW, false);
  }

  private integrateGyro(dtS: number, gx: number, gy: number, gz: number): void {
    const b = this.biasRadPerS;
    const wx = gx - b[0]!;
    const wy = gy - b[1]!;
    const wz = gz - b[2]!;
    const rate2 = wx * wx + wy * wy + wz * wz;
    this.rateRadPerS = Math.sqrt(rate2);
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
    // q_g ← q_g ⊗ dq (rotation in the sensor frame).
    const w0 = this.gw;
    const x0 = this.gx;
    const y0 = this.gy;
    const z0 = this.gz;
    let w = w0 * c - x0 * dx - y0 * dy - z0 * dz;
    let x = w0 * dx + x0 * c + y0 * dz - z0 * dy;
    let y = w0 * dy - x0 * dz + y0 * c + z0 * dx;
    let z = w0 * dz + x0 * dy - y0 * dx + z0 * c;
    const n = 1 / Math.sqrt(w * w + x * x + y * y + z * z);
    w *= n;
    x *= n;
    y *= n;
    z *= n;
    this.gw = w;
    this.gx = x;
    this.gy = y;
    this.gz = z;
  }

  private accUpdate(dtS: number, axS: number, ayS: number, azS: number, rejected: boolean): void {
    // Acceleration in I: rotate by q_g (v' = v + w·t + u×t, t = 2·u×v).
    const w = this.gw;
    const ux = this.gx;
    const uy = this.gy;
    const uz = this.gz;
    let tx = 2 * (uy * azS - uz * ayS);
    let ty = 2 * (uz * axS - ux * azS);
    let tz = 2 * (ux * ayS - uy * axS);
    const ix = axS + w * tx + (uy * tz - uz * ty);
    const iy = ayS + w * ty + (uz * tx - ux * tz);
    const iz = azS + w * tz + (ux * ty - uy * tx);
    let lx: number;
    let ly: number;
    let lz: number;
    const warming = this.warmT < this.settings.tauAccS;
    if (rejected) {
      lx = this.lpX;
      ly = this.lpY;
      lz = this.lpZ;
    } else if (warming) {
      // Warm-up: the running mean stands in for the low-pass until it has a full time constant of data.
      this.warmT += dtS;
      this.warmN += 1;
      this.warmX += ix;
      this.warmY += iy;
      this.warmZ += iz;
      lx = this.warmX / this.warmN;
      ly = this.warmY / this.warmN;
      lz = this.warmZ / this.warmN;
      if (this.warmT >= this.settings.tauAccS && this.dtCached > 0) {
        lowpassSteady(lx, this.cAcc, this.sAcc, 0);
        lowpassSteady(ly, this.cAcc, this.sAcc, 1);
        lowpassSteady(lz, this.cAcc, this.sAcc, 2);
        this.flags.recovering = false;
      }
    } else {
      lx = lowpassStep(ix, this.cAcc, this.sAcc, 0);
      ly = lowpassStep(iy, this.cAcc, this.sAcc, 1);
      lz = lowpassStep(iz, this.cAcc, this.sAcc, 2);
    }
    this.lpX = lx;
    this.lpY = ly;
    this.lpZ = lz;
    // Into E with q_a, normalised.
    const aw = this.aw;
    const vx = this.ax;
    const vy = this.ay;
    const vz = this.az;
    tx = 2 * (vy * lz - vz * ly);
    ty = 2 * (vz * lx - vx * lz);
    tz = 2 * (vx * ly - vy * lx);
    let ex = lx + aw * tx + (vy * tz - vz * ty);
    let ey = ly + aw * ty + (vz * tx - vx * tz);
    let ez = lz + aw * tz + (vx * ty - vy * tx);
    const en = 1 / Math.sqrt(ex * ex + ey * ey + ez * ez);
    ex *= en;
    ey *= en;
    ez *= en;
    // Correction: the shortest rotation taking (ex, ey, ez) onto +z, applied on the earth side of q_a.
    let cw: number;
    let cx: number;
    let cy: number;
    const qw = Math.sqrt((ez + 1) * 0.5);
    if (qw > 1e-6) {
      cw = qw;
      cx = (0.5 * ey) / qw;
      cy = (-0.5 * ex) / qw;
    } else {
      cw = 0;
      cx = 1;
      cy = 0;
    }
    let nw = cw * aw - cx * vx - cy * vy;
    let nx = cw * vx + cx * aw - cy * vz;
    let ny = cw * vy + cx * vz + cy * aw;
    let nz = cw * vz + cx * vy - cy * vx;
    const nn = 1 / Math.sqrt(nw * nw + nx * nx + ny * ny + nz * nz);
    nw *= nn;
    nx *= nn;
    ny *= nn;
    nz *= nn;
    this.aw = nw;
    this.ax = nx;
    this.ay = ny;
    this.az = nz;
    if (dtS > 0 && !warming && !this.flags.restDetected && this.settings.motionBiasEstEnabled) {
      this.motionBias(dtS, ex, ey);
    }
  }

  /**
   * In motion, the inclination correction per step, divided by dt, measures the horizontal earth-frame components of
   * the bias error. The rotation matrix and R·b are low-passed with the accelerometer's filter so that both sides of
   * the measurement carry the same delay: LP(R)·b ≈ LP(R·b̂) − correction/dt.
   */
  private motionBias(dtS: number, ex: number, ey: number): void {
    // R = rows x, y of the rotation matrix of q_a ⊗ q_g.
    const a0 = this.aw;
    const a1 = this.ax;
    const a2 = this.ay;
    const a3 = this.az;
    const g0 = this.gw;
    const g1 = this.gx;
    const g2 = this.gy;
    const g3 = this.gz;
    const w = a0 * g0 - a1 * g1 - a2 * g2 - a3 * g3;
    const x = a0 * g1 + a1 * g0 + a2 * g3 - a3 * g2;
    const y = a0 * g2 - a1 * g3 + a2 * g0 + a3 * g1;
    const z = a0 * g3 + a1 * g2 - a2 * g1 + a3 * g0;
    const r00 = 1 - 2 * (y * y + z * z);
    const r01 = 2 * (x * y - w * z);
    const r02 = 2 * (x * z + w * y);
    const r10 = 2 * (x * y + w * z);
    const r11 = 1 - 2 * (x * x + z * z);
    const r12 = 2 * (y * z - w * x);
    const b = this.biasRadPerS;
    const b0 = b[0]!;
    const b1 = b[1]!;
    const b2 = b[2]!;
    const rbx = r00 * b0 + r01 * b1 + r02 * b2;
    const rby = r10 * b0 + r11 * b1 + r12 * b2;
    const c = this.cAcc;
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
    // Correction rotation vector ≈ (ey, −ex, 0) per step.
    this.kalmanUpdate(l00, l01, l02, lbx - ey / dtS, this.biasMotionW, true);
    this.kalmanUpdate(l10, l11, l12, lby + ex / dtS, this.biasMotionW, true);
  }

  /** Scalar Kalman update of the bias with measurement z = h·b + noise(variance wVar). */
  private kalmanUpdate(h0: number, h1: number, h2: number, z: number, wVar: number, clipInnovation: boolean): void {
    const p = this.p;
    const b = this.biasRadPerS;
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
  private biasProcessNoise(): void {
    const p = this.p;
    const p0 = this.p0;
    p[0] = p[0]! + this.biasV;
    p[3] = p[3]! + this.biasV;
    p[5] = p[5]! + this.biasV;
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

  private magAndOutput(dtS: number, mx?: number, my?: number, mz?: number): Float64Array {
    this.flags.magRejected = false;
    if (mx !== undefined && my !== undefined && mz !== undefined && this.settings.magEnabled) {
      this.sixAxis();
      const q = this.q;
      this.flags.magRejected = !this.mag.update(dtS, q[0]!, q[1]!, q[2]!, q[3]!, mx, my, mz, this.rateRadPerS);
    }
    this.writeOutput();
    return this.q;
  }

  /** q ← q_a ⊗ q_g. */
  private sixAxis(): void {
    const a0 = this.aw;
    const a1 = this.ax;
    const a2 = this.ay;
    const a3 = this.az;
    const g0 = this.gw;
    const g1 = this.gx;
    const g2 = this.gy;
    const g3 = this.gz;
    const q = this.q;
    q[0] = a0 * g0 - a1 * g1 - a2 * g2 - a3 * g3;
    q[1] = a0 * g1 + a1 * g0 + a2 * g3 - a3 * g2;
    q[2] = a0 * g2 - a1 * g3 + a2 * g0 + a3 * g1;
    q[3] = a0 * g3 + a1 * g2 - a2 * g1 + a3 * g0;
  }

  /** q ← q_δ ⊗ q_a ⊗ q_g, with q_δ the heading correction about earth z. */
  private writeOutput(): void {
    this.sixAxis();
    const dc = this.mag.cosHalf;
    const ds = this.mag.sinHalf;
    if (ds === 0) return;
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
