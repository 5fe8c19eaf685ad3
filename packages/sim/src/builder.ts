import { CHANNEL_COUNT } from './body.ts';
import type { Piece } from './profile.ts';

/** Collects the motion pieces of a session script, per channel. */
export class Builder {
  readonly pieces: Piece[][] = Array.from({ length: CHANNEL_COUNT }, () => []);
  /** The angular faults' own ramps (rad), summed into one profile: the true deviation over time. */
  readonly faultPieces: Piece[] = [];
  readonly kneePieces: Piece[] = [];
  faultRamp(ch: number, t0: number, t1: number, delta: number): void {
    this.ramp(ch, t0, t1, delta);
    this.faultPieces.push({ type: 'ramp', t0, t1, delta });
  }
  ramp(ch: number, t0: number, t1: number, delta: number): void {
    if (delta === 0) return;
    if (!(t1 > t0)) throw new RangeError(`ramp on channel ${ch} has t1 ${t1} <= t0 ${t0}`);
    this.pieces[ch]!.push({ type: 'ramp', t0, t1, delta });
  }
  burst(ch: number, t0: number, t1: number, amp: number, freqHz: number, phase: number): void {
    if (t1 - t0 < 0.05) return;
    this.pieces[ch]!.push({ type: 'burst', t0, t1, amp, freqHz, phase });
  }
  /** Out by delta over [t0, t0+d], back over [t1-d, t1]. */
  excursion(ch: number, t0: number, t1: number, d: number, delta: number): void {
    this.ramp(ch, t0, t0 + d, delta);
    this.ramp(ch, t1 - d, t1, -delta);
  }
}
