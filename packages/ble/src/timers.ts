/**
 * Time as an argument: every timeout, watchdog and backoff in this package goes through a `Timers`, so tests run
 * on a `ManualTimers` (src/fake/manualTimers.ts) and never wait for the wall clock.
 */
export type TimerHandle = { readonly __timer: unique symbol } | object;

export interface Timers {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The process's own clock and timers. */
export const systemTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
