import type { ManualTimers } from '../fake/manualTimers.ts';

export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Advance virtual time until `promise` settles (at most `maxMs`), and return its outcome without throwing.
 * Throws only when it has not settled by then, which is a test failure in its own right.
 */
export async function settle<T>(
  timers: ManualTimers,
  promise: Promise<T>,
  maxMs = 1_000,
  stepMs = 5,
): Promise<Settled<T>> {
  let outcome: Settled<T> | undefined;
  promise.then(
    (value) => {
      outcome = { ok: true, value };
    },
    (error: unknown) => {
      outcome = { ok: false, error };
    },
  );
  for (let t = 0; t <= maxMs && outcome === undefined; t += stepMs) await timers.advance(stepMs);
  if (outcome === undefined) throw new Error(`promise did not settle within ${maxMs} ms of virtual time`);
  return outcome;
}

/** `settle` and return the value, or throw what it rejected with. */
export async function settled<T>(timers: ManualTimers, promise: Promise<T>, maxMs = 1_000): Promise<T> {
  const outcome = await settle(timers, promise, maxMs);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
