import { CentralError } from './centralError.ts';
import type { Timers } from './timers.ts';

/** Rejecters of the calls in flight on one link, so a disconnect can fail them all at once. */
export type PendingCalls = Set<(error: CentralError) => void>;

export interface GuardOptions {
  readonly timers: Timers;
  readonly timeoutMs: number;
  readonly operation: string;
  readonly peripheralId?: string;
  readonly signal?: AbortSignal | undefined;
  /** Calls in flight on the link; the guard registers itself so a link loss rejects it with `disconnected`. */
  readonly pending?: PendingCalls;
  /** Called once when the guard gives up (timeout/abort/disconnect), e.g. to cancel a pending connect. */
  readonly onGiveUp?: (error: CentralError) => void;
}

/**
 * Run `start` and settle with its result, unless the timeout, the abort signal or a link loss comes first.
 * `start` may resolve or reject later; that late outcome is ignored. Non-CentralError rejections become `gatt`.
 */
export function guardedCall<T>(start: () => Promise<T>, options: GuardOptions): Promise<T> {
  const { timers, timeoutMs, operation, peripheralId, signal, pending, onGiveUp } = options;
  const details = peripheralId === undefined ? { operation } : { operation, peripheralId };
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (): void => {
      settled = true;
      timers.clearTimeout(timer);
      pending?.delete(fail);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: CentralError): void => {
      if (settled) return;
      finish();
      onGiveUp?.(error);
      reject(error);
    };
    const onAbort = (): void =>
      fail(new CentralError('aborted', `${operation} aborted`, { ...details, cause: signal?.reason }));
    const timer = timers.setTimeout(
      () => fail(new CentralError('timeout', `${operation} timed out after ${timeoutMs} ms`, details)),
      timeoutMs,
    );
    pending?.add(fail);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    let started: Promise<T>;
    try {
      started = start();
    } catch (error) {
      started = Promise.reject(error);
    }
    started.then(
      (value) => {
        if (settled) return;
        finish();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        finish();
        reject(
          error instanceof CentralError
            ? error
            : new CentralError('gatt', `${operation} failed: ${errorText(error)}`, { ...details, cause: error }),
        );
      },
    );
  });
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
