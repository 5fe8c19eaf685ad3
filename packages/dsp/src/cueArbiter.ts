import { faultPriority } from './thresholds.ts';
import type { CueCode, FaultCode } from './types.ts';

/**
 * One cue at a time, most important first, never nagging (docs/dsp.md § Cues): per rep each fault is cued at most
 * once; the first fault cue of a rep fires at once (latency matters), a later one only `gapS` after the previous cue
 * and only if it is more important or not yet given (held back until then, dropped when the rep ends); a rep
 * without faults ends with `good_rep`.
 */
export class CueArbiter {
  private lastCueS = Number.NEGATIVE_INFINITY;
  /** The rep candidate the mask belongs to (a candidate may turn out to be a fidget). */
  private rep = -1;
  private cuedMask = 0;
  private pending: FaultCode | undefined;

  constructor(
    private readonly gapS: number,
    private readonly emit: (code: CueCode, tS: number) => void,
  ) {}

  /** A fault was detected at `tS` in rep candidate `candidate`. */
  offer(code: FaultCode, tS: number, candidate: number): void {
    if (candidate !== this.rep) {
      this.rep = candidate;
      this.cuedMask = 0;
      this.pending = undefined;
    }
    const bit = 1 << faultPriority.indexOf(code);
    if (this.cuedMask & bit) return;
    if (this.cuedMask === 0 || tS - this.lastCueS >= this.gapS) {
      this.cuedMask |= bit;
      this.fire(code, tS);
    } else if (this.pending === undefined || faultPriority.indexOf(code) < faultPriority.indexOf(this.pending)) {
      this.pending = code;
    }
  }

  /** Every sample of a rep: a held-back cue fires once the gap has passed. */
  tick(tS: number, candidate: number): void {
    const pending = this.pending;
    if (pending !== undefined && tS - this.lastCueS >= this.gapS && candidate === this.rep) {
      this.cuedMask |= 1 << faultPriority.indexOf(pending);
      this.fire(pending, tS);
      this.pending = undefined;
    }
  }

  /** The rep ended at `tS`; `clean` = without faults (positive reinforcement). */
  repEnded(tS: number, clean: boolean): void {
    if (clean && tS - this.lastCueS >= 0) this.fire('good_rep', tS);
    this.pending = undefined;
  }

  reset(): void {
    this.lastCueS = Number.NEGATIVE_INFINITY;
    this.rep = -1;
    this.cuedMask = 0;
    this.pending = undefined;
  }

  private fire(code: CueCode, tS: number): void {
    this.lastCueS = tS;
    this.emit(code, tS);
  }
}
