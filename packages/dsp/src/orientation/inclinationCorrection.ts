import { lowpassSteady, lowpassStep, setLowpassCoefficients } from './lowpass.ts';
import { renormFactor } from './renorm.ts';

const GRAVITY_MPS2 = 9.80665;
/** Relative change of the block length above which the low-pass coefficients are recomputed. */
const PERIOD_TOLERANCE = 1e-3;

/**
 * The accelerometer half of the filter (VQF steps 2–3), run once per block: the block's mean acceleration is taken
 * into the almost-inertial frame I, low-passed there by a second-order Butterworth (time constant `tauAccS`), and the
 * inclination correction q_a (I → earth) is rotated so that the low-passed acceleration points straight up.
 * During warm-up (start, or after a gap) the running mean stands in for the low-pass until `tauAccS` of data is in.
 * After `update()`, (cw, cx, cy, 0) is this block's correction quaternion (earth side) and (corrX, corrY) its rotation
 * vector about earth x, y in rad; the filter applies the same correction to its six-axis quaternion.
 */
export class InclinationCorrection {
  /** q_a, I → earth. */
  aw = 1;
  ax = 0;
  ay = 0;
  az = 0;
  cw = 1;
  cx = 0;
  cy = 0;
  corrX = 0;
  corrY = 0;
  warming = true;
  private warmT = 0;
  private warmN = 0;
  private warmX = 0;
  private warmY = 0;
  private warmZ = 0;
  /** Last low-passed acceleration in I, m/s² (held through blocks without accepted samples). */
  private lpX = 0;
  private lpY = 0;
  private lpZ = GRAVITY_MPS2;
  private tCached = -1;
  private readonly c = new Float64Array(5);
  private readonly s = new Float64Array(6);

  constructor(private readonly tauAccS: number) {}

  reset(): void {
    this.aw = 1;
    this.ax = 0;
    this.ay = 0;
    this.az = 0;
    this.tCached = -1;
    this.startWarmup();
  }

  startWarmup(): void {
    this.warming = true;
    this.warmT = 0;
    this.warmN = 0;
    this.warmX = 0;
    this.warmY = 0;
    this.warmZ = 0;
  }

  /**
   * A block of length t (0 for a single starting sample) with n accepted samples of mean acceleration (ax, ay, az),
   * sensor frame, m/s²; (mw, mx, my, mz) is the six-axis orientation at the block's mean sample time.
   */
  update(
    t: number,
    ax: number,
    ay: number,
    az: number,
    n: number,
    mw: number,
    mx: number,
    my: number,
    mz: number,
  ): void {
    let lx = this.lpX;
    let ly = this.lpY;
    let lz = this.lpZ;
    const aw = this.aw;
    const vx = this.ax;
    const vy = this.ay;
    const vz = this.az;
    if (n > 0) {
      // Mean into the six-axis frame (rotate by m), then into I: rotate by q_a* (u = −q_a.xyz). Sums weight by n.
      const ux = 2 * (my * az - mz * ay);
      const uy = 2 * (mz * ax - mx * az);
      const uz = 2 * (mx * ay - my * ax);
      const px = n * (ax + mw * ux + (my * uz - mz * uy));
      const py = n * (ay + mw * uy + (mz * ux - mx * uz));
      const pz = n * (az + mw * uz + (mx * uy - my * ux));
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
        if (this.warmT >= this.tauAccS && t > 0) {
          this.setPeriod(t);
          lowpassSteady(lx, this.c, this.s, 0);
          lowpassSteady(ly, this.c, this.s, 1);
          lowpassSteady(lz, this.c, this.s, 2);
          this.warming = false;
        }
      } else {
        if (Math.abs(t - this.tCached) > PERIOD_TOLERANCE * this.tCached) this.setPeriod(t);
        const inv = 1 / n;
        lx = lowpassStep(sumX * inv, this.c, this.s, 0);
        ly = lowpassStep(sumY * inv, this.c, this.s, 1);
        lz = lowpassStep(sumZ * inv, this.c, this.s, 2);
      }
      this.lpX = lx;
      this.lpY = ly;
      this.lpZ = lz;
    }
    // Into the earth frame with q_a, normalised.
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
    // The shortest rotation taking (ex, ey, ez) onto +z: [√((1+ez)/2), ey/(2·w), −ex/(2·w), 0]; upside down: 180° about x.
    let cw = 0;
    let cx = 1;
    let cy = 0;
    const hw = Math.sqrt((ez + 1) * 0.5);
    if (hw > 1e-6) {
      cw = hw;
      cx = (0.5 * ey) / hw;
      cy = (-0.5 * ex) / hw;
    }
    this.cw = cw;
    this.cx = cx;
    this.cy = cy;
    this.corrX = ey;
    this.corrY = -ex;
    // q_a ← c ⊗ q_a.
    const nw = cw * aw - cx * vx - cy * vy;
    const nx = cw * vx + cx * aw + cy * vz;
    const ny = cw * vy - cx * vz + cy * aw;
    const nz = cw * vz + cx * vy - cy * vx;
    const nn = renormFactor(nw * nw + nx * nx + ny * ny + nz * nz);
    this.aw = nw * nn;
    this.ax = nx * nn;
    this.ay = ny * nn;
    this.az = nz * nn;
  }

  private setPeriod(t: number): void {
    this.tCached = t;
    setLowpassCoefficients(this.tauAccS, t, this.c);
  }
}
