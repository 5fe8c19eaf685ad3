/** Fixed-size ring of latency samples (ms) with percentiles; no allocation per sample. */
export class LatencyWindow {
  private readonly values: Float64Array;
  private count = 0;
  private next = 0;

  constructor(size = 4096) {
    this.values = new Float64Array(size);
  }

  add(ms: number): void {
    this.values[this.next] = ms;
    this.next = (this.next + 1) % this.values.length;
    if (this.count < this.values.length) this.count++;
  }

  /** p in 0..100 (nearest rank), or undefined when empty. */
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    const sorted = Array.from(this.values.subarray(0, this.count)).sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank];
  }

  clear(): void {
    this.count = 0;
    this.next = 0;
  }
}
