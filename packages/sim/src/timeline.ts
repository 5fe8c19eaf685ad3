import { CH } from './body.ts';
import { Builder } from './builder.ts';
import { injectFault } from './faults.ts';
import type { Person } from './person.ts';
import type { Rng } from './prng.ts';
import type { Piece } from './profile.ts';
import { DEG } from './quat.ts';
import {
  type Exercise,
  FAULTS_BY_EXERCISE,
  type FaultCode,
  type RepTruth,
  type SessionSpec,
  type SetTruth,
} from './types.ts';

/** The scripted session: per-channel motion pieces plus the truth labels they were built from. */
export interface Timeline {
  pieces: Piece[][];
  faultPieces: Piece[];
  /** Clamshells: the top knee's opening (rad) over time, with the timing of the reps (for the thigh sensor). */
  kneePieces: Piece[];
  reps: RepTruth[];
  sets: SetTruth[];
  calibration: { startS: number; endS: number };
  durationS: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

function chooseFault(exercise: Exercise, spec: SessionSpec, rng: Rng): FaultCode | undefined {
  const allowed = FAULTS_BY_EXERCISE[exercise];
  const probs = spec.faults ?? {};
  const u = rng.next();
  let acc = 0;
  for (const code of allowed) {
    acc += clamp(probs[code] ?? 0, 0, 1);
    if (u < acc) return code;
  }
  return undefined;
}

/** Fatigue factor of rep i of n for a set whose last rep reaches `level`: nothing in the first 40%, then rising. */
export function fatigueAt(i: number, n: number, level: number): number {
  if (n <= 1) return 0;
  const x = clamp((i / (n - 1) - 0.4) / 0.6, 0, 1);
  return level * x ** 1.5;
}

interface RepPlan {
  fault: FaultCode | undefined;
  romDeg: number;
  upS: number;
  holdS: number;
  downS: number;
  fatigue: number;
  hesitation: { at: number; pauseS: number } | undefined;
}

function planRep(exercise: Exercise, person: Person, spec: SessionSpec, rng: Rng, fatigue: number): RepPlan {
  const fault = chooseFault(exercise, spec, rng);
  const jitterRom = clamp(1 + 0.03 * rng.normal(), 0.9, 1.08);
  const jitterT = (): number => clamp(1 + 0.08 * rng.normal(), 0.8, 1.25);
  let romDeg = person.romDeg * jitterRom * (1 - 0.15 * fatigue);
  if (fault === 'partial_range') romDeg = person.romDeg * rng.uniform(0.3, 0.55) * jitterRom * (1 - 0.15 * fatigue);
  let upS = person.upS * jitterT() * (1 + 0.35 * fatigue);
  let holdS = person.holdS * jitterT() * (1 - 0.2 * fatigue);
  let downS = person.downS * jitterT() * (1 + 0.35 * fatigue);
  if (fault === 'rushed_tempo') {
    upS = rng.uniform(0.25, 0.45);
    holdS = rng.uniform(0.1, 0.4);
    downS = rng.uniform(0.3, 0.5);
  }
  if (fault === 'hip_sag') holdS = Math.max(holdS, rng.uniform(1.6, 2.6));
  if (fault === 'lumbar_arch' || fault === 'pelvic_drop') holdS = Math.max(holdS, 0.6);
  const hesitation =
    fault !== 'rushed_tempo' && rng.chance(person.hesitationP)
      ? { at: rng.uniform(0.35, 0.7), pauseS: rng.uniform(0.2, 0.5) }
      : undefined;
  return { fault, romDeg, upS, holdS, downS, fatigue, hesitation };
}

/** Builds the whole session script. `rng` is the kinematics stream. */
export function buildTimeline(exercise: Exercise, person: Person, spec: SessionSpec, rng: Rng): Timeline {
  const b = new Builder();
  const reps: RepTruth[] = [];
  const sets: SetTruth[] = [];
  const calEnd = rng.uniform(2, 3);
  let t = calEnd + rng.uniform(0.6, 1.5);
  const nSets = Math.max(1, Math.floor(spec.sets ?? 1));
  const repsSpec = spec.reps ?? [6, 15];
  const clamshellLike = exercise === 'clamshell' || exercise === 'side-plank-clamshell';
  for (let si = 0; si < nSets; si++) {
    const n = typeof repsSpec === 'number' ? Math.max(1, Math.floor(repsSpec)) : rng.int(repsSpec[0], repsSpec[1]);
    const level = spec.fatigue ?? rng.uniform(0.3, 1);
    const setStart = t;
    for (let i = 0; i < n; i++) {
      const plan = planRep(exercise, person, spec, rng, fatigueAt(i, n, level));
      const rep = addRep(b, exercise, person, plan, rng, t, si, i, clamshellLike);
      reps.push(rep);
      t = rep.endS;
      if (i < n - 1) {
        const rest = person.restS * rng.uniform(0.7, 1.3) * (1 + 0.5 * plan.fatigue);
        if (rest > 0.8 && rng.chance(person.fidgetP)) fidget(b, rng, t + 0.1, t + rest - 0.1, 1.2, 0.006);
        t += rest;
      }
    }
    const setEnd = t;
    sets.push({ startS: setStart, endS: setEnd });
    // slow drift of the start posture over the set (a few tenths of a degree per ten seconds at most)
    for (const ch of [CH.fx, CH.fy, CH.fz]) b.ramp(ch, setStart, setEnd + 0.5, rng.normal() * 1.0 * DEG);
    for (const ch of [CH.tx, CH.ty]) b.ramp(ch, setStart, setEnd + 0.5, rng.normal() * 0.005);
    if (si < nSets - 1) {
      const restSpec = spec.restBetweenSetsS ?? [20, 45];
      const rest = typeof restSpec === 'number' ? restSpec : rng.uniform(restSpec[0], restSpec[1]);
      reposition(b, rng, t + 1, t + rest - 2);
      t += rest;
    }
  }
  const tail = rng.uniform(1, 2);
  const durationS = t + (spec.endRestS ?? tail);
  return {
    pieces: b.pieces,
    faultPieces: b.faultPieces,
    kneePieces: b.kneePieces,
    reps,
    sets,
    calibration: { startS: 0, endS: calEnd },
    durationS,
  };
}

/** A small out-and-back shuffle inside [t0, t1]: rotations ~ N(0, rotDeg), translations ~ N(0, transM). */
function fidget(b: Builder, rng: Rng, t0: number, t1: number, rotDeg: number, transM: number): void {
  const d = (t1 - t0) * rng.uniform(0.25, 0.45);
  for (const ch of [CH.fx, CH.fy, CH.fz]) b.excursion(ch, t0, t1, d, rng.normal() * rotDeg * DEG);
  for (const ch of [CH.tx, CH.ty, CH.tz]) b.excursion(ch, t0, t1, d, rng.normal() * transM);
}

/** Repositioning between sets: one or two moves that do not come back (a new start pose), plus a fidget. */
function reposition(b: Builder, rng: Rng, t0: number, t1: number): void {
  if (t1 - t0 < 4) return;
  const moves = rng.int(1, 2);
  let t = t0 + rng.uniform(0.5, 2);
  for (let m = 0; m < moves; m++) {
    const d = rng.uniform(0.8, 1.6);
    for (const ch of [CH.fx, CH.fy, CH.fz]) b.ramp(ch, t, t + d, rng.normal() * 3 * DEG);
    for (const ch of [CH.tx, CH.ty]) b.ramp(ch, t, t + d, rng.normal() * 0.03);
    t += d + rng.uniform(0.5, 1.5);
  }
  if (t1 - t > 2) fidget(b, rng, t, Math.min(t1, t + 2), 1.5, 0.008);
}

function addRep(
  b: Builder,
  exercise: Exercise,
  person: Person,
  plan: RepPlan,
  rng: Rng,
  t0: number,
  set: number,
  index: number,
  clamshellLike: boolean,
): RepTruth {
  const upS = plan.upS + (plan.hesitation?.pauseS ?? 0);
  const peakS = t0 + upS;
  const downStart = peakS + plan.holdS;
  const endS = downStart + plan.downS;
  const romFrac = plan.romDeg / person.romDeg;
  const kneeOpenDeg = clamshellLike ? person.kneeOpenDeg * romFrac : 0;
  // the main channel: pelvis tilt (thrust/bridge), lift (side plank), or the clamshell's small counter-roll
  const mainDeg = exercise === 'clamshell' ? person.counterRollDeg * romFrac : plan.romDeg;
  const main = mainDeg * DEG;
  if (plan.hesitation) {
    const h = plan.hesitation;
    const tA = t0 + plan.upS * h.at;
    b.ramp(CH.main, t0, tA, main * h.at);
    b.ramp(CH.main, tA + h.pauseS, peakS, main * (1 - h.at));
  } else {
    b.ramp(CH.main, t0, peakS, main);
  }
  b.ramp(CH.main, downStart, endS, -main);
  if (clamshellLike) {
    const knee = kneeOpenDeg * DEG;
    b.kneePieces.push(
      { type: 'ramp', t0, t1: peakS, delta: knee },
      { type: 'ramp', t0: downStart, t1: endS, delta: -knee },
    );
  }
  if (exercise === 'side-plank-clamshell') {
    // the top knee opens with the lift and drags the pelvis back a little
    const roll = person.counterRollDeg * romFrac * DEG;
    b.ramp(CH.roll, t0, peakS, roll);
    b.ramp(CH.roll, downStart, endS, -roll);
  }
  if (clamshellLike) {
    // the band loads early in the opening: a short jerk and a tremor burst
    const tj = t0 + plan.upS * rng.uniform(0.05, 0.25);
    b.excursion(CH.roll, tj, tj + 0.24, 0.12, rng.uniform(0.2, 0.6) * DEG * rng.sign());
    const tb = tj + 0.05;
    b.burst(
      CH.tremor,
      tb,
      Math.min(endS, tb + rng.uniform(0.3, 0.7)),
      rng.uniform(0.05, 0.2) * DEG,
      rng.uniform(6, 10),
      rng.uniform(0, 6.28),
    );
  }
  if (plan.holdS > 0.5) {
    // isometric shake in the hold
    b.burst(CH.tremor, peakS, downStart, rng.uniform(0.03, 0.12) * DEG, rng.uniform(7, 12), rng.uniform(0, 6.28));
  }
  const faults = injectFault(
    b,
    plan.fault,
    { t0, peakS, downStart, endS, upS: plan.upS, holdS: plan.holdS, downS: plan.downS },
    plan.romDeg,
    romFrac,
    rng,
  );
  return {
    set,
    index,
    startS: t0,
    peakS,
    endS,
    faults,
    romDeg: plan.romDeg,
    kneeOpenDeg,
    upS,
    holdS: plan.holdS,
    downS: plan.downS,
    fatigue: plan.fatigue,
  };
}
