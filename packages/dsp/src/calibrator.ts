import { principalAxis, triadMounting } from './mounting.ts';
import type { ExerciseGeometry } from './poses.ts';
import type { Quat, Vec3 } from './quat.ts';
import { angleBetweenDeg, cross, dot, normalize, quatConjugate, quatFromAxisAngle, quatRotate } from './quat.ts';
import type { CalibrationFailure, CalibrationResult } from './types.ts';

/**
 * Calibration without a therapist, in two stages.
 * 1. Hold: the patient keeps still in the start position for `holdS`. Gravity in the sensor frame and the gyro bias
 *    come from the means over the hold. Moving after at least `movedAfterS` of stillness fails with `moved`.
 *    Optional mounting prior (which sensor axis points out of the body) catches a sensor worn upside down.
 * 2. Axis: the first movement's principal rotation axis (eigenvector of Σωωᵀ) is the exercise's movement axis in
 *    sensor coordinates; with gravity it fixes the sensor → pelvis rotation by TRIAD, so any mounting works. Its sign
 *    is chosen so the first excursion is positive (every rep starts by moving away from the start pose).
 */
export interface CalibrationSettings {
  holdS: number;
  movedAfterS: number;
  /** |mean acc| must be within this of 9.81 m/s². */
  gravityToleranceMps2: number;
  /** Movement path (∫|ω|dt, degrees) to collect before fitting the axis; the fit runs at the next stillness. */
  axisPathDeg: number;
  /** Fit anyway once the path reaches this, degrees. */
  axisPathMaxDeg: number;
  /** Below this eigenvalue ratio the axis is ambiguous and calibration fails with `no_movement_axis`. */
  minEigenRatio: number;
  /**
   * The sensor axis that points out of the body (posterior, −y of the pelvis) when worn as intended, or null for
   * "any mounting" (no upside-down check). In supine exercises it must point roughly down.
   */
  outwardAxisS: Vec3 | null;
  /**
   * Where the exercise's fault turns the pelvis one way only (side plank): turn the fitted movement axis this much
   * further away from the fault side about "up", degrees. 0 live; set by the offline analysis when the reps after the
   * fit show the frame absorbed roll (analyze.ts).
   */
  faultSideCorrectionDeg: number;
}

export const defaultCalibrationSettings: CalibrationSettings = {
  holdS: 2,
  movedAfterS: 1,
  gravityToleranceMps2: 3,
  axisPathDeg: 20,
  axisPathMaxDeg: 120,
  minEigenRatio: 2,
  outwardAxisS: null,
  faultSideCorrectionDeg: 0,
};

export const calibrationMessages: Record<CalibrationFailure['reason'], string> = {
  moved: 'You moved during calibration. Hold still in the start position for 2–3 seconds.',
  flipped: 'The sensor seems to be upside down. Turn it so the logo faces away from your body.',
  wrong_pose: 'This does not look like the start position for this exercise. Check your position and try again.',
  no_gravity: 'The sensor reading is not plausible. Check that the sensor is attached and working.',
  no_movement_axis: 'Could not tell the movement direction. Do one slow, full rep after the hold.',
};

export interface HoldResult {
  upS: Vec3;
  /** |mean acceleration| over the hold: gravity as this sensor reads it, m/s². */
  accNormMps2: number;
  biasRadPerS: Vec3;
  startS: number;
  endS: number;
}

/** Accumulates a still hold; call `next` on every sample until it returns a result or a failure. */
export function createHoldAccumulator(settings: CalibrationSettings) {
  let n = 0;
  let stillS = 0;
  let startS = Number.NaN;
  let ax = 0;
  let ay = 0;
  let az = 0;
  let gx = 0;
  let gy = 0;
  let gz = 0;
  let g2 = 0;
  let a2 = 0;
  function clear(): void {
    n = 0;
    stillS = 0;
    startS = Number.NaN;
    ax = ay = az = gx = gy = gz = g2 = a2 = 0;
  }
  return {
    get stillS() {
      return stillS;
    },
    clear,
    next(
      tS: number,
      dtS: number,
      still: boolean,
      wx: number,
      wy: number,
      wz: number,
      fx: number,
      fy: number,
      fz: number,
    ): HoldResult | CalibrationFailure | undefined {
      if (!still) {
        if (stillS >= settings.movedAfterS) {
          const gyroRms = Math.sqrt(Math.max(0, g2 / n - (gx * gx + gy * gy + gz * gz) / (n * n)));
          const accStd = Math.sqrt(Math.max(0, a2 / n - (ax * ax + ay * ay + az * az) / (n * n)));
          clear();
          return { reason: 'moved', detail: { gyroRmsDegPerS: (gyroRms * 180) / Math.PI, accStdMps2: accStd } };
        }
        clear();
        return undefined;
      }
      if (n === 0) startS = tS;
      n++;
      stillS += dtS;
      ax += fx;
      ay += fy;
      az += fz;
      gx += wx;
      gy += wy;
      gz += wz;
      g2 += wx * wx + wy * wy + wz * wz;
      a2 += fx * fx + fy * fy + fz * fz;
      if (stillS < settings.holdS) return undefined;
      const mean: Vec3 = [ax / n, ay / n, az / n];
      const norm = Math.hypot(mean[0], mean[1], mean[2]);
      const bias: Vec3 = [gx / n, gy / n, gz / n];
      const s0 = startS;
      clear();
      if (Math.abs(norm - 9.80665) > settings.gravityToleranceMps2) {
        return { reason: 'no_gravity', detail: { accNormMps2: norm } };
      }
      return { upS: normalize(mean), accNormMps2: norm, biasRadPerS: bias, startS: s0, endS: tS };
    },
  };
}

/** Upside-down check from the mounting prior: only decidable where the body's posterior axis is near vertical. */
export function checkFlipped(hold: HoldResult, geometry: ExerciseGeometry, outwardAxisS: Vec3 | null) {
  if (!outwardAxisS) return undefined;
  // Expected angle between outward (−y_P) and up, from the exercise's start pose.
  const expected = angleBetweenDeg([0, -1, 0], geometry.upP);
  if (Math.abs(expected - 90) < 45) return undefined;
  const measured = angleBetweenDeg(outwardAxisS, hold.upS);
  const err = Math.abs(measured - expected);
  if (err > 120) return { reason: 'flipped', detail: { angleDeg: err } } satisfies CalibrationFailure;
  return undefined;
}

/**
 * Fit the mounting from the first movement. `gyr` holds bias-removed rates (x,y,z interleaved), `dt` the sample
 * intervals. Returns the result or a typed failure.
 */
export function fitMounting(
  hold: HoldResult,
  geometry: ExerciseGeometry,
  gyr: Float64Array,
  dt: Float64Array,
  n: number,
  settings: CalibrationSettings,
): CalibrationResult | CalibrationFailure {
  const m = movementAxis(gyr, dt, n, hold.upS, Math.sin((geometry.toleranceDeg * Math.PI) / 180));
  if (!m || m.eigenRatio < settings.minEigenRatio) {
    return { reason: 'no_movement_axis', detail: { eigenRatio: m?.eigenRatio ?? 0 } };
  }
  const axisS = !geometry.oneWayFaultAxisP
    ? m.axisS
    : geometry.posture === 'supine'
      ? cleanEdgeAxis(gyr, dt, n, hold.upS, m.axisS, geometry)
      : leastFaultedAxis(gyr, dt, n, hold.upS, m.axisS, geometry, settings.faultSideCorrectionDeg);
  const qPS = triadMounting(axisS, hold.upS, geometry.axisP, geometry.upP);
  if (!qPS) return { reason: 'wrong_pose', detail: { angleDeg: 90, toleranceDeg: geometry.toleranceDeg } };
  const upP = quatRotate(qPS, hold.upS);
  const poseErrorDeg = angleBetweenDeg(upP, geometry.upP);
  if (poseErrorDeg > geometry.toleranceDeg) {
    return { reason: 'wrong_pose', detail: { angleDeg: poseErrorDeg, toleranceDeg: geometry.toleranceDeg } };
  }
  return {
    upS: hold.upS,
    gyroBiasRadPerS: hold.biasRadPerS,
    qPS,
    poseErrorDeg,
    axisSource: 'movement',
    eigenRatio: m.eigenRatio,
    holdStartS: hold.startS,
    holdEndS: hold.endS,
  };
}

/**
 * The axis a repeated movement turns about, from bias-removed rates (x,y,z interleaved, any frame) and the sample
 * intervals: the dominant instantaneous axis (modeAxis), else the cleanest burst's, else the principal axis; signed so
 * that the movement's larger excursion is positive (every rep starts by leaving the start pose).
 */
export function movementAxis(
  gyr: Float64Array,
  dt: Float64Array,
  n: number,
  upS?: Vec3,
  maxUpCos = 1,
): { axisS: Vec3; eigenRatio: number } | undefined {
  const pa = modeAxis(gyr, n, upS, maxUpCos) ?? bestSegmentAxis(gyr, dt, n) ?? principalAxis(gyr, n);
  if (!pa) return undefined;
  let theta = 0;
  let max = 0;
  let min = 0;
  const [ex, ey, ez] = pa.axisS;
  for (let i = 0; i < n; i++) {
    theta += (gyr[3 * i]! * ex + gyr[3 * i + 1]! * ey + gyr[3 * i + 2]! * ez) * dt[i]!;
    if (theta > max) max = theta;
    if (theta < min) min = theta;
  }
  return { axisS: -min > max ? [-ex, -ey, -ez] : [ex, ey, ez], eigenRatio: pa.eigenRatio };
}

/**
 * Principal axis of the cleanest single movement in the buffer: the buffer is cut into bursts of motion and the burst
 * axis most like the others wins (see below).
 */
function bestSegmentAxis(gyr: Float64Array, dt: Float64Array, n: number) {
  const axes = burstAxes(gyr, dt, n);
  if (axes.length < 2) return undefined;
  // Medoid: the burst axis closest to all the others (sign-free). Most reps are clean, and a faulty rep turns about
  // a blend of axes that differs from rep to rep, so the medoid is a clean rep's axis.
  let best = axes[0]!;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const a of axes) {
    let cost = 0;
    for (const b of axes) cost += Math.acos(Math.min(1, Math.abs(dot(a.axisS, b.axisS))));
    if (cost < bestCost || (cost === bestCost && a.eigenRatio > best.eigenRatio)) {
      bestCost = cost;
      best = a;
    }
  }
  return best;
}

/**
 * The buffer cut into bursts of motion (rate above 15 % of its peak, ended by 0.3 s below it), and each burst's
 * principal axis (sign arbitrary); bursts too short or too slow to have a clear axis are left out.
 */
function burstAxes(gyr: Float64Array, dt: Float64Array, n: number) {
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.hypot(gyr[3 * i]!, gyr[3 * i + 1]!, gyr[3 * i + 2]!));
  if (peak <= 0) return [];
  const level = 0.15 * peak;
  const segments: [number, number][] = [];
  let start = -1;
  let quietS = 0;
  for (let i = 0; i < n; i++) {
    const moving = Math.hypot(gyr[3 * i]!, gyr[3 * i + 1]!, gyr[3 * i + 2]!) > level;
    if (moving) {
      if (start < 0) start = i;
      quietS = 0;
    } else if (start >= 0) {
      quietS += dt[i]!;
      if (quietS > 0.3) {
        segments.push([start, i]);
        start = -1;
      }
    }
  }
  if (start >= 0) segments.push([start, n]);
  const axes: Array<NonNullable<ReturnType<typeof principalAxis>> & { turnDeg: number; from: number; to: number }> = [];
  for (const [a, b] of segments) {
    if (b - a < 10) continue;
    const pa = principalAxis(gyr.subarray(3 * a, 3 * b), b - a);
    if (!pa || pa.rmsRadPerS <= 0.3 * level) continue;
    let turn = 0;
    for (let i = a; i < b; i++) {
      turn +=
        Math.abs(gyr[3 * i]! * pa.axisS[0] + gyr[3 * i + 1]! * pa.axisS[1] + gyr[3 * i + 2]! * pa.axisS[2]) * dt[i]!;
    }
    axes.push({ ...pa, turnDeg: (turn * 180) / Math.PI, from: a, to: b });
  }
  return axes;
}

/**
 * The horizontal frame a one-way fault is judged in (leastFaultedAxis, cleanEdgeAxis): "up" `u`, the movement axis's
 * horizontal part `ah`, the horizontal axis across it `rh`, and `turn`, the sign that makes a bearing from `ah`
 * toward `rh` positive on the fault side. Which way round "up → movement axis → fault axis" goes is fixed by the
 * pose, in the pelvis frame and so in any.
 */
function faultSideFrame(upS: Vec3, axisS: Vec3, geometry: ExerciseGeometry) {
  const u = normalize(upS);
  const turn = Math.sign(dot(cross(geometry.upP, geometry.axisP), geometry.oneWayFaultAxisP!));
  const a0 = dot(axisS, u);
  const ah = normalize([axisS[0] - a0 * u[0], axisS[1] - a0 * u[1], axisS[2] - a0 * u[2]]);
  return { u, ah, rh: cross(u, ah), turn };
}

/** The bursts that can be rep halves: turning at least MIN_TURN_FRACTION of the biggest (not fidgets or fragments). */
function repBursts(gyr: Float64Array, dt: Float64Array, n: number) {
  const bursts = burstAxes(gyr, dt, n);
  let maxTurnDeg = 0;
  for (const b of bursts) maxTurnDeg = Math.max(maxTurnDeg, b.turnDeg);
  return bursts.filter((b) => b.turnDeg >= MIN_TURN_FRACTION * maxTurnDeg);
}

/**
 * When the exercise's typical fault turns the pelvis one way only about a second horizontal axis (the side plank's
 * roll back, `oneWayFaultAxisP`), a faulty rep turns about a blend of the movement axis and that axis, always on the
 * same side of the movement axis. If most of the first reps carry the fault, the densest axis is such a blend (35–54°
 * off in 4 corpus sets), and the rolls it absorbs go unseen. The rep turning least toward the fault is the best
 * estimate of a clean rep, so the axis is turned about "up" to the burst axis lying furthest from the fault side.
 * A burst turning less than MIN_TURN_FRACTION of the biggest (a fidget, or a rep cut off by the end of the buffer),
 * more about "up" than a quarter of its rate, or more than MAX_TURN_TO_CLEAN_DEG off the axis, is not a rep half and is
 * ignored. A rolled rep's axis lies between the lift and roll axes, as far from the lift as atan(roll / lift): 68° for
 * a stiff person's 8° lift with a 20° roll-back. Such blends can win the vote, and the clean reps' axis is then that
 * far away. Rotating away from the fault side by the spread of clean reps (a few degrees) costs a clean rep a fraction
 * of a degree of apparent roll at a 20° lift.
 */
function leastFaultedAxis(
  gyr: Float64Array,
  dt: Float64Array,
  n: number,
  upS: Vec3,
  axisS: Vec3,
  geometry: ExerciseGeometry,
  correctionDeg: number,
): Vec3 {
  const { u, ah, rh, turn } = faultSideFrame(upS, axisS, geometry);
  let minPhi = 0;
  for (const b of repBursts(gyr, dt, n)) {
    const e = dot(b.axisS, ah) < 0 ? ([-b.axisS[0], -b.axisS[1], -b.axisS[2]] as Vec3) : b.axisS;
    if (Math.abs(dot(e, u)) > 0.25) continue;
    const phi = Math.atan2(turn * dot(e, rh), dot(e, ah));
    if (Math.abs(phi) > (MAX_TURN_TO_CLEAN_DEG * Math.PI) / 180) continue;
    if (phi < minPhi) minPhi = phi;
  }
  const phi = minPhi - (correctionDeg * Math.PI) / 180;
  if (phi === 0) return axisS;
  return quatRotate(quatFromAxisAngle(u, turn * phi), axisS);
}

/**
 * The movement axis from the clean edge of the reps' paths, for a fault that turns the pelvis one way only and starts
 * after the rep does (the single-leg bridge's and thrust's pelvic drop toward the unsupported side).
 *
 * A pelvis that drops on every rep turns faster in the drop than in a stiff person's lift, so the densest
 * instantaneous axis can be a blend of the two: 28–56° off in 5 of 1,679 simulated thrust and bridge sets, every
 * one of them a set whose first three reps all dropped. The drop's one-way nature fixes it. Each burst's rotation
 * (integrated from its start, turned round for a lowering so that it reads as a lift) is traced in the horizontal
 * plane: a clean lift lies on the true axis, a drop only ever moves the path toward the fault side. Seen from an axis
 * pulled toward the fault, the clean part of every rep lies beyond it, on the other side. So when at least one burst
 * lies clearly beyond (EDGE_BEYOND_FRACTION of its points more than EDGE_TOLERANCE_DEG past the axis) and another
 * burst's edge agrees within EDGE_SUPPORT_DEG, the axis is turned about "up" to that edge (a low quantile of the
 * points' bearings). One burst alone is a fidget or a shift, not evidence. Clean sets lie on the axis to within
 * their noise and fidgets and are left as they were.
 */
function cleanEdgeAxis(
  gyr: Float64Array,
  dt: Float64Array,
  n: number,
  upS: Vec3,
  axisS: Vec3,
  geometry: ExerciseGeometry,
): Vec3 {
  const { u, ah, rh, turn } = faultSideFrame(upS, axisS, geometry);
  const edges: { bearingDeg: number; beyond: boolean; along: number; up: number }[] = [];
  const deg = Math.PI / 180;
  for (const b of repBursts(gyr, dt, n)) {
    // The burst's path: its rotation from its start as a rotation vector, along the axis (x), toward the fault (y)
    // and about "up" (z).
    const m = b.to - b.from;
    const path = new Float64Array(3 * m);
    // q = (qw, qx, qy, qz): the burst's rotation so far, body rates composed on the right
    let qw = 1;
    let qx = 0;
    let qy = 0;
    let qz = 0;
    let alongSum = 0;
    let farthest = 0;
    for (let i = b.from, k = 0; i < b.to; i++, k++) {
      const wx = gyr[3 * i]!;
      const wy = gyr[3 * i + 1]!;
      const wz = gyr[3 * i + 2]!;
      const w = Math.sqrt(wx * wx + wy * wy + wz * wz);
      if (w > 0) {
        const h = (w * dt[i]!) / 2;
        const c = Math.cos(h);
        const sw = Math.sin(h) / w;
        const dx = wx * sw;
        const dy = wy * sw;
        const dz = wz * sw;
        const nw = qw * c - qx * dx - qy * dy - qz * dz;
        const nx = qw * dx + qx * c + qy * dz - qz * dy;
        const ny = qw * dy - qx * dz + qy * c + qz * dx;
        const nz = qw * dz + qx * dy - qy * dx + qz * c;
        qw = nw;
        qx = nx;
        qy = ny;
        qz = nz;
      }
      // as a rotation vector r = angle · axis
      const vn = Math.sqrt(qx * qx + qy * qy + qz * qz);
      const kr = vn > 0 ? (2 * Math.atan2(vn, qw)) / vn : 0;
      const rx = qx * kr;
      const ry = qy * kr;
      const rz = qz * kr;
      const x = rx * ah[0] + ry * ah[1] + rz * ah[2];
      const y = turn * (rx * rh[0] + ry * rh[1] + rz * rh[2]);
      path[3 * k] = x;
      path[3 * k + 1] = y;
      path[3 * k + 2] = rx * u[0] + ry * u[1] + rz * u[2];
      alongSum += x;
      farthest = Math.max(farthest, Math.hypot(x, y));
    }
    // A lowering runs the path backwards from the top: turned round, it is a lift again, fault side kept.
    const flip = alongSum < 0 ? -1 : 1;
    const minR = Math.max(EDGE_MIN_FRACTION * farthest, EDGE_MIN_DEG * deg);
    const points: { bearingDeg: number; k: number }[] = [];
    let beyond = 0;
    for (let k = 0; k < m; k++) {
      const x = flip * path[3 * k]!;
      const y = flip * path[3 * k + 1]!;
      // (a point behind the start, x ≤ 0, is no lift: a burst caught part-way)
      if (x <= 0 || Math.hypot(x, y) < minR) continue;
      if (y < -EDGE_TOLERANCE_DEG * deg) beyond++;
      points.push({ bearingDeg: Math.atan2(y, x) / deg, k });
    }
    if (points.length < 5) continue;
    points.sort((p, r) => p.bearingDeg - r.bearingDeg);
    // The edge's tilt out of the horizontal, from its cleanest points (a blended axis is tilted by the drop's turn
    // about "up" as well).
    let along = 0;
    let up = 0;
    for (let j = 0; j <= Math.floor(EDGE_POINTS_FRACTION * (points.length - 1)); j++) {
      const k = points[j]!.k;
      along += Math.hypot(path[3 * k]!, path[3 * k + 1]!);
      up += flip * path[3 * k + 2]!;
    }
    edges.push({
      bearingDeg: points[Math.floor(EDGE_QUANTILE * (points.length - 1))]!.bearingDeg,
      beyond: beyond > EDGE_BEYOND_FRACTION * points.length,
      along,
      up,
    });
  }
  edges.sort((p, r) => p.bearingDeg - r.bearingDeg);
  const edge = edges.find(
    (c) =>
      c.beyond &&
      edges.some((o) => o !== c && o.bearingDeg >= c.bearingDeg && o.bearingDeg <= c.bearingDeg + EDGE_SUPPORT_DEG),
  );
  if (!edge || edge.bearingDeg > -EDGE_MIN_TURN_DEG) return axisS;
  const h = quatRotate(quatFromAxisAngle(u, turn * edge.bearingDeg * deg), ah);
  const e = Math.atan2(edge.up, edge.along);
  return normalize([
    Math.cos(e) * h[0] + Math.sin(e) * u[0],
    Math.cos(e) * h[1] + Math.sin(e) * u[1],
    Math.cos(e) * h[2] + Math.sin(e) * u[2],
  ]);
}

/** A path point counts toward a burst's edge from this fraction of the burst's farthest point (cleanEdgeAxis)... */
const EDGE_MIN_FRACTION = 0.15;
/** ...and from this many degrees: nearer the start, noise and fidgets decide the bearing. */
const EDGE_MIN_DEG = 3;
/** How far past the axis, against the fault side, a point must lie to count as beyond it, degrees. */
const EDGE_TOLERANCE_DEG = 2;
/** A burst lies beyond the axis when more than this fraction of its points do. */
const EDGE_BEYOND_FRACTION = 0.1;
/** A burst's edge: this quantile of its points' bearings. */
const EDGE_QUANTILE = 0.02;
/** The edge's tilt out of the horizontal: from this fraction of a burst's points, those of lowest bearing. */
const EDGE_POINTS_FRACTION = 0.1;
/** Another burst's edge within this many degrees supports a burst's. */
const EDGE_SUPPORT_DEG = 5;
/**
 * Smaller corrections are within a clean set's scatter and are not made, degrees: at 3°, one clean high-noise thrust
 * set of 1,343 held-out ones was turned 4° off.
 */
const EDGE_MIN_TURN_DEG = 5;

/**
 * The dominant instantaneous rotation axis (RANSAC-style mode): each fast sample's direction ω/|ω| is a candidate,
 * scored by the angular rate of all samples within MODE_CONE_DEG of it; the winner is refined by the principal axis of
 * its inliers. A faulty rep (a drop or roll starting part-way up) turns about the main axis first and a blended axis
 * later, so clean motion forms the densest cluster even when most of the first reps carry a fault.
 */
function modeAxis(gyr: Float64Array, n: number, upS?: Vec3, maxUpCos = 1) {
  if (n < 1) return undefined;
  const rates = new Float64Array(n);
  for (let i = 0; i < n; i++) rates[i] = Math.hypot(gyr[3 * i]!, gyr[3 * i + 1]!, gyr[3 * i + 2]!);
  // The bar a sample must clear to vote: a fraction of the rate the buffer's movement reaches, as its upper decile
  // rather than its peak. A quick fidget or shift (half a second, a tenth of the buffer at most) can turn several
  // times faster than a stiff person's reps, and judged against its peak the reps were too slow to vote at all: a
  // clamshell of 1–2° counter-roll then took the fidget's axis and counted nothing.
  const sorted = rates.slice().sort();
  const peak = sorted[n - 1]!;
  if (!(peak > 0)) return undefined;
  const upper = sorted[Math.floor(MODE_REFERENCE_QUANTILE * (n - 1))]!;
  const ref = upper > 0 ? upper : peak;
  const fast: number[] = [];
  for (let i = 0; i < n; i++) if (rates[i]! > MODE_FAST_FRACTION * ref) fast.push(i);
  if (fast.length < 20) return undefined;
  const cosCone = Math.cos((MODE_CONE_DEG * Math.PI) / 180);
  // Candidates and voters both subsampled: ≤ 200 × ≤ 1000 dot products, once per calibration.
  const stride = Math.max(1, Math.floor(fast.length / 200));
  const voteStride = Math.max(1, Math.floor(fast.length / 1000));
  // Voters' rates and norms gathered once (Math.hypot in the 200 × 1000 loop cost ~25 ms: a visible stall live).
  const nv = Math.ceil(fast.length / voteStride);
  const voters = new Float64Array(4 * nv);
  for (let v = 0, k = 0; v < fast.length; v += voteStride, k++) {
    const j = fast[v]!;
    const x = gyr[3 * j]!;
    const y = gyr[3 * j + 1]!;
    const z = gyr[3 * j + 2]!;
    voters[4 * k] = x;
    voters[4 * k + 1] = y;
    voters[4 * k + 2] = z;
    voters[4 * k + 3] = Math.sqrt(x * x + y * y + z * z);
  }
  let bestScore = -1;
  let best: Vec3 = [0, 0, 0];
  let bestPlausibleScore = -1;
  let bestPlausible: Vec3 = [0, 0, 0];
  for (let c = 0; c < fast.length; c += stride) {
    const i = fast[c]!;
    const u = normalize([gyr[3 * i]!, gyr[3 * i + 1]!, gyr[3 * i + 2]!]);
    let score = 0;
    for (let k = 0; k < nv; k++) {
      const norm = voters[4 * k + 3]!;
      if (Math.abs(u[0] * voters[4 * k]! + u[1] * voters[4 * k + 1]! + u[2] * voters[4 * k + 2]!) > cosCone * norm)
        score += norm;
    }
    if (score > bestScore) {
      bestScore = score;
      best = u;
    }
    if (upS && Math.abs(dot(u, upS)) <= maxUpCos && score > bestPlausibleScore) {
      bestPlausibleScore = score;
      bestPlausible = u;
    }
  }
  // Every exercise here works against gravity, so its axis is horizontal in the start pose. Breathing, sway and
  // turning on the mat turn the pelvis about other axes and can outvote a 0.5–1° clamshell roll; a horizontal axis
  // with a fair share of the vote is the exercise's. Only a clearly vertical movement wins (and fails as wrong_pose).
  // The vertical part of the rates is then not the exercise: the axis is refined, and its clarity judged, without it
  // (its tilt toward the vertical, 26° in one slow 1° clamshell with a drifting gyro, came from there).
  let rates3 = gyr;
  if (upS && bestPlausible !== best && bestPlausibleScore >= MODE_PLAUSIBLE_SHARE * bestScore) {
    const v = dot(bestPlausible, upS);
    best = normalize([bestPlausible[0] - v * upS[0], bestPlausible[1] - v * upS[1], bestPlausible[2] - v * upS[2]]);
    rates3 = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const x = gyr[3 * i]!;
      const y = gyr[3 * i + 1]!;
      const z = gyr[3 * i + 2]!;
      const v = x * upS[0] + y * upS[1] + z * upS[2];
      rates3[3 * i] = x - v * upS[0];
      rates3[3 * i + 1] = y - v * upS[1];
      rates3[3 * i + 2] = z - v * upS[2];
    }
  }
  const inliers = new Float64Array(3 * fast.length);
  let m = 0;
  for (const j of fast) {
    const x = rates3[3 * j]!;
    const y = rates3[3 * j + 1]!;
    const z = rates3[3 * j + 2]!;
    if (Math.abs(best[0] * x + best[1] * y + best[2] * z) > cosCone * Math.sqrt(x * x + y * y + z * z)) {
      inliers[3 * m] = x;
      inliers[3 * m + 1] = y;
      inliers[3 * m + 2] = z;
      m++;
    }
  }
  const refined = principalAxis(inliers, m);
  // The inliers' eigen-ratio is high by construction; report the whole buffer's for honesty.
  const all = principalAxis(rates3, n);
  return refined && all ? { ...refined, eigenRatio: all.eigenRatio } : refined;
}

const MODE_CONE_DEG = 5;
/**
 * A candidate axis within the start pose's tolerance of horizontal (modeAxis) wins if it scores at least this share
 * of the best candidate. On a 0.75° clamshell roll its share was 0.5–0.9 against breathing; bridge-like 25° tilts
 * about the vertical leave horizontal candidates nothing.
 */
const MODE_PLAUSIBLE_SHARE = 0.25;
/** Samples faster than this fraction of the reference rate vote for the axis (modeAxis). */
const MODE_FAST_FRACTION = 0.2;
/** The reference rate: this quantile of the buffer's rates (modeAxis). */
const MODE_REFERENCE_QUANTILE = 0.9;
/**
 * The furthest a clean burst can lie from the voted axis (leastFaultedAxis), degrees. Up to 90° in principle (a pure
 * roll won the vote), but a burst's side of the axis is read from the sign of its component along it, which is
 * noise at 90° (cos 80° = 0.17). Was 60°: stiff side planks whose roll-backs outturned the lift kept the roll in
 * the frame (seeds 7, 11, 13 at half range, and the scorecard's stiff-hips row: docs/dsp.md §1).
 */
const MAX_TURN_TO_CLEAN_DEG = 80;
/** A burst turning less than this fraction of the biggest burst is a fidget or a fragment, not half a rep. */
const MIN_TURN_FRACTION = 0.25;

/** The movement axis in sensor coordinates for a known mounting. */
export function axisInSensor(qPS: Quat, axisP: Vec3): Vec3 {
  return quatRotate(quatConjugate(qPS), axisP);
}
