import type { Exercise, FatigueLevel } from '@hipcue/messages';

/** What the patient reads on the Choose screen. Written for hipcue; the prescription follows the seed article. */
export interface ExerciseGuide {
  exercise: Exercise;
  title: string;
  setup: string;
  feel: string;
  avoid: string;
  targetSets: string;
  targetFatigue: FatigueLevel;
  fatigueText: string;
  /** The easier version to switch to when it hurts (≥ 2/10), if there is one. */
  regression: Exercise | null;
}

export const EXERCISE_GUIDES: Record<Exercise, ExerciseGuide> = {
  'hip-thrust': {
    exercise: 'hip-thrust',
    title: 'Single-leg hip thrust',
    setup: 'Shoulder blades on a sofa or bench, one foot flat on the floor, the other leg lifted.',
    feel: 'Tighten your tummy, then squeeze the buttock of the standing leg to drive your hips up. You should feel it in the buttock.',
    avoid: 'Arching your lower back at the top, and letting the hip on the lifted-leg side drop or twist.',
    targetSets: '2–3 sets',
    targetFatigue: 'moderate',
    fatigueText: 'Stop each set when your buttock feels moderately tired.',
    regression: 'glute-bridge',
  },
  'glute-bridge': {
    exercise: 'glute-bridge',
    title: 'Single-leg glute bridge (on the floor)',
    setup: 'Lie on your back, one knee bent with the foot flat, the other leg lifted.',
    feel: 'Push through the heel and lift your hips by squeezing the buttock. Your back stays quiet.',
    avoid: 'Pushing your belly up by arching the back, and letting the pelvis tip to one side.',
    targetSets: '2–3 sets',
    targetFatigue: 'moderate',
    fatigueText: 'Stop each set when your buttock feels moderately tired.',
    regression: null,
  },
  clamshell: {
    exercise: 'clamshell',
    title: 'Clamshell with a band',
    setup: 'Lie on your side, knees bent, band just above the knees, heels together.',
    feel: 'Open the top knee like a shell against the band. The work is at the side and back of the hip.',
    avoid: 'Rolling your pelvis backwards as the knee opens. Only the knee moves; the pelvis stays stacked.',
    targetSets: '2–3 sets on each side',
    targetFatigue: 'mild',
    fatigueText: 'Stop each set at mild to moderate tiredness in the side of the hip.',
    regression: null,
  },
  'side-plank-clamshell': {
    exercise: 'side-plank-clamshell',
    title: 'Side-plank clamshell',
    setup: 'On your side, propped on your elbow and knees, band above the knees.',
    feel: 'Lift your hips into a short side plank while opening the top knee, then lower with control.',
    avoid: 'Letting the hips sag toward the floor, and rolling the pelvis back.',
    targetSets: '2–3 sets on each side',
    targetFatigue: 'mild',
    fatigueText: 'Stop each set at mild to moderate tiredness in the side of the hip.',
    regression: 'clamshell',
  },
};

/** Order the exercises appear on the Choose screen: each progression followed by its regression. */
export const PROGRAM: readonly Exercise[] = ['hip-thrust', 'glute-bridge', 'side-plank-clamshell', 'clamshell'];

export function exerciseTitle(e: Exercise): string {
  return EXERCISE_GUIDES[e].title;
}
