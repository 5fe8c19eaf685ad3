import type { Exercise } from '@hipcue/messages';
import { EXERCISE_GUIDES, exerciseTitle } from './exercises';

/** Seed article: "Both exercises should have discomfort levels below 2/10." */
export const DISCOMFORT_LIMIT = 2;
/** Ratings at or above the limit, within one session, after which we advise stopping. */
export const REPEATED_HIGH_COUNT = 2;
/** A single rating this high is a reason to stop at once. */
export const STOP_AT_ONCE = 6;

export type DiscomfortAdvice =
  | { kind: 'ok'; text: string }
  | { kind: 'regress'; regressTo: Exercise; text: string }
  | { kind: 'ease'; text: string }
  | { kind: 'stop'; text: string };

/**
 * What to tell the patient after a discomfort rating.
 * `ratings`: this session's ratings in order, the newest last; `exercise`: what they are doing now.
 */
export function discomfortAdvice(exercise: Exercise, ratings: readonly number[]): DiscomfortAdvice {
  const latest = ratings.at(-1);
  if (latest === undefined || latest < DISCOMFORT_LIMIT) {
    return { kind: 'ok', text: 'Good — discomfort stayed below 2 out of 10. Carry on as planned.' };
  }
  const highCount = ratings.filter((r) => r >= DISCOMFORT_LIMIT).length;
  if (latest >= STOP_AT_ONCE || highCount >= REPEATED_HIGH_COUNT) {
    return {
      kind: 'stop',
      text:
        `Discomfort has been ${DISCOMFORT_LIMIT}/10 or more ${highCount === 1 ? 'and high' : `${highCount} times`} today. ` +
        'Please stop for today and contact your therapist before the next session.',
    };
  }
  const regressTo = EXERCISE_GUIDES[exercise].regression;
  if (regressTo) {
    return {
      kind: 'regress',
      regressTo,
      text: `That is more than it should be (aim for below 2/10). Switch to the easier version: ${exerciseTitle(regressTo)}.`,
    };
  }
  return {
    kind: 'ease',
    text: 'That is more than it should be (aim for below 2/10). Rest longer, use a smaller range or a lighter band for the next set.',
  };
}
