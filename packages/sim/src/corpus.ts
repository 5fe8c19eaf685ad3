import { Rng } from './prng.ts';
import {
  EXERCISES,
  FAULTS_BY_EXERCISE,
  type FaultCode,
  type LinkSpec,
  NOISE_LEVELS,
  type SessionSpec,
  SIDES,
} from './types.ts';

/** Probability that a rep of a fault set carries the set's fault (the rest are good reps, for specificity). */
export const CORPUS_FAULT_PROBABILITY = 0.5;

/**
 * The deterministic evaluation corpus: one set per session (calibration hold + one set of 6–15 reps).
 *
 * For every exercise × side × (each fault the exercise can show, and a fault-free set) × noise level, two sets:
 * one over a clean link (MTU 247, no loss) and one over a lossy link (1–8% Gilbert–Elliott loss with bursts of
 * 1.2–4 notifications, MTU 23, 185 or 247 in turn). Then one set per exercise with a 2–5 s disconnect mid-set.
 * 4 exercises with 4, 4, 3 and 4 faults → 19 × 2 sides × 3 noise × 2 links = 228, + 4 = 232 sets.
 * Each spec has its own seed (drawn from `seed`) and a stable id; the same `seed` gives the same list.
 */
export function corpusSpecs(seed = 1): SessionSpec[] {
  const rng = new Rng(seed);
  const specs: SessionSpec[] = [];
  const mtus = [23, 185, 247];
  let lossy = 0;
  const id = (parts: string[]): string => `c${String(specs.length).padStart(3, '0')}-${parts.join('-')}`;
  for (const exercise of EXERCISES) {
    const targets: Array<FaultCode | undefined> = [...FAULTS_BY_EXERCISE[exercise], undefined];
    for (const side of SIDES) {
      for (const fault of targets) {
        for (const noise of NOISE_LEVELS) {
          for (const linkKind of ['clean', 'lossy'] as const) {
            const link: LinkSpec =
              linkKind === 'clean'
                ? { attMtu: 247 }
                : {
                    attMtu: mtus[lossy++ % mtus.length]!,
                    lossRate: rng.uniform(0.01, 0.08),
                    meanBurstLength: rng.uniform(1.2, 4),
                  };
            specs.push({
              id: id([exercise, side, fault ?? 'clean', noise, linkKind]),
              seed: rng.nextU32(),
              exercise,
              side,
              reps: [6, 15],
              ...(fault ? { faults: { [fault]: CORPUS_FAULT_PROBABILITY } } : {}),
              noise,
              link,
            });
          }
        }
      }
    }
  }
  for (const exercise of EXERCISES) {
    const side = rng.pick(SIDES);
    const fault = rng.pick(FAULTS_BY_EXERCISE[exercise]);
    specs.push({
      id: id([exercise, side, fault, 'typical', 'disconnect']),
      seed: rng.nextU32(),
      exercise,
      side,
      reps: [8, 15],
      faults: { [fault]: CORPUS_FAULT_PROBABILITY },
      noise: 'typical',
      link: { attMtu: 247, disconnect: { startS: rng.uniform(8, 12), durationS: rng.uniform(2, 5) } },
    });
  }
  return specs;
}
