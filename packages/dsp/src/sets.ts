import type { Exercise, FatigueLevel } from './types.ts';

/** The article's prescription, as data for the app: 2–3 sets to a target level of fatigue. */
export interface ExerciseTarget {
  sets: { min: number; max: number };
  /** The fatigue level a set should reach; the set is "done" when the estimate reaches `fatigueMin`. */
  fatigue: 'moderate' | 'mild-to-moderate';
  fatigueMin: FatigueLevel;
  /** Discomfort must stay below this (0–10 scale). */
  discomfortBelow: number;
  /** The easier variant to switch to when discomfort reaches `discomfortBelow`. */
  regression: Exercise | null;
}

export const exerciseTargets: Record<Exercise, ExerciseTarget> = {
  'hip-thrust': {
    sets: { min: 2, max: 3 },
    fatigue: 'moderate',
    fatigueMin: 'moderate',
    discomfortBelow: 2,
    regression: 'glute-bridge',
  },
  'glute-bridge': {
    sets: { min: 2, max: 3 },
    fatigue: 'moderate',
    fatigueMin: 'moderate',
    discomfortBelow: 2,
    regression: null,
  },
  clamshell: {
    sets: { min: 2, max: 3 },
    fatigue: 'mild-to-moderate',
    fatigueMin: 'mild',
    discomfortBelow: 2,
    regression: null,
  },
  'side-plank-clamshell': {
    sets: { min: 2, max: 3 },
    fatigue: 'mild-to-moderate',
    fatigueMin: 'mild',
    discomfortBelow: 2,
    regression: 'clamshell',
  },
};

const levelRank: Record<FatigueLevel, number> = { none: 0, mild: 1, moderate: 2, high: 3 };

export function fatigueLevelOf(estimate: number): FatigueLevel {
  if (estimate >= 0.35) return 'high';
  if (estimate >= 0.2) return 'moderate';
  if (estimate >= 0.1) return 'mild';
  return 'none';
}

export function fatigueReached(level: FatigueLevel, target: FatigueLevel): boolean {
  return levelRank[level] >= levelRank[target];
}

/**
 * Fatigue estimate within a set (an estimate, not a measurement): loss of peak angular velocity and of range in the
 * latest reps against the mean of the set's first `baselineReps` reps, averaged, clamped to 0..1.
 */
export function createFatigueEstimator(baselineReps = 3, recentReps = 2) {
  const rates: number[] = [];
  const ranges: number[] = [];
  return {
    add(peakRateDegPerS: number, rangeDeg: number): number | undefined {
      rates.push(peakRateDegPerS);
      ranges.push(rangeDeg);
      if (rates.length <= baselineReps) return undefined;
      const mean = (a: number[], from: number, to: number) =>
        a.slice(from, to).reduce((x, y) => x + y, 0) / (to - from);
      const baseRate = mean(rates, 0, baselineReps);
      const baseRange = mean(ranges, 0, baselineReps);
      const from = Math.max(baselineReps, rates.length - recentReps);
      const rate = mean(rates, from, rates.length);
      const range = mean(ranges, from, ranges.length);
      const vLoss = baseRate > 0 ? 1 - rate / baseRate : 0;
      const rLoss = baseRange > 0 ? 1 - range / baseRange : 0;
      return Math.max(0, Math.min(1, 0.5 * vLoss + 0.5 * rLoss));
    },
    reset() {
      rates.length = 0;
      ranges.length = 0;
    },
  };
}
