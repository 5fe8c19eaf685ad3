/**
 * Received vs lost samples over a sliding window of whole seconds of sample time, for the sensor's loss %
 * and rate. Constant memory.
 */
export class LossMeter {
  private readonly received: Float64Array;
  private readonly lost: Float64Array;
  private readonly second: Float64Array;

  constructor(private readonly windowS = 10) {
    this.received = new Float64Array(windowS);
    this.lost = new Float64Array(windowS);
    this.second = new Float64Array(windowS).fill(-1);
  }

  private bucket(tS: number): number {
    const s = Math.floor(tS);
    const i = ((s % this.windowS) + this.windowS) % this.windowS;
    if (this.second[i] !== s) {
      this.second[i] = s;
      this.received[i] = 0;
      this.lost[i] = 0;
    }
    return i;
  }

  addReceived(tS: number, n: number): void {
    this.received[this.bucket(tS)]! += n;
  }

  addLost(tS: number, n: number): void {
    this.lost[this.bucket(tS)]! += n;
  }

  /** Lost / (received + lost) over the window ending at `nowS`, percent. */
  lossPct(nowS: number): number {
    let r = 0;
    let l = 0;
    const newest = Math.floor(nowS);
    for (let i = 0; i < this.windowS; i++) {
      const s = this.second[i]!;
      if (s > newest - this.windowS && s <= newest) {
        r += this.received[i]!;
        l += this.lost[i]!;
      }
    }
    return r + l === 0 ? 0 : (100 * l) / (r + l);
  }

  /** Samples per second received over the complete seconds of the window. */
  rateHz(nowS: number): number {
    let r = 0;
    let n = 0;
    const newest = Math.floor(nowS);
    for (let i = 0; i < this.windowS; i++) {
      const s = this.second[i]!;
      if (s > newest - this.windowS && s < newest) {
        r += this.received[i]!;
        n++;
      }
    }
    return n === 0 ? 0 : r / n;
  }
}
