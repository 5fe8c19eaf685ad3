import type { RecordingSink } from './ChunkedMcapWriter.ts';

/** A sink that keeps the bytes in memory: for tests, the browser, and building a recording to send elsewhere. */
export class MemorySink implements RecordingSink {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  async write(buffer: Uint8Array): Promise<void> {
    this.#parts.push(buffer.slice());
    this.#length += buffer.length;
  }

  position(): bigint {
    return BigInt(this.#length);
  }

  /** Everything written so far, as one array. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const part of this.#parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
