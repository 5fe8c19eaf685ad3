/**
 * Independent test-recording generator for hipcue (see README.md in this folder).
 *
 * Written without reference to packages/sim or packages/dsp: the pelvis is a rigid body moved by a chain of
 * rotations about anatomical pivots, the sensor is a point on it with its own mounting, and gyro/accelerometer
 * are computed from the sensor's pose by central differences on a 0.25 ms step, then corrupted like a MEMS IMU.
 *
 *   node_modules/.bin/tsx test/independent/generate.ts --out /tmp/indep --n 120 --seed 1 [--exercise clamshell]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const EXERCISES = ['glute-bridge', 'hip-thrust', 'clamshell', 'side-plank-clamshell'] as const;
export type Exercise = (typeof EXERCISES)[number];
export type Side = 'left' | 'right';
type FaultCode = 'lumbar_arch' | 'pelvic_drop' | 'pelvic_roll' | 'hip_sag' | 'partial_range' | 'rushed_tempo';

const FAULTS_BY_EXERCISE: Record<Exercise, readonly FaultCode[]> = {
  'glute-bridge': ['lumbar_arch', 'pelvic_drop', 'partial_range', 'rushed_tempo'],
  'hip-thrust': ['lumbar_arch', 'pelvic_drop', 'partial_range', 'rushed_tempo'],
  clamshell: ['pelvic_roll', 'partial_range', 'rushed_tempo'],
  'side-plank-clamshell': ['pelvic_roll', 'hip_sag', 'partial_range', 'rushed_tempo'],
};

const GRAVITY = 9.80665;
export const DEG = Math.PI / 180;
const RATES = [50, 52, 100, 104, 200] as const;
/** Finite-difference step for the kinematics (s). Truncation and round-off both stay < 1e-3 of the sensor noise. */
const FD_STEP = 2.5e-4;
const GENERATOR_VERSION = 'independent-1';

// ---------------------------------------------------------------------------------------------------------------
// PRNG: mulberry32 streams, seeded through a 32-bit integer mix of (seed, stream index).

export function mix32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b + 0x632be5ab) | 0, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uni(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  bool(p: number): boolean {
    return this.next() < p;
  }

  sign(): number {
    return this.next() < 0.5 ? -1 : 1;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let u = this.next() * total;
    for (const [item, w] of items) {
      u -= w;
      if (u < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  unitVec(): V3 {
    for (;;) {
      const v: V3 = [this.uni(-1, 1), this.uni(-1, 1), this.uni(-1, 1)];
      const n = vnorm(v);
      if (n > 0.1 && n <= 1) return vscale(v, 1 / n);
    }
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Vectors, Hamilton quaternions [w, x, y, z] and rigid transforms (x_parent = q x_child q* + p).

export type V3 = [number, number, number];
export type Q = [number, number, number, number];

function vadd(a: V3, b: V3): V3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

function vsub(a: V3, b: V3): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function vscale(a: V3, s: number): V3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

function vnorm(a: V3): number {
  return Math.hypot(a[0], a[1], a[2]);
}

export function qmul(a: Q, b: Q): Q {
  const [aw, ax, ay, az] = a;
  const [bw, bx, by, bz] = b;
  return [
    aw * bw - ax * bx - ay * by - az * bz,
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
  ];
}

export function qconj(q: Q): Q {
  return [q[0], -q[1], -q[2], -q[3]];
}

function qnormalize(q: Q): Q {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** Rotates v by q (v' = q v q*). */
export function qrot(q: Q, v: V3): V3 {
  const [w, x, y, z] = q;
  const tx = 2 * (y * v[2] - z * v[1]);
  const ty = 2 * (z * v[0] - x * v[2]);
  const tz = 2 * (x * v[1] - y * v[0]);
  return [v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz), v[2] + w * tz + (x * ty - y * tx)];
}

export function qFromRotVec(r: V3): Q {
  const a = vnorm(r);
  if (a < 1e-6) {
    const s = 0.5 - (a * a) / 48;
    return qnormalize([1 - (a * a) / 8, r[0] * s, r[1] * s, r[2] * s]);
  }
  const s = Math.sin(a / 2) / a;
  return [Math.cos(a / 2), r[0] * s, r[1] * s, r[2] * s];
}

export function qToRotVec(q0: Q): V3 {
  const q: Q = q0[0] < 0 ? [-q0[0], -q0[1], -q0[2], -q0[3]] : q0;
  const v: V3 = [q[1], q[2], q[3]];
  const n = vnorm(v);
  if (n < 1e-9) return vscale(v, 2 / q[0]);
  return vscale(v, (2 * Math.atan2(n, q[0])) / n);
}

/** Quaternion of a rotation matrix given by rows (Shepperd's method). */
function qFromMatrix(m: readonly (readonly number[])[]): Q {
  const r = (i: number, j: number): number => m[i]![j]!;
  const tr = r(0, 0) + r(1, 1) + r(2, 2);
  let q: Q;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    q = [s / 4, (r(2, 1) - r(1, 2)) / s, (r(0, 2) - r(2, 0)) / s, (r(1, 0) - r(0, 1)) / s];
  } else if (r(0, 0) > r(1, 1) && r(0, 0) > r(2, 2)) {
    const s = Math.sqrt(1 + r(0, 0) - r(1, 1) - r(2, 2)) * 2;
    q = [(r(2, 1) - r(1, 2)) / s, s / 4, (r(0, 1) + r(1, 0)) / s, (r(0, 2) + r(2, 0)) / s];
  } else if (r(1, 1) > r(2, 2)) {
    const s = Math.sqrt(1 + r(1, 1) - r(0, 0) - r(2, 2)) * 2;
    q = [(r(0, 2) - r(2, 0)) / s, (r(0, 1) + r(1, 0)) / s, s / 4, (r(1, 2) + r(2, 1)) / s];
  } else {
    const s = Math.sqrt(1 + r(2, 2) - r(0, 0) - r(1, 1)) * 2;
    q = [(r(1, 0) - r(0, 1)) / s, (r(0, 2) + r(2, 0)) / s, (r(1, 2) + r(2, 1)) / s, s / 4];
  }
  return qnormalize(q);
}

/** Quaternion whose rotation maps the body axes onto the given columns (x, y, z of the body in the parent). */
function qFromColumns(x: V3, y: V3, z: V3): Q {
  return qFromMatrix([
    [x[0], y[0], z[0]],
    [x[1], y[1], z[1]],
    [x[2], y[2], z[2]],
  ]);
}

interface Tf {
  q: Q;
  p: V3;
}

function tfMul(a: Tf, b: Tf): Tf {
  return { q: qmul(a.q, b.q), p: vadd(qrot(a.q, b.p), a.p) };
}

/** Rotation by rotation vector rv (body coordinates) about the body point c. */
function tfRotAbout(rv: V3, c: V3): Tf {
  const q = qFromRotVec(rv);
  return { q, p: vsub(c, qrot(q, c)) };
}

/** All 24 proper axis-aligned rotations. */
function axisAlignedRotations(): Q[] {
  const perms = [
    [0, 1, 2, 1],
    [1, 2, 0, 1],
    [2, 0, 1, 1],
    [0, 2, 1, -1],
    [2, 1, 0, -1],
    [1, 0, 2, -1],
  ] as const;
  const out: Q[] = [];
  for (const [a, b, c, parity] of perms) {
    for (let s = 0; s < 8; s++) {
      const sx = s & 1 ? -1 : 1;
      const sy = s & 2 ? -1 : 1;
      const sz = s & 4 ? -1 : 1;
      if (sx * sy * sz * parity !== 1) continue;
      const m = [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ];
      m[0]![a] = sx;
      m[1]![b] = sy;
      m[2]![c] = sz;
      out.push(qFromMatrix(m));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Motion profiles.

/** A smoothed-trapezoid velocity profile: half-cosine velocity ramps over fractions a (start) and b (end). */
interface Shape {
  a: number;
  b: number;
}

/** Position 0 → 1 over x ∈ [0, 1]: velocity rises as a half cosine over a, cruises, falls over b (C² at the ends). */
function profile(x: number, s: Shape): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const { a, b } = s;
  const v = 1 / (1 - (a + b) / 2);
  if (x < a) return (v / 2) * (x - (a / Math.PI) * Math.sin((Math.PI * x) / a));
  if (x <= 1 - b) return v * (a / 2 + (x - a));
  const y = 1 - x;
  return 1 - (v / 2) * (y - (b / Math.PI) * Math.sin((Math.PI * y) / b));
}

function smooth01(x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

/** 0 → 1 → 0 over x ∈ [0, 1]. */
function bump01(x: number): number {
  if (x <= 0 || x >= 1) return 0;
  const s = Math.sin(Math.PI * x);
  return s * s;
}

// ---------------------------------------------------------------------------------------------------------------
// The plan of one recording.

export interface Rep {
  set: number;
  index: number;
  t0: number;
  up: number;
  hold: number;
  down: number;
  /** Main rotation at the top (deg): sagittal for bridge/thrust, frontal for side plank, 0 for clamshell. */
  heightDeg: number;
  /** Top-knee opening at the top (deg; label only, the pelvis does not see it directly). */
  kneeDeg: number;
  /** Roll-back of the pelvis at the top (deg; clamshell and side plank). */
  rollDeg: number;
  /** Drop toward the unsupported side at the top (deg; bridge and thrust). */
  dropDeg: number;
  /** Extra lumbar-arch tilt at the top (deg; bridge and thrust). */
  archDeg: number;
  sagDeg: number;
  sagStart: number;
  sagDur: number;
  droopDeg: number;
  shapeUp: Shape;
  shapeDown: Shape;
  tremorGain: number;
  fault: FaultCode | null;
}

interface Fidget {
  t0: number;
  dur: number;
  rv: V3;
  tr: V3;
  stay: boolean;
}

interface Excursion {
  t0: number;
  m1: number;
  t2: number;
  m2: number;
  rv: V3;
  tr: V3;
  kind: string;
}

interface Jerk {
  t0: number;
  amp: number;
  f: number;
  tau: number;
  axis: V3;
}

interface SetPose {
  t0: number;
  dur: number;
  dYaw: number;
  dRv: V3;
}

interface SensorModel {
  rateHz: number;
  clockPpm: number;
  jitterS: number;
  gaps: { start: number; len: number }[];
  gyroBias: V3;
  gyroDrift: V3;
  driftKind: 'linear' | 'warmup';
  driftTau: number;
  gyroNoise: number;
  gyroScale: V3;
  gyroCross: V3;
  accBias: V3;
  accNoise: number;
  accScale: V3;
  accCross: V3;
}

export interface Plan {
  id: string;
  exercise: Exercise;
  side: Side;
  duration: number;
  calibEnd: number;
  reps: Rep[];
  sets: { start_s: number; end_s: number; reps: number }[];
  rests: { start_s: number; end_s: number; excursion: string | null }[];
  fidgets: Fidget[];
  excursions: Excursion[];
  jerks: Jerk[];
  setPoses: SetPose[];
  base: Tf;
  headingRad: number;
  pivots: { shoulder: V3; arch: V3; drop: V3; dropAxis: V3; rollPivot: V3; knee: V3 };
  sideSign: number;
  breath: { amp: number; hz: number; phase: number; axis: V3; wanderHz: number; wanderPhase: number };
  tremor: { amp: number; f1: number; f2: number; p1: number; p2: number; axis: V3 };
  mount: Q;
  lever: V3;
  slip: { frac: number; axis: V3 };
  sensor: SensorModel;
  factors: Record<string, unknown>;
}

function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function planRecording(
  rng: Rng,
  index: number,
  seed: number,
  exercise: Exercise,
  side: Side,
  ideal = false,
): Plan {
  const id = `s${seed}-${String(index + 1).padStart(3, '0')}-${exercise}-${side}`;
  const sideSign = side === 'left' ? 1 : -1;
  const codes = FAULTS_BY_EXERCISE[exercise];

  // --- person
  const sex = rng.bool(0.5) ? 'female' : 'male';
  const size = sex === 'female' ? rng.uni(0.9, 1.02) : rng.uni(0.98, 1.1);
  const headingRad = rng.uni(0, 2 * Math.PI);

  const tempoClass = rng.pick(['slow', 'moderate', 'quick', 'asymmetric'] as const);
  let upS: number;
  let downS: number;
  if (tempoClass === 'slow') {
    upS = rng.uni(2.5, 4);
    downS = rng.uni(2, 4);
  } else if (tempoClass === 'moderate') {
    upS = rng.uni(1, 2);
    downS = rng.uni(1, 2.2);
  } else if (tempoClass === 'quick') {
    upS = rng.uni(0.7, 0.9);
    downS = rng.uni(0.7, 1);
  } else {
    upS = rng.uni(0.6, 1);
    downS = rng.uni(1.8, 3.5);
  }
  const holdClass = rng.weighted([
    ['none', 0.25],
    ['short', 0.25],
    ['medium', 0.3],
    ['long', 0.2],
  ] as const);
  const holdS =
    holdClass === 'none'
      ? 0
      : holdClass === 'short'
        ? rng.uni(0.3, 1)
        : holdClass === 'medium'
          ? rng.uni(1, 2.5)
          : rng.uni(2.5, 4);
  const pauseClass = rng.weighted([
    ['none', 0.2],
    ['short', 0.35],
    ['long', 0.45],
  ] as const);
  const pauseS = pauseClass === 'none' ? 0 : pauseClass === 'short' ? rng.uni(0.2, 1) : rng.uni(1, 3);
  const shapeUp: Shape = { a: rng.uni(0.2, 0.5), b: rng.uni(0.2, 0.5) };
  const shapeDown: Shape = { a: rng.uni(0.2, 0.5), b: rng.uni(0.2, 0.5) };

  // range of the main movement and the incidental pelvis motions, per person
  let rangeDeg = 0;
  let thrustStartDeg = 0;
  let plankStartDeg = 0;
  if (exercise === 'glute-bridge') rangeDeg = rng.uni(15, 30);
  if (exercise === 'hip-thrust') {
    thrustStartDeg = rng.uni(30, 50);
    rangeDeg = Math.min(50, Math.max(25, thrustStartDeg + rng.uni(-10, 5)));
  }
  if (exercise === 'side-plank-clamshell') {
    rangeDeg = rng.uni(12, 25);
    plankStartDeg = rng.uni(0, 10);
  }
  const kneeRangeDeg = rng.uni(30, 50);
  const lowRoller = rng.bool(0.5);
  const naturalRollDeg = lowRoller ? rng.uni(0.5, 1.5) : rng.uni(1.5, 4);
  const naturalDropDeg = rng.uni(0, 1.5);
  const droopPerHold = rng.uni(0, 1.5);
  const fatigueRange = rng.uni(0, 0.15);
  const fatigueGamma = rng.uni(1, 2);
  const fatigueSlow = rng.uni(0, 0.3);

  // --- pivots (pelvis coordinates, origin = hip-joint midpoint)
  const shoulder: V3 = [0, -rng.uni(0.05, 0.12) * size, rng.uni(0.45, 0.55) * size];
  const arch: V3 = [0, -0.03 * size, rng.uni(0.12, 0.18) * size];
  const drop: V3 = [-sideSign * rng.uni(0.08, 0.1) * size, 0, 0];
  const dropRotShare = rng.uni(0.75, 0.9);
  // unsupported ASIS toward the floor (about z) and unsupported hip caudal (about y); see README for the signs
  const dropAxis: V3 = [0, sideSign * Math.sqrt(1 - dropRotShare * dropRotShare), -sideSign * dropRotShare];
  const rollPivot: V3 = [sideSign * rng.uni(0.15, 0.18) * size, 0, 0];
  const knee: V3 = [sideSign * rng.uni(0.08, 0.12) * size, rng.uni(0.1, 0.25) * size, -rng.uni(0.42, 0.48) * size];

  // --- start pose in a local room frame L (then the heading about the vertical)
  let qBase: Q;
  if (exercise === 'glute-bridge' || exercise === 'hip-thrust') {
    qBase = qFromColumns([0, 1, 0], [0, 0, 1], [1, 0, 0]); // supine: anterior up, head toward +x
    if (exercise === 'hip-thrust') qBase = qmul(qBase, qFromRotVec([-thrustStartDeg * DEG, 0, 0]));
  } else {
    // side-lying on the bottom side: lying on the right side (side = left) has the pelvis x pointing down
    qBase =
      sideSign > 0 ? qFromColumns([0, 0, -1], [0, 1, 0], [1, 0, 0]) : qFromColumns([0, 0, 1], [0, -1, 0], [1, 0, 0]);
    if (exercise === 'side-plank-clamshell') qBase = qmul(qBase, qFromRotVec([0, -sideSign * plankStartDeg * DEG, 0]));
  }
  const pert: V3 = [0, 1, 2].map(() => Math.max(-6, Math.min(6, 3 * rng.normal())) * DEG) as V3;
  qBase = qmul(qBase, qFromRotVec(pert));
  const base: Tf = { q: qBase, p: [0, 0, 0.1] };

  // --- sessions: sets, reps, faults
  const nSets = rng.weighted([
    [1, 0.3],
    [2, 0.4],
    [3, 0.3],
  ] as const);
  const repsPerSet = Array.from({ length: nSets }, () => rng.int(6, 15));
  // fault-free recordings by a Weyl sequence over the index, so that any run of recordings has close to 40 % of them
  const faultFree = (index * 0.6180339887498949 + (mix32(seed, 0x5eed) % 1000) / 1000) % 1 < 0.4;
  const faultPlan: (FaultCode | null)[][] = repsPerSet.map((n) => new Array<FaultCode | null>(n).fill(null));
  if (!faultFree) {
    let faultySets = repsPerSet.map(() => rng.bool(0.65));
    if (!faultySets.some((x) => x)) faultySets = faultySets.map((_, i) => i === rng.int(0, nSets - 1));
    if (!faultySets.some((x) => x)) faultySets[0] = true;
    faultySets.forEach((faulty, s) => {
      if (!faulty) return;
      const n = repsPerSet[s]!;
      const dominant = rng.pick(codes);
      const count = Math.max(1, Math.round(rng.uni(0.3, 0.6) * n));
      const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
      for (const i of order.slice(0, count)) faultPlan[s]![i] = rng.bool(0.7) ? dominant : rng.pick(codes);
    });
  }

  const calibEnd = rng.uni(2, 4);
  let t = calibEnd + rng.uni(0.2, 1.5);
  const reps: Rep[] = [];
  const sets: Plan['sets'] = [];
  const rests: Plan['rests'] = [];
  const fidgets: Fidget[] = [];
  const excursions: Excursion[] = [];
  const jerks: Jerk[] = [];
  const setPoses: SetPose[] = [];
  const band = exercise === 'clamshell' || exercise === 'side-plank-clamshell';
  const tremorSideGain = exercise === 'side-plank-clamshell' ? 1.5 : 1;
  let fidgetSum: V3 = [0, 0, 0];

  const addFidget = (start: number, dur: number, maxDeg: number, minDeg: number): void => {
    const stay = rng.bool(0.5);
    let rv = vscale(rng.unitVec(), rng.uni(minDeg, maxDeg) * DEG);
    if (stay) {
      if (vnorm(vadd(fidgetSum, rv)) > 3 * DEG) rv = vscale(rv, -1);
      if (vnorm(vadd(fidgetSum, rv)) > 3 * DEG) rv = vscale(fidgetSum, -0.5);
      fidgetSum = vadd(fidgetSum, rv);
    }
    fidgets.push({ t0: start, dur, rv, tr: vscale(rng.unitVec(), rng.uni(0, 0.015)), stay });
  };

  for (let s = 0; s < nSets; s++) {
    const n = repsPerSet[s]!;
    const setStart = t;
    for (let i = 0; i < n; i++) {
      const prog = n > 1 ? i / (n - 1) : 0;
      const fault = faultPlan[s]![i]!;
      const slow = 1 + fatigueSlow * prog * prog;
      const fat = 1 - fatigueRange * prog ** fatigueGamma;
      let up = upS * slow * rng.uni(0.9, 1.1);
      let down = downS * slow * rng.uni(0.9, 1.1);
      let hold = holdS > 0 ? holdS * rng.uni(0.8, 1.2) : 0;
      if (fault === 'rushed_tempo') {
        up = rng.uni(0.3, 0.45);
        down = rng.uni(0.3, 0.5);
        hold = Math.min(hold, rng.uni(0, 0.3));
      } else if (up + down < 1.45) {
        const k = 1.45 / (up + down);
        up *= k;
        down *= k;
      }
      const jitterDeg = Math.max(-2, Math.min(2, rng.normal()));
      let ampFrac = fat;
      if (fault === 'partial_range') ampFrac = fat * rng.uni(0.3, 0.55);
      let heightDeg = rangeDeg > 0 ? rangeDeg * ampFrac + (fault === 'partial_range' ? 0 : jitterDeg) : 0;
      const kneeDeg = band ? kneeRangeDeg * ampFrac + (fault === 'partial_range' ? 0 : jitterDeg) : 0;
      let rollDeg = band ? naturalRollDeg * ampFrac * rng.uni(0.85, 1.15) : 0;
      if (fault === 'pelvic_roll') rollDeg += rng.uni(8, 25);
      let dropDeg = band ? 0 : naturalDropDeg * ampFrac * rng.uni(0.7, 1.1);
      if (fault === 'pelvic_drop') dropDeg = rng.uni(7, 15);
      const archDeg = fault === 'lumbar_arch' ? rng.uni(8, 20) : 0;
      let sagDeg = 0;
      let sagStart = 0;
      let sagDur = 0;
      if (fault === 'hip_sag') {
        hold = Math.max(hold, rng.uni(1.5, 3));
        heightDeg = Math.max(heightDeg, 12);
        sagDeg = rng.uni(8, Math.min(15, heightDeg - 3));
        sagStart = rng.uni(0.1, 0.35) * hold;
        sagDur = Math.min(rng.uni(0.4, 0.9), hold - sagStart - 0.2);
      }
      const droopDeg = fault === 'hip_sag' ? 0 : (droopPerHold * Math.min(hold, 4)) / 4;
      const jit = (sh: Shape): Shape => ({
        a: Math.min(0.5, Math.max(0.15, sh.a + rng.uni(-0.03, 0.03))),
        b: Math.min(0.5, Math.max(0.15, sh.b + rng.uni(-0.03, 0.03))),
      });
      const rep: Rep = {
        set: s,
        index: i,
        t0: t,
        up,
        hold,
        down,
        heightDeg,
        kneeDeg,
        rollDeg,
        dropDeg,
        archDeg,
        sagDeg,
        sagStart,
        sagDur,
        droopDeg,
        shapeUp: jit(shapeUp),
        shapeDown: jit(shapeDown),
        tremorGain: tremorSideGain * (1 + prog),
        fault,
      };
      reps.push(rep);
      if (band) {
        const bandAxis = rng.unitVec();
        jerks.push({
          t0: t + rng.uni(0.03, 0.15),
          amp: rng.uni(0.05, 0.2) * DEG,
          f: rng.uni(5, 9),
          tau: rng.uni(0.08, 0.2),
          axis: bandAxis,
        });
        jerks.push({
          t0: t + up + hold + down - rng.uni(0, 0.05),
          amp: rng.uni(0.05, 0.2) * DEG,
          f: rng.uni(5, 9),
          tau: rng.uni(0.08, 0.2),
          axis: vscale(bandAxis, -1),
        });
      }
      t += up + hold + down;
      if (i < n - 1) {
        const pause = pauseS > 0 ? pauseS * rng.uni(0.7, 1.3) : 0;
        if (pause >= 1.2 && rng.bool(0.15)) {
          const dur = Math.min(rng.uni(0.4, 1), pause - 0.4);
          addFidget(t + rng.uni(0.2, pause - 0.2 - dur), dur, 3, 1);
        }
        t += pause;
      }
    }
    sets.push({ start_s: r3(setStart), end_s: r3(t), reps: n });
    if (s < nSets - 1) {
      const rest = rng.uni(30, 90);
      const tA = t;
      const tB = t + rest;
      const retEnd = tB - rng.uni(3, 8);
      const newPose: SetPose = {
        t0: 0,
        dur: 0,
        dYaw: rng.uni(-4, 4) * DEG,
        dRv: [0, 1, 2].map(() => rng.uni(-1.5, 1.5) * DEG) as V3,
      };
      let excursionKind: string | null = null;
      if (rng.bool(0.7)) {
        const t0 = tA + rng.uni(2, 8);
        const m1 = rng.uni(1, 3);
        const m2 = rng.uni(1.5, 3);
        const t2 = rng.uni(t0 + m1 + 3, retEnd - m2);
        let rv: V3;
        let tr: V3 = [0, 0, 0];
        let kind: string;
        if (exercise === 'glute-bridge') {
          kind = rng.pick(['sit-up-slightly', 'knees-fall-aside']);
          rv = kind === 'sit-up-slightly' ? [-rng.uni(5, 15) * DEG, 0, 0] : [0, 0, rng.sign() * rng.uni(5, 20) * DEG];
        } else if (exercise === 'hip-thrust') {
          kind = rng.pick(['sit-down', 'shift-on-bench']);
          rv = kind === 'sit-down' ? [-rng.uni(5, 20) * DEG, 0, 0] : [0, 0, rng.sign() * rng.uni(5, 12) * DEG];
          if (kind === 'sit-down') tr = [0, -rng.uni(0.02, 0.06), 0];
        } else {
          kind = rng.pick(['roll-toward-back-or-front', 'prop-up']);
          rv =
            kind === 'prop-up' ? [0, -sideSign * rng.uni(5, 15) * DEG, 0] : [0, 0, rng.sign() * rng.uni(5, 25) * DEG];
        }
        excursions.push({ t0, m1, t2, m2, rv, tr, kind });
        newPose.t0 = t2;
        newPose.dur = m2;
        excursionKind = kind;
      } else {
        newPose.dur = rng.uni(1, 2);
        newPose.t0 = retEnd - newPose.dur;
      }
      setPoses.push(newPose);
      const nf = rng.int(0, 4);
      for (let f = 0; f < nf; f++) addFidget(rng.uni(tA + 1, retEnd - 2), rng.uni(0.4, 1.5), 5, 1);
      rests.push({ start_s: r3(tA), end_s: r3(tB), excursion: excursionKind });
      t = tB;
    }
  }
  const duration = t + rng.uni(2, 5);
  fidgets.sort((a, b) => a.t0 - b.t0);
  jerks.sort((a, b) => a.t0 - b.t0);

  // --- sensor: mounting, lever arm, slip, errors
  const mountingClass = rng.weighted([
    ['tidy', 0.35],
    ['tilted', 0.35],
    ['random', 0.3],
  ] as const);
  let mount: Q;
  if (mountingClass === 'random') {
    const u1 = rng.next();
    const u2 = rng.next();
    const u3 = rng.next();
    mount = qnormalize([
      Math.sqrt(1 - u1) * Math.sin(2 * Math.PI * u2),
      Math.sqrt(1 - u1) * Math.cos(2 * Math.PI * u2),
      Math.sqrt(u1) * Math.sin(2 * Math.PI * u3),
      Math.sqrt(u1) * Math.cos(2 * Math.PI * u3),
    ]);
  } else {
    mount = rng.pick(axisAlignedRotations());
    if (mountingClass === 'tilted') mount = qmul(mount, qFromRotVec(vscale(rng.unitVec(), rng.uni(5, 35) * DEG)));
  }
  const leverClass = rng.bool(0.7) ? 'sacral' : 'belt_side';
  const lever: V3 =
    leverClass === 'sacral'
      ? vscale([0.01 * rng.normal(), -rng.uni(0.09, 0.12), rng.uni(0.02, 0.06)], size)
      : vscale([rng.sign() * rng.uni(0.12, 0.18), rng.uni(-0.03, 0.03), rng.uni(0.04, 0.08)], size);
  const slip = { frac: rng.uni(0, 0.05), axis: rng.unitVec() };

  const rateHz = rng.pick(RATES);
  const nGaps = rng.bool(0.5) ? 0 : rng.int(1, 3);
  const nSamples = Math.floor(duration * rateHz);
  const gaps = Array.from({ length: nGaps }, () => ({
    start: rng.int(Math.ceil((calibEnd + 1) * rateHz), nSamples - 25),
    len: rng.int(1, 20),
  }));
  const vec = (lim: number): V3 => [rng.uni(-lim, lim), rng.uni(-lim, lim), rng.uni(-lim, lim)];
  const sensorDrawn: SensorModel = {
    rateHz,
    clockPpm: rng.uni(-300, 300),
    jitterS: rng.uni(0, 0.002),
    gaps,
    gyroBias: vscale(vec(3), DEG),
    gyroDrift: vscale(vec(0.5), DEG),
    driftKind: rng.bool(0.5) ? 'linear' : 'warmup',
    driftTau: rng.uni(30, 200),
    gyroNoise: rng.uni(0.05, 0.15) * DEG * Math.sqrt(rateHz / 100),
    gyroScale: vec(0.02),
    gyroCross: vec(0.005),
    accBias: vec(0.2),
    accNoise: rng.uni(0.01, 0.04) * Math.sqrt(rateHz / 100),
    accScale: vec(0.02),
    accCross: vec(0.005),
  };
  const zero: V3 = [0, 0, 0];
  const sensor: SensorModel = ideal
    ? {
        ...sensorDrawn,
        jitterS: 0,
        gaps: [],
        gyroBias: zero,
        gyroDrift: zero,
        gyroNoise: 0,
        gyroScale: zero,
        gyroCross: zero,
        accBias: zero,
        accNoise: 0,
        accScale: zero,
        accCross: zero,
      }
    : sensorDrawn;

  const breath = {
    amp: rng.uni(0.2, 0.5) * 0.5 * DEG,
    hz: rng.uni(0.2, 0.3),
    phase: rng.uni(0, 2 * Math.PI),
    axis: (() => {
      const a: V3 = [1, 0.3 * rng.normal(), 0.3 * rng.normal()];
      return vscale(a, 1 / vnorm(a));
    })(),
    wanderHz: rng.uni(0.005, 0.02),
    wanderPhase: rng.uni(0, 2 * Math.PI),
  };
  const tremor = {
    amp: rng.uni(0.005, 0.03) * DEG,
    f1: rng.uni(8, 12),
    f2: rng.uni(8, 12),
    p1: rng.uni(0, 2 * Math.PI),
    p2: rng.uni(0, 2 * Math.PI),
    axis: rng.unitVec(),
  };

  const nFaulty = reps.filter((r) => r.fault !== null).length;
  const factors: Record<string, unknown> = {
    generator: GENERATOR_VERSION,
    seed,
    index,
    levels: {
      exercise,
      side,
      tempo: tempoClass,
      hold: holdClass,
      pause: pauseClass,
      rate: String(rateHz),
      mounting: mountingClass,
      lever: leverClass,
      faults: nFaulty > 0 ? 'faulty' : 'none',
      sets: String(nSets),
      gaps: nGaps > 0 ? 'some' : 'none',
      fatigue: fatigueRange < 0.075 ? 'low' : 'high',
      roll: band ? (lowRoller ? 'low(0.5-1.5deg)' : 'normal(1.5-4deg)') : 'n/a',
      sex,
    },
    sex,
    size: r3(size),
    heading_deg: r3(headingRad / DEG),
    start_perturbation_deg: pert.map((x) => r3(x / DEG)),
    thrust_start_tilt_deg: r3(thrustStartDeg),
    plank_start_raise_deg: r3(plankStartDeg),
    tempo_class: tempoClass,
    up_s: r3(upS),
    down_s: r3(downS),
    hold_s: r3(holdS),
    pause_s: r3(pauseS),
    shape_up: { a: r3(shapeUp.a), b: r3(shapeUp.b) },
    shape_down: { a: r3(shapeDown.a), b: r3(shapeDown.b) },
    range_deg: r3(rangeDeg),
    knee_range_deg: r3(kneeRangeDeg),
    natural_roll_deg: band ? r3(naturalRollDeg) : 0,
    natural_drop_deg: band ? 0 : r3(naturalDropDeg),
    hold_droop_deg_per_4s: r3(droopPerHold),
    fatigue_range: r3(fatigueRange),
    fatigue_gamma: r3(fatigueGamma),
    fatigue_slow: r3(fatigueSlow),
    pivots_m: {
      shoulder: shoulder.map(r3),
      arch: arch.map(r3),
      drop: drop.map(r3),
      roll: rollPivot.map(r3),
      knee: knee.map(r3),
    },
    breathing: { p2p_deg: r3((2 * breath.amp) / DEG), hz: r3(breath.hz) },
    tremor_deg: r3(tremor.amp / DEG),
    mounting_class: mountingClass,
    mounting_q_ps: mount.map((x) => Math.round(x * 1e6) / 1e6),
    lever_class: leverClass,
    lever_m: lever.map(r3),
    skin_slip_frac: r3(slip.frac),
    rate_hz: rateHz,
    clock_ppm: r3(sensor.clockPpm),
    jitter_ms: r3(sensor.jitterS * 1000),
    gaps: gaps.map((g) => ({ start_s: r3(g.start / rateHz), samples: g.len })),
    gyro_bias_dps: sensor.gyroBias.map((x) => r3(x / DEG)),
    gyro_drift_dps: sensor.gyroDrift.map((x) => r3(x / DEG)),
    gyro_drift_kind: sensor.driftKind,
    gyro_noise_dps: r3(sensor.gyroNoise / DEG),
    gyro_scale: sensor.gyroScale.map((x) => Math.round(x * 1e4) / 1e4),
    acc_bias: sensor.accBias.map(r3),
    acc_noise: Math.round(sensor.accNoise * 1e4) / 1e4,
    acc_scale: sensor.accScale.map((x) => Math.round(x * 1e4) / 1e4),
    fault_free: nFaulty === 0,
    faulty_reps: nFaulty,
    n_sets: nSets,
  };

  return {
    id,
    exercise,
    side,
    duration,
    calibEnd,
    reps,
    sets,
    rests,
    fidgets,
    excursions,
    jerks,
    setPoses,
    base,
    headingRad,
    pivots: { shoulder, arch, drop, dropAxis, rollPivot, knee },
    sideSign,
    breath,
    tremor,
    mount,
    lever,
    slip,
    sensor,
    factors,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Kinematics: pelvis pose q_EP(t), p_EP(t) and sensor pose.

function repEnd(r: Rep): number {
  return r.t0 + r.up + r.hold + r.down;
}

/** Main rotation h (deg) and effort progress pc (0..1, 1 = top) of a rep at time t. */
function repState(r: Rep, t: number): { h: number; pc: number; holdness: number } {
  const tau = t - r.t0;
  const total = r.up + r.hold + r.down;
  if (tau <= 0 || tau >= total) return { h: 0, pc: 0, holdness: 0 };
  const level = (s: number): number => {
    let v = r.heightDeg - r.droopDeg * smooth01(r.hold > 0 ? s / r.hold : 0);
    if (r.sagDeg > 0) v -= r.sagDeg * smooth01((s - r.sagStart) / r.sagDur);
    return v;
  };
  if (tau < r.up) {
    const s = profile(tau / r.up, r.shapeUp);
    return { h: r.heightDeg * s, pc: s, holdness: 0.25 };
  }
  if (tau < r.up + r.hold) {
    const s = tau - r.up;
    const edge = Math.min(1, s / 0.3, (r.hold - s) / 0.3);
    return { h: level(s), pc: 1, holdness: 0.25 + 0.75 * Math.max(0, edge) };
  }
  const s = profile((tau - r.up - r.hold) / r.down, r.shapeDown);
  return { h: level(r.hold) * (1 - s), pc: 1 - s, holdness: 0.25 };
}

function findRep(reps: Rep[], t: number): Rep | null {
  let lo = 0;
  let hi = reps.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (reps[mid]!.t0 <= t) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best < 0) return null;
  const r = reps[best]!;
  return t < repEnd(r) ? r : null;
}

function lastIndexAtOrBefore<T extends { t0: number }>(items: T[], t: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.t0 <= t) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

export function makePose(plan: Plan): (t: number) => { q: Q; p: V3 } {
  const { exercise, reps, fidgets, excursions, jerks, setPoses, pivots, sideSign, breath, tremor, slip } = plan;
  const bridgeLike = exercise === 'glute-bridge' || exercise === 'hip-thrust';
  return (t: number) => {
    // set-to-set start pose (heading and small posture changes made during rests)
    let dYaw = 0;
    let dRv: V3 = [0, 0, 0];
    for (const sp of setPoses) {
      if (t <= sp.t0) break;
      const k = smooth01((t - sp.t0) / sp.dur);
      dYaw += (sp.dYaw - dYaw) * k;
      dRv = vadd(dRv, vscale(vsub(sp.dRv, dRv), k));
    }
    const q0 = qmul(qmul(qFromRotVec([0, 0, plan.headingRad + dYaw]), plan.base.q), qFromRotVec(dRv));
    let pose: Tf = { q: q0, p: plan.base.p };

    // the exercise itself
    const rep = findRep(reps, t);
    let slipAngle = 0;
    let holdness = 0;
    let tremorGain = 1;
    if (rep) {
      const st = repState(rep, t);
      holdness = st.holdness;
      tremorGain = rep.tremorGain;
      if (bridgeLike) {
        const lift = tfRotAbout([st.h * DEG, 0, 0], pivots.shoulder);
        const dropDeg = rep.dropDeg * smooth01((st.pc - 0.35) / 0.65);
        const drop = tfRotAbout(vscale(pivots.dropAxis, dropDeg * DEG), pivots.drop);
        const archDeg = rep.archDeg * smooth01((st.pc - 0.6) / 0.4);
        const arch = tfRotAbout([archDeg * DEG, 0, 0], pivots.arch);
        pose = tfMul(pose, tfMul(lift, tfMul(drop, arch)));
        slipAngle = (st.h + archDeg) * DEG;
      } else if (exercise === 'clamshell') {
        const roll = rep.rollDeg * st.pc;
        pose = tfMul(pose, tfRotAbout([0, 0, sideSign * roll * DEG], pivots.rollPivot));
        slipAngle = roll * DEG;
      } else {
        const lift = tfRotAbout([0, -sideSign * st.h * DEG, 0], pivots.knee);
        const roll = tfRotAbout([0, 0, sideSign * rep.rollDeg * st.pc * DEG], pivots.knee);
        pose = tfMul(pose, tfMul(lift, roll));
        slipAngle = st.h * DEG;
      }
    }

    // small motions about the hip-joint midpoint: breathing, tremor, fidgets, rest excursions, band jerks
    const wander = 0.6 * Math.sin(2 * Math.PI * breath.wanderHz * t + breath.wanderPhase);
    let rv = vscale(breath.axis, breath.amp * Math.sin(2 * Math.PI * breath.hz * t + breath.phase + wander));
    const trem =
      tremor.amp *
      holdness *
      tremorGain *
      (0.6 * Math.sin(2 * Math.PI * tremor.f1 * t + tremor.p1) +
        0.4 * Math.sin(2 * Math.PI * tremor.f2 * t + tremor.p2));
    rv = vadd(rv, vscale(tremor.axis, trem));
    let tr: V3 = [0, 0, 0];
    for (const f of fidgets) {
      if (t <= f.t0) break;
      const x = (t - f.t0) / f.dur;
      const k = f.stay ? smooth01(x) : bump01(x);
      if (k === 0) continue;
      rv = vadd(rv, vscale(f.rv, k));
      tr = vadd(tr, vscale(f.tr, k));
    }
    for (const e of excursions) {
      if (t <= e.t0 || t >= e.t2 + e.m2) continue;
      const k = t < e.t0 + e.m1 ? smooth01((t - e.t0) / e.m1) : t < e.t2 ? 1 : 1 - smooth01((t - e.t2) / e.m2);
      rv = vadd(rv, vscale(e.rv, k));
      tr = vadd(tr, vscale(e.tr, k));
    }
    for (let j = lastIndexAtOrBefore(jerks, t); j >= 0; j--) {
      const jk = jerks[j]!;
      const dt = t - jk.t0;
      if (dt > 1.5) break;
      const env = (dt / jk.tau) * Math.exp(1 - dt / jk.tau);
      rv = vadd(rv, vscale(jk.axis, jk.amp * env * Math.sin(2 * Math.PI * jk.f * dt)));
    }
    pose = tfMul(pose, { q: qFromRotVec(rv), p: tr });

    // sensor: lever arm and mounting (with skin slip proportional to the main rotation)
    const qPS = qmul(qFromRotVec(vscale(slip.axis, slip.frac * slipAngle)), plan.mount);
    return { q: qmul(pose.q, qPS), p: vadd(qrot(pose.q, plan.lever), pose.p) };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sensor sampling.

const GYRO_LSB = (2000 * DEG) / 32768;
const ACC_LSB = (16 * GRAVITY) / 32768;

function quantise(x: number, lsb: number): number {
  const c = Math.max(-32768, Math.min(32767, Math.round(x / lsb)));
  return c * lsb;
}

function applyErrors(v: V3, scale: V3, cross: V3): V3 {
  // (I + diag(scale) + symmetric cross-axis terms) · v
  return [
    v[0] * (1 + scale[0]) + cross[0] * v[1] + cross[1] * v[2],
    v[1] * (1 + scale[1]) + cross[0] * v[0] + cross[2] * v[2],
    v[2] * (1 + scale[2]) + cross[1] * v[0] + cross[2] * v[1],
  ];
}

export function synthesize(plan: Plan, noise: Rng, quantiseOutput = true): string {
  const pose = makePose(plan);
  const s = plan.sensor;
  const rate = s.rateHz * (1 + s.clockPpm * 1e-6);
  const n = Math.floor(plan.duration * rate);
  const dropped = new Set<number>();
  for (const g of s.gaps) for (let k = g.start; k < g.start + g.len; k++) dropped.add(k);
  const h = FD_STEP;
  const lines: string[] = ['t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z'];
  const T = plan.duration;
  for (let k = 0; k < n; k++) {
    const t = k / rate;
    const jit = s.jitterS * noise.uni(-1, 1);
    const nz = [noise.normal(), noise.normal(), noise.normal(), noise.normal(), noise.normal(), noise.normal()];
    if (dropped.has(k)) continue;
    const a = pose(t - h);
    const b = pose(t);
    const c = pose(t + h);
    const w = vscale(qToRotVec(qmul(qconj(a.q), c.q)), 1 / (2 * h));
    const acc: V3 = vscale(vadd(vsub(c.p, vscale(b.p, 2)), a.p), 1 / (h * h));
    const f = qrot(qconj(b.q), vadd(acc, [0, 0, GRAVITY]));
    const drift = s.driftKind === 'linear' ? t / T : (1 - Math.exp(-t / s.driftTau)) / (1 - Math.exp(-T / s.driftTau));
    const gm = vadd(vadd(applyErrors(w, s.gyroScale, s.gyroCross), s.gyroBias), vscale(s.gyroDrift, drift));
    const am = vadd(applyErrors(f, s.accScale, s.accCross), s.accBias);
    const gq = gm.map((x, i) => {
      const v = x + s.gyroNoise * nz[i]!;
      return quantiseOutput ? quantise(v, GYRO_LSB).toFixed(6) : v.toExponential(12);
    });
    const aq = am.map((x, i) => {
      const v = x + s.accNoise * nz[3 + i]!;
      return quantiseOutput ? quantise(v, ACC_LSB).toFixed(5) : v.toExponential(12);
    });
    const tw = Math.max(0, t + jit);
    lines.push(`${tw.toFixed(6)},${gq.join(',')},${aq.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

function labels(plan: Plan): Record<string, unknown> {
  return {
    id: plan.id,
    exercise: plan.exercise,
    side: plan.side,
    duration_s: r3(plan.duration),
    calibration: { start_s: 0, end_s: r3(plan.calibEnd) },
    factors: plan.factors,
    sets: plan.sets,
    reps: plan.reps.map((r) => {
      const peakOffset = r.sagDeg > 0 ? r.sagStart / 2 : r.hold / 2;
      return {
        start_s: r3(r.t0),
        peak_s: r3(r.t0 + r.up + peakOffset),
        end_s: r3(repEnd(r)),
        faults: r.fault ? [r.fault] : [],
        set: r.set,
        up_s: r3(r.up),
        hold_s: r3(r.hold),
        down_s: r3(r.down),
        height_deg: r3(r.heightDeg),
        knee_deg: r3(r.kneeDeg),
        roll_deg: r3(r.rollDeg),
        drop_deg: r3(r.dropDeg),
        arch_deg: r3(r.archDeg),
        sag_deg: r3(r.sagDeg),
      };
    }),
    rests: plan.rests,
    fidgets: plan.fidgets.map((f) => ({
      start_s: r3(f.t0),
      end_s: r3(f.t0 + f.dur),
      deg: r3(vnorm(f.rv) / DEG),
      stays: f.stay,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      n: { type: 'string', default: '120' },
      seed: { type: 'string', default: '1' },
      exercise: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.out) {
    process.stdout.write(
      'usage: tsx test/independent/generate.ts --out <dir> [--n 120] [--seed 1] [--exercise <exercise>]\n' +
        `exercises: ${EXERCISES.join(' | ')}\n`,
    );
    process.exit(values.help ? 0 : 2);
  }
  const n = Number(values.n);
  const seed = Number(values.seed);
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(seed)) throw new Error('--n and --seed must be integers');
  const only = values.exercise as Exercise | undefined;
  if (only !== undefined && !EXERCISES.includes(only)) throw new Error(`unknown exercise ${only}`);
  const out = values.out;
  mkdirSync(out, { recursive: true });
  const t0 = Date.now();
  const manifest: { id: string; exercise: Exercise; side: Side }[] = [];
  for (let i = 0; i < n; i++) {
    const pick = new Rng(mix32(seed, 3 * i));
    const exercise = only ?? EXERCISES[i % EXERCISES.length]!;
    const side: Side = pick.bool(0.5) ? 'left' : 'right';
    const plan = planRecording(new Rng(mix32(seed, 3 * i + 1)), i, seed, exercise, side);
    const csv = synthesize(plan, new Rng(mix32(seed, 3 * i + 2)));
    writeFileSync(join(out, `${plan.id}.csv`), csv);
    writeFileSync(join(out, `${plan.id}.json`), `${JSON.stringify(labels(plan), null, 2)}\n`);
    manifest.push({ id: plan.id, exercise, side });
  }
  writeFileSync(
    join(out, 'manifest.json'),
    `${JSON.stringify({ generator: GENERATOR_VERSION, seed, n, recordings: manifest }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${n} recordings to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
