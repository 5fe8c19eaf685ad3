import type { Rng } from './prng.ts';
import type { Exercise } from './types.ts';

/**
 * How one simulated person does one exercise. Every field is drawn from the seed within the ranges of
 * `PERSON_RANGES` (README § People vary).
 */
export interface Person {
  /** Full range (deg): pelvis tilt for thrust/bridge, pelvis lift for side plank, knee opening for clamshell. */
  romDeg: number;
  /** Knee opening at full range (deg), clamshells only (0 otherwise). */
  kneeOpenDeg: number;
  /** Pelvis roll-back that accompanies a full, well-done knee opening (deg), clamshells only. */
  counterRollDeg: number;
  upS: number;
  holdS: number;
  downS: number;
  restS: number;
  /** Per-rep probabilities of a hesitation (pause mid-concentric) and of a fidget during the rest. */
  hesitationP: number;
  fidgetP: number;
}

type Range = readonly [number, number];

export interface PersonRanges {
  romDeg: Range;
  kneeOpenDeg: Range;
  counterRollDeg: Range;
  upS: Range;
  holdS: Range;
  downS: Range;
  restS: Range;
}

export const PERSON_RANGES: Readonly<Record<Exercise, PersonRanges>> = {
  'hip-thrust': {
    romDeg: [30, 45],
    kneeOpenDeg: [0, 0],
    counterRollDeg: [0, 0],
    upS: [0.9, 1.6],
    holdS: [0.8, 2.0],
    downS: [1.0, 2.0],
    restS: [0.4, 1.5],
  },
  'glute-bridge': {
    romDeg: [20, 30],
    kneeOpenDeg: [0, 0],
    counterRollDeg: [0, 0],
    upS: [0.9, 1.6],
    holdS: [0.8, 2.0],
    downS: [1.0, 2.0],
    restS: [0.4, 1.5],
  },
  clamshell: {
    romDeg: [30, 50],
    kneeOpenDeg: [30, 50],
    counterRollDeg: [1, 4],
    upS: [0.8, 1.4],
    holdS: [0.3, 1.2],
    downS: [0.9, 1.6],
    restS: [0.2, 1.0],
  },
  'side-plank-clamshell': {
    romDeg: [15, 25],
    kneeOpenDeg: [25, 45],
    counterRollDeg: [1, 4],
    upS: [1.0, 1.8],
    holdS: [1.0, 3.0],
    downS: [1.1, 2.0],
    restS: [1.0, 2.5],
  },
};

export function drawPerson(exercise: Exercise, rng: Rng): Person {
  const r = PERSON_RANGES[exercise];
  const u = (x: Range): number => rng.uniform(x[0], x[1]);
  const romDeg = u(r.romDeg);
  const kneeOpenDeg = exercise === 'clamshell' ? romDeg : u(r.kneeOpenDeg);
  return {
    romDeg,
    kneeOpenDeg,
    counterRollDeg: u(r.counterRollDeg),
    upS: u(r.upS),
    holdS: u(r.holdS),
    downS: u(r.downS),
    restS: u(r.restS),
    hesitationP: rng.uniform(0.03, 0.12),
    fidgetP: rng.uniform(0.05, 0.2),
  };
}
