/**
 * Token bucket rate limiter: `capacity` messages in a burst, refilled at `ratePerS`. Time is passed in
 * (ms), so tests are deterministic.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly capacity: number,
    readonly ratePerS: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs;
  }

  /** Takes one token if available. */
  take(nowMs: number): boolean {
    const elapsedS = Math.max(0, nowMs - this.lastMs) / 1000;
    this.lastMs = nowMs;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedS * this.ratePerS);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
