import type { TimerHandle, Timers } from '../timers.ts';

interface Entry {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/**
 * Let pending work settle: promise chains, and `process.nextTick` callbacks (noble defers its start with one),
 * which a loop of `await Promise.resolve()` would starve. Two macrotask turns are enough for what we drive.
 */
export async function flushMicrotasks(turns = 2): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A virtual clock for deterministic tests: time moves only in `advance()`, which fires due timers in order
 * (ties by creation) and lets promise reactions settle between them.
 */
export class ManualTimers implements Timers {
  #nowMs = 0;
  #nextId = 1;
  readonly #entries = new Map<number, Entry>();

  now(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#entries.set(id, { id, dueMs: this.#nowMs + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.#entries.delete((handle as { id: number }).id);
  }

  /** Number of timers waiting. */
  get pendingCount(): number {
    return this.#entries.size;
  }

  /** Advance the clock by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const endMs = this.#nowMs + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.#nextDue();
      if (next === undefined || next.dueMs > endMs) break;
      this.#entries.delete(next.id);
      this.#nowMs = next.dueMs;
      next.callback();
      await flushMicrotasks();
    }
    this.#nowMs = endMs;
    await flushMicrotasks();
  }

  /** Advance in steps until `predicate` holds or `maxMs` passed; returns whether it held. */
  async advanceUntil(predicate: () => boolean, maxMs: number, stepMs = 1): Promise<boolean> {
    for (let t = 0; t <= maxMs; t += stepMs) {
      if (predicate()) return true;
      await this.advance(stepMs);
    }
    return predicate();
  }

  #nextDue(): Entry | undefined {
    let best: Entry | undefined;
    for (const entry of this.#entries.values()) {
      if (best === undefined || entry.dueMs < best.dueMs || (entry.dueMs === best.dueMs && entry.id < best.id)) {
        best = entry;
      }
    }
    return best;
  }
}
