import type { Vec3 } from '@hipcue/firmware-protocol';

export interface HistoryEntry {
  /** uint16 sequence number as sent. */
  readonly seq: number;
  /** uint32 sensor time, µs. */
  readonly sensorTimeUs: number;
  readonly sample: { readonly accMps2: Vec3; readonly gyrRadPerS: Vec3 };
}

/**
 * The sensor's ring buffer of recent samples (issue 8): a fixed number of entries, oldest overwritten first.
 * PROTOCOL.md sizes it at 2048 samples (32 KiB of 16-byte records): 20.48 s at 100 Hz, 10.24 s at 200 Hz.
 */
export class SampleHistory {
  #entries: (HistoryEntry | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#entries = new Array(Math.max(0, capacity));
  }

  get capacity(): number {
    return this.#entries.length;
  }

  get size(): number {
    return this.#size;
  }

  /** Sequence number of the oldest buffered sample, if any. */
  get oldestSeq(): number | undefined {
    return this.#at(0)?.seq;
  }

  push(entry: HistoryEntry): void {
    if (this.#entries.length === 0) return;
    this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#entries.length;
    this.#size = Math.min(this.#size + 1, this.#entries.length);
  }

  clear(capacity = this.#entries.length): void {
    this.#entries = new Array(Math.max(0, capacity));
    this.#next = 0;
    this.#size = 0;
  }

  /**
   * The buffered samples a `resendFrom(seq, count)` asks for (PROTOCOL.md § Backfill): `seq` is resolved against the
   * buffer by its uint16 offset from the oldest entry — below `size` is inside, ≥ 32768 is older than the oldest
   * (the wanted range is then cut to what is still buffered), anything else is newer than the newest (nothing).
   * `count` 0 means up to the newest.
   */
  select(seq: number, count: number): HistoryEntry[] {
    const oldest = this.#at(0);
    if (oldest === undefined) return [];
    const offset = (seq - oldest.seq + 0x10000) & 0xffff;
    let first: number;
    let wanted = count === 0 ? Number.POSITIVE_INFINITY : count;
    if (offset < this.#size) first = offset;
    else if (offset >= 0x8000) {
      first = 0;
      wanted -= 0x10000 - offset; // the part older than the buffer is gone
    } else return [];
    const end = Math.min(this.#size, first + Math.max(0, wanted));
    const out: HistoryEntry[] = [];
    for (let i = first; i < end; i++) out.push(this.#at(i)!);
    return out;
  }

  #at(i: number): HistoryEntry | undefined {
    if (i < 0 || i >= this.#size) return undefined;
    const start = (this.#next - this.#size + this.#entries.length) % this.#entries.length;
    return this.#entries[(start + i) % this.#entries.length];
  }
}
