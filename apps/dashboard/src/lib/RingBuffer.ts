/**
 * Fixed-capacity ring buffer of time-stamped multi-channel samples, in typed arrays.
 * Chart data flows gateway → RingBuffer → uPlot through refs; nothing here touches React state.
 * `push` allocates nothing; `ordered` copies into preallocated views for uPlot, oldest first.
 */
export class RingBuffer {
  readonly capacity: number;
  readonly channels: number;
  private readonly tS: Float64Array;
  private readonly data: Float64Array[];
  private head = 0; // next write index
  private count = 0;
  private readonly outT: Float64Array;
  private readonly outData: Float64Array[];

  constructor(capacity: number, channels: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(channels) || channels < 1)
      throw new RangeError(`channels must be a positive integer, got ${channels}`);
    this.capacity = capacity;
    this.channels = channels;
    this.tS = new Float64Array(capacity);
    this.data = Array.from({ length: channels }, () => new Float64Array(capacity));
    this.outT = new Float64Array(capacity);
    this.outData = Array.from({ length: channels }, () => new Float64Array(capacity));
  }

  get length(): number {
    return this.count;
  }

  /** Appends one sample; `values[i]` goes to channel i (missing values become NaN = gap in the plot). */
  push(tS: number, values: ArrayLike<number>): void {
    const i = this.head;
    this.tS[i] = tS;
    for (let c = 0; c < this.channels; c++) {
      const v = values[c];
      this.data[c]![i] = v === undefined ? Number.NaN : v;
    }
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.count < this.capacity) this.count++;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** Time of the newest sample, or NaN when empty. */
  lastTimeS(): number {
    if (this.count === 0) return Number.NaN;
    return this.tS[(this.head - 1 + this.capacity) % this.capacity]!;
  }

  /**
   * The samples with t ≥ sinceS, oldest first, as views into buffers owned by this ring
   * (valid until the next call). Index 0 is time, 1..channels the channels.
   */
  ordered(sinceS = Number.NEGATIVE_INFINITY): Float64Array[] {
    const start = (this.head - this.count + this.capacity) % this.capacity;
    // Skip samples older than sinceS; times are monotonic in a live stream.
    let skip = 0;
    while (skip < this.count && this.tS[(start + skip) % this.capacity]! < sinceS) skip++;
    const n = this.count - skip;
    const from = (start + skip) % this.capacity;
    const firstLen = Math.min(n, this.capacity - from);
    this.outT.set(this.tS.subarray(from, from + firstLen), 0);
    this.outT.set(this.tS.subarray(0, n - firstLen), firstLen);
    for (let c = 0; c < this.channels; c++) {
      const src = this.data[c]!;
      const dst = this.outData[c]!;
      dst.set(src.subarray(from, from + firstLen), 0);
      dst.set(src.subarray(0, n - firstLen), firstLen);
    }
    const out: Float64Array[] = [this.outT.subarray(0, n)];
    for (let c = 0; c < this.channels; c++) out.push(this.outData[c]!.subarray(0, n));
    return out;
  }
}
