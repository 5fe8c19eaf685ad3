import { createFatigueEstimator, exerciseTargets, fatigueLevelOf, fatigueReached } from './sets.ts';
import type { Exercise, PipelineEvent } from './types.ts';

/**
 * Sets and fatigue: a set opens at its first rep (or `start()`), closes after `restS` without a rep (unless it was
 * opened by hand) or on `end()`. A rep that may be a movement after the set (review.ts `trailingMovement`) does not
 * restart the rest: a repositioning move half way through a short rest would otherwise join the next set to this one;
 * if the set then closes, the review leaves that rep out, and if a rep follows, the rest restarts from it. Per rep the
 * fatigue estimate is updated and emitted with whether the exercise's target level is reached. As a set closes,
 * `review(tS)` (the after-set review) is asked which of the set's reps were no rep (their places in the set, in
 * order); the set's summary leaves them out: its count, its end and the fatigue estimate, taken again over the rest.
 */
export class SetTracker {
  index = -1;
  isOpen = false;
  reps = 0;
  lastRepEndS = Number.NaN;
  /** The end of the last rep that was surely a rep: the rest that closes the set is timed from it. */
  private restFromS = Number.NaN;
  private manual = false;
  private startS = 0;
  private lastFatigue = 0;
  /**
   * Per rep of the open set, in order: its start, end, peak rate and range (the summary leaves out what the review
   * found was no rep).
   */
  private readonly repStarts: number[] = [];
  private readonly repEnds: number[] = [];
  private readonly repRates: number[] = [];
  private readonly repRanges: number[] = [];
  private readonly fatigue = createFatigueEstimator();
  private readonly refatigue = createFatigueEstimator();
  private readonly targetLevel;

  constructor(
    exercise: Exercise,
    private readonly restS: number,
    private readonly events: PipelineEvent[],
    private readonly review: (tS: number) => { noReps: readonly number[] } = () => ({ noReps: [] }),
  ) {
    this.targetLevel = exerciseTargets[exercise].fatigueMin;
  }

  open(tS: number, manual = false): void {
    this.index++;
    this.isOpen = true;
    this.manual = manual;
    this.startS = tS;
    this.reps = 0;
    this.restFromS = Number.NaN;
    this.lastFatigue = 0;
    this.clearReps();
    this.fatigue.reset();
    this.events.push({ type: 'set-start', tS, setIndex: this.index });
  }

  close(tS: number): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    const manual = this.manual;
    this.manual = false;
    const noReps = this.reps > 0 ? this.review(tS).noReps : [];
    let last = this.lastRepEndS;
    let first = this.repStarts[0] ?? Number.NaN;
    let estimate = this.lastFatigue;
    if (noReps.length > 0) {
      // the summary of the reps that were reps: the first one's start, the last one's end, the estimate over them
      last = Number.NaN;
      first = Number.NaN;
      estimate = 0;
      this.refatigue.reset();
      for (let k = 0; k < this.repEnds.length; k++) {
        if (noReps.includes(k)) continue;
        if (Number.isNaN(first)) first = this.repStarts[k]!;
        last = this.repEnds[k]!;
        estimate = this.refatigue.add(this.repRates[k]!, this.repRanges[k]!) ?? estimate;
      }
    }
    // An automatic set starts where its first rep does: it opened at a movement the review may have found was no
    // rep (a fidget in the rest, up to 50 s before the set), and a rep's start is dated back to 5 % of its peak,
    // before the moment it was recognised. A set started by hand keeps that time.
    const startS = manual || Number.isNaN(first) ? this.startS : first;
    const endS = Number.isNaN(last) || last < startS ? tS : last;
    this.events.push({
      type: 'set-end',
      tS,
      set: {
        index: this.index,
        startS,
        endS,
        reps: this.reps - noReps.length,
        fatigueEstimate: estimate,
        fatigueLevel: fatigueLevelOf(estimate),
      },
    });
  }

  /** A rep ended (detected at `tS`); `mayBeMove`: it may be a movement after the set rather than a rep. */
  addRep(tS: number, startS: number, endS: number, peakRateDegPerS: number, rangeDeg: number, mayBeMove = false): void {
    this.reps++;
    // a set's first rep always starts the rest, whatever the caller says: else the set would never close
    if (!mayBeMove || Number.isNaN(this.restFromS)) this.restFromS = endS;
    this.lastRepEndS = endS;
    this.repStarts.push(startS);
    this.repEnds.push(endS);
    this.repRates.push(peakRateDegPerS);
    this.repRanges.push(rangeDeg);
    const f = this.fatigue.add(peakRateDegPerS, rangeDeg);
    if (f === undefined) return;
    this.lastFatigue = f;
    const level = fatigueLevelOf(f);
    this.events.push({
      type: 'fatigue',
      tS,
      setIndex: this.index,
      estimate: f,
      level,
      targetReached: fatigueReached(level, this.targetLevel),
    });
  }

  /** Per sample at rest: close an automatic set after the rest that ends it. */
  rest(tS: number): void {
    if (this.isOpen && !this.manual && tS - this.restFromS > this.restS) this.close(tS);
  }

  reset(): void {
    this.index = -1;
    this.isOpen = false;
    this.manual = false;
    this.reps = 0;
    this.lastRepEndS = Number.NaN;
    this.restFromS = Number.NaN;
    this.lastFatigue = 0;
    this.clearReps();
    this.fatigue.reset();
  }

  private clearReps(): void {
    this.repStarts.length = 0;
    this.repEnds.length = 0;
    this.repRates.length = 0;
    this.repRanges.length = 0;
  }
}
