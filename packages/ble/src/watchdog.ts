import type { TimerHandle, Timers } from './timers.ts';

/**
 * Fires `onSilent(silentMs)` once when `feed()` has not been called for `timeoutMs`. Feeding is O(1) and sets no
 * timer (it runs at the notification rate); the single timer re-arms itself for the remaining time instead.
 */
export class Watchdog {
  readonly #timers: Timers;
  readonly #timeoutMs: number;
  readonly #onSilent: (silentMs: number) => void;
  #lastFedMs: number;
  #timer: TimerHandle | undefined;

  constructor(timers: Timers, timeoutMs: number, onSilent: (silentMs: number) => void) {
    this.#timers = timers;
    this.#timeoutMs = timeoutMs;
    this.#onSilent = onSilent;
    this.#lastFedMs = timers.now();
    this.#arm(timeoutMs);
  }

  feed(): void {
    this.#lastFedMs = this.#timers.now();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = this.#timers.setTimeout(() => {
      const silentMs = this.#timers.now() - this.#lastFedMs;
      if (silentMs >= this.#timeoutMs) {
        this.#timer = undefined;
        this.#onSilent(silentMs);
      } else {
        this.#arm(this.#timeoutMs - silentMs);
      }
    }, delayMs);
  }
}
