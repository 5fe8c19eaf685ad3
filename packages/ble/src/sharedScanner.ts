import type { Advertisement, CallOptions, Central, ScanFilter } from './central.ts';
import { CentralError } from './centralError.ts';
import { guardedCall } from './guardedCall.ts';
import { type Logger, silentLogger } from './logger.ts';
import { matchesFilter } from './scanFilter.ts';
import { systemTimers, type TimerHandle, type Timers } from './timers.ts';
import { normalizeUuid } from './uuid.ts';

interface Waiter {
  readonly filter: ScanFilter;
  readonly accept: (ad: Advertisement) => boolean;
  readonly resolve: (ad: Advertisement) => void;
}

/**
 * One scan shared by several sensor connections (a central has one radio and one scan filter): the scan runs
 * while anyone waits, with the union of their service UUIDs, and is re-issued every `rescanMs` because host
 * stacks stop scanning to connect.
 */
export class SharedScanner {
  readonly #central: Central;
  readonly #timers: Timers;
  readonly #logger: Logger;
  readonly #rescanMs: number;
  readonly #waiters = new Set<Waiter>();
  #rescan: TimerHandle | undefined;
  #off: (() => void) | undefined;

  constructor(central: Central, options: { timers?: Timers; logger?: Logger; rescanMs?: number } = {}) {
    this.#central = central;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#rescanMs = options.rescanMs ?? 2_000;
  }

  /** Resolve with the first advertisement matching `filter` that `accept` takes. Default timeout 10 s. */
  find(filter: ScanFilter, accept: (ad: Advertisement) => boolean, options: CallOptions = {}): Promise<Advertisement> {
    let waiter: Waiter | undefined;
    return guardedCall(
      () =>
        new Promise<Advertisement>((resolve) => {
          waiter = { filter, accept, resolve };
          this.#waiters.add(waiter);
          this.#ensureScanning();
        }),
      { timers: this.#timers, timeoutMs: options.timeoutMs ?? 10_000, operation: 'scan', signal: options.signal },
    ).finally(() => {
      if (waiter !== undefined) this.#waiters.delete(waiter);
      if (this.#waiters.size === 0) this.#stop();
    });
  }

  #ensureScanning(): void {
    if (this.#off === undefined) {
      this.#off = this.#central.on('discover', (ad) => {
        for (const w of [...this.#waiters]) {
          if (matchesFilter(ad, w.filter) && w.accept(ad)) {
            this.#waiters.delete(w);
            w.resolve(ad);
            return;
          }
        }
      });
    }
    this.#startScan();
  }

  #startScan(): void {
    if (this.#rescan !== undefined) this.#timers.clearTimeout(this.#rescan);
    const services = new Set<string>();
    let anyService = false;
    for (const w of this.#waiters) {
      const uuids = w.filter.serviceUuids ?? [];
      if (uuids.length === 0) anyService = true;
      for (const u of uuids) services.add(normalizeUuid(u));
    }
    const filter: ScanFilter = anyService
      ? { allowDuplicates: true }
      : { serviceUuids: [...services], allowDuplicates: true };
    this.#central.startScan(filter).catch((error: unknown) => {
      this.#logger.warn('scan did not start', { error: error instanceof CentralError ? error.message : String(error) });
    });
    this.#rescan = this.#timers.setTimeout(() => {
      if (this.#waiters.size > 0) this.#startScan();
    }, this.#rescanMs);
  }

  #stop(): void {
    if (this.#rescan !== undefined) this.#timers.clearTimeout(this.#rescan);
    this.#rescan = undefined;
    this.#off?.();
    this.#off = undefined;
    void this.#central.stopScan();
  }
}
