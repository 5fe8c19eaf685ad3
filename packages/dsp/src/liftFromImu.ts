/**
 * How far a rep lifted the sensor, from the sensor alone (docs/dsp.md §2). The vertical acceleration the attitude
 * filter gives carries the accelerometer's offset, and that offset turns with the sensor: a high-noise part's
 * 1.7 m/s² read +0.8 m/s² at rest and −0.5 m/s² held at the top, so the lift read 2–4× too high, and most on the reps
 * that turn furthest (arched ones), which inverted what the after-set review asks of it. Here:
 *
 * - orientation is the rates integrated from the rest pose (seconds of gyro: no accelerometer correction in it);
 * - the offset `b` is fitted over every rep's two still poses. At rest the sensor reads f₀ = g + b; held at the top,
 *   turned by R (from the rates), it reads f_top with R·f_top = g + R·b, so R·f_top − f₀ = (R − I)·b. That fixes b
 *   across the turn's axis; the part along the axis never changes how gravity is read, so it is left at 0;
 * - the lift is the vertical acceleration (R(t)·(f(t) − b))·ĝ − |g| integrated twice from the rest to the rep's peak,
 *   where the pelvis is still again (zero velocity at both ends, a constant residual removed).
 */

import { eigs } from 'mathjs';

/** The fewest samples taken as the rest pose when the rep follows the last one at once. */
const MIN_REST_SAMPLES = 5;
/**
 * A sample turning faster than this is no rest, rad/s (6 °/s): the rest before a rep that follows a full one at once
 * can hold the last of its lowering, still turning at 10–30 °/s after the rep detector's edge.
 */
export const REST_RATE_RAD_PER_S = 0.1;
/** The middle half of a hold shorter than this is no still pose to read the offset from, s. */
const MIN_HOLD_S = 0.3;
/**
 * The rest pose ends this long before the rep's start (the rise's onset, reps.ts findLiftRest): the rise is gathering
 * speed by then, s.
 */
export const REST_GAP_S = 0.2;
/** A pose whose specific force spreads more than this (1σ, any axis) moved: no still pose, m/s². */
const STILL_SPREAD_MPS2 = 0.3;
/**
 * The offset fit leaves out directions its normal matrix sees less than this fraction of the best-seen one: the
 * part along the reps' common turn axis, which no rep shows, and which left free tilted "up" by up to 15° (a 2.6 m/s²
 * swing from two reps' noise).
 */
const EIGEN_FLOOR = 0.1;
/** Below this turn between the two poses, (R − I) is too small to solve for the offset, rad (5°). */
const MIN_TURN_RAD = (5 * Math.PI) / 180;
/**
 * The largest accelerometer offset taken as possible, m/s² (0.3 g: the calibrator's gravity tolerance). An offset b
 * changes the turned reading by (R − I)·b, at most 2·sin(turn/2)·|b|: a pose pair whose d is larger did not hold
 * still or its turn was misread (6° of turn misread is 1 m/s² of gravity), and one such pair among a set's reps
 * pulled the fit by 0.6 m/s² and every later lift 20–40 % low (seed 1's c046, d of 1.0 m/s² on 14° reps).
 */
const MAX_OFFSET_MPS2 = 3;

/** The rep's two still poses as liftFromImu reads them (see OffsetFit). */
export interface StillPoses {
  /** Mean specific force at rest (m/s², sensor frame at rest). */
  rest: [number, number, number];
  /** (R − I) for the turn from rest to the middle of the hold, row-major; undefined without a usable hold. */
  turnMinusI?: number[];
  /** R·f_top − f_rest (m/s²). */
  d?: [number, number, number];
}

/**
 * Accelerometer offset from many reps' still poses: least squares over Σ (R − I)ᵀ(R − I) b = Σ (R − I)ᵀ d, the part
 * along the turns' axis (which no rep sees) left at 0. One offset per sensor: every rep of the session adds to it.
 */
export class OffsetFit {
  private readonly a = new Float64Array(9);
  private readonly c = new Float64Array(3);
  private n = 0;

  add(p: StillPoses): void {
    const m = p.turnMinusI;
    const d = p.d;
    if (!m || !d) return;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let x = 0;
        for (let k = 0; k < 3; k++) x += m[3 * k + i]! * m[3 * k + j]!;
        this.a[3 * i + j]! += x;
      }
      let y = 0;
      for (let k = 0; k < 3; k++) y += m[3 * k + i]! * d[k]!;
      this.c[i]! += y;
    }
    this.n++;
  }

  /**
   * The offset so far (m/s², sensor frame), into `out`; 0 before any rep with a hold. Least squares on the directions
   * the turns see: eigen-directions of the normal matrix under EIGEN_FLOOR of the largest (the reps' common turn
   * axis) are left at 0 — a ridge instead shrank a 1.7 m/s² offset to 1.3 and left arched reps reading high.
   */
  offset(out: number[]): void {
    out[0] = out[1] = out[2] = 0;
    if (this.n === 0) return;
    const a = Array.from({ length: 3 }, (_, i) => Array.from(this.a.subarray(3 * i, 3 * i + 3)));
    const pairs = eigs(a).eigenvectors.map((e) => ({
      value: Number(e.value),
      v: (e.vector as unknown as number[]).map(Number),
    }));
    const max = Math.max(...pairs.map((p) => p.value));
    for (const p of pairs) {
      if (!(p.value > EIGEN_FLOOR * max)) continue;
      const along = (p.v[0]! * this.c[0]! + p.v[1]! * this.c[1]! + p.v[2]! * this.c[2]!) / p.value;
      for (let i = 0; i < 3; i++) out[i]! += along * p.v[i]!;
    }
  }

  reset(): void {
    this.a.fill(0);
    this.c.fill(0);
    this.n = 0;
  }
}

/**
 * `t` and `imu` are rings of `cap` samples (imu: 6 per sample, bias-removed rates in rad/s, then specific force in
 * m/s², sensor frame); a rep's window is `count` samples from ring index `first`, from the rest before it to its
 * peak. The still poses: the rest up to REST_GAP_S before `startS` (before the rise gathers speed), and the middle
 * half of the hold `topS`..`topEndS`. Undefined without rest samples.
 */
export function stillPoses(
  t: Float64Array,
  imu: Float64Array,
  cap: number,
  first: number,
  count: number,
  startS: number,
  topS: number,
  topEndS: number,
): StillPoses | undefined {
  const q = [1, 0, 0, 0];
  const v = [0, 0, 0];
  const rest: [number, number, number] = [0, 0, 0];
  const top = [0, 0, 0];
  /** Sums of squares, for the spread of each pose (a pose that moved is no still pose). */
  const rest2 = [0, 0, 0];
  const top2 = [0, 0, 0];
  const qTop = [1, 0, 0, 0];
  let restN = 0;
  let topN = 0;
  // Reps back to back leave little rest between them (the window starts where the last rep ended): then the rest is
  // what there is before the start, or at least the window's first samples.
  let restEnd = startS - REST_GAP_S;
  if (!(t[first]! < restEnd)) restEnd = startS;
  if (!(t[first]! < restEnd)) restEnd = t[(first + Math.min(count - 1, MIN_REST_SAMPLES)) % cap]!;
  const quarter = 0.25 * (topEndS - topS);
  const topFrom = topS + quarter;
  const topTo = topEndS - quarter;
  const midS = (topS + topEndS) / 2;
  let midGap = Number.POSITIVE_INFINITY;
  let prevT = Number.NaN;
  for (let k = 0; k < count; k++) {
    const i = (first + k) % cap;
    const ti = t[i]!;
    const o = 6 * i;
    if (!Number.isNaN(prevT)) integrate(q, imu[o]!, imu[o + 1]!, imu[o + 2]!, ti - prevT);
    prevT = ti;
    rotate(q, imu[o + 3]!, imu[o + 4]!, imu[o + 5]!, v);
    if (ti < restEnd) {
      accumulate(rest, rest2, v);
      restN++;
    } else if (ti >= topFrom && ti <= topTo) {
      accumulate(top, top2, v);
      topN++;
      if (Math.abs(ti - midS) < midGap) {
        midGap = Math.abs(ti - midS);
        for (let j = 0; j < 4; j++) qTop[j] = q[j]!;
      }
    }
  }
  if (restN === 0) return undefined;
  for (let k = 0; k < 3; k++) rest[k]! /= restN;
  const turn = 2 * Math.acos(Math.min(1, Math.abs(qTop[0]!)));
  if (topN === 0 || topTo - topFrom < MIN_HOLD_S || turn < MIN_TURN_RAD) return { rest };
  for (let k = 0; k < 3; k++) top[k]! /= topN;
  if (spread(rest2, rest, restN) > STILL_SPREAD_MPS2 || spread(top2, top, topN) > STILL_SPREAD_MPS2) return { rest };
  const d: [number, number, number] = [top[0]! - rest[0], top[1]! - rest[1], top[2]! - rest[2]];
  if (Math.hypot(d[0], d[1], d[2]) > MAX_OFFSET_MPS2 * 2 * Math.sin(turn / 2)) return { rest };
  // R − I from the quaternion, row-major
  const [w, x, y, z] = qTop as [number, number, number, number];
  const turnMinusI = [
    -2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    -2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    -2 * (x * x + y * y),
  ];
  return { rest, turnMinusI, d };
}

/**
 * The lift (m, ≥ 0) over a rep's window (as stillPoses) with the accelerometer offset `b` (m/s², sensor frame): the
 * vertical acceleration (R(t)·(f(t) − b))·ĝ − |g|, ĝ and |g| from the rest's f − b, integrated twice from the rest
 * to the peak with zero velocity at both ends (a constant residual removed). NaN if gravity cannot be read.
 */
export function liftFromImu(
  t: Float64Array,
  imu: Float64Array,
  cap: number,
  first: number,
  count: number,
  rest: readonly number[],
  b: readonly number[],
): number {
  const g = [rest[0]! - b[0]!, rest[1]! - b[1]!, rest[2]! - b[2]!];
  const gNorm = Math.hypot(g[0]!, g[1]!, g[2]!);
  if (!(gNorm > 0)) return Number.NaN;
  const up = [g[0]! / gNorm, g[1]! / gNorm, g[2]! / gNorm];
  const q = [1, 0, 0, 0];
  const v = [0, 0, 0];
  const vertical = (i: number): number => {
    const o = 6 * i;
    rotate(q, imu[o + 3]! - b[0]!, imu[o + 4]! - b[1]!, imu[o + 5]! - b[2]!, v);
    return v[0]! * up[0]! + v[1]! * up[1]! + v[2]! * up[2]! - gNorm;
  };
  // two passes: the velocity left at the peak gives the constant residual, then position with it removed
  let residual = 0;
  let best = 0;
  for (let pass = 0; pass < 2; pass++) {
    q[0] = 1;
    q[1] = q[2] = q[3] = 0;
    let vel = 0;
    let pos = 0;
    let prevT = Number.NaN;
    for (let k = 0; k < count; k++) {
      const i = (first + k) % cap;
      const ti = t[i]!;
      if (!Number.isNaN(prevT)) {
        const dt = ti - prevT;
        integrate(q, imu[6 * i]!, imu[6 * i + 1]!, imu[6 * i + 2]!, dt);
        vel += (vertical(i) - residual) * dt;
        pos += vel * dt;
        if (pos > best) best = pos;
      }
      prevT = ti;
    }
    if (pass === 0) {
      const span = t[(first + count - 1) % cap]! - t[first]!;
      residual = span > 0 ? vel / span : 0;
      best = 0;
    }
  }
  return best;
}

/** sum += v and sum2 += v², per axis. */
function accumulate(sum: number[], sum2: number[], v: readonly number[]): void {
  for (let k = 0; k < 3; k++) {
    sum[k]! += v[k]!;
    sum2[k]! += v[k]! ** 2;
  }
}

/** The largest per-axis standard deviation of `n` samples with these sums of squares and this mean. */
function spread(sum2: readonly number[], mean: readonly number[], n: number): number {
  let worst = 0;
  for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.sqrt(Math.max(0, sum2[k]! / n - mean[k]! * mean[k]!)));
  return worst;
}

/** q ← q ⊗ exp(ω dt / 2): a body-frame turn, normalised. */
function integrate(q: number[], wx: number, wy: number, wz: number, dt: number): void {
  const hx = 0.5 * wx * dt;
  const hy = 0.5 * wy * dt;
  const hz = 0.5 * wz * dt;
  const a = q[0]!;
  const b = q[1]!;
  const c = q[2]!;
  const d = q[3]!;
  const w = a - b * hx - c * hy - d * hz;
  const x = b + a * hx + c * hz - d * hy;
  const y = c + a * hy - b * hz + d * hx;
  const z = d + a * hz + b * hy - c * hx;
  const inv = 1 / Math.sqrt(w * w + x * x + y * y + z * z);
  q[0] = w * inv;
  q[1] = x * inv;
  q[2] = y * inv;
  q[3] = z * inv;
}

/** out ← q · (x, y, z) · q*. */
function rotate(q: number[], x: number, y: number, z: number, out: number[]): void {
  const w = q[0]!;
  const qx = q[1]!;
  const qy = q[2]!;
  const qz = q[3]!;
  const tx = 2 * (qy * z - qz * y);
  const ty = 2 * (qz * x - qx * z);
  const tz = 2 * (qx * y - qy * x);
  out[0] = x + w * tx + (qy * tz - qz * ty);
  out[1] = y + w * ty + (qz * tx - qx * tz);
  out[2] = z + w * tz + (qx * ty - qy * tx);
}
