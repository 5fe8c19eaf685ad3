import type {
  AdapterState,
  Advertisement,
  CallOptions,
  Central,
  CentralEvents,
  ClockUs,
  Connection,
  ConnectOptions,
  ScanFilter,
} from '../central.ts';
import { CentralError } from '../centralError.ts';
import { Emitter } from '../emitter.ts';
import { guardedCall, type PendingCalls } from '../guardedCall.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { matchesFilter } from '../scanFilter.ts';
import { systemTimers, type Timers } from '../timers.ts';
import { normalizeAddress, normalizeUuid } from '../uuid.ts';
import { type LoadedNoble, loadNoble, type NobleDriver } from './loadNoble.ts';
import { NobleConnection } from './nobleConnection.ts';
import { adviceFor, describeFilter, toAdapterState, toAdvertisement, toNobleParameters } from './nobleMapping.ts';
import type { NobleBindings, NobleLike, NoblePeripheral } from './nobleTypes.ts';

export interface NobleCentralOptions {
  /** Default 'stoprocent'. */
  readonly driver?: NobleDriver;
  /** A custom bindings object (tests: fake bindings; or any transport noble accepts). Default: the platform's. */
  readonly bindings?: NobleBindings;
  readonly timers?: Timers;
  readonly clockUs?: ClockUs;
  readonly logger?: Logger;
  /** How long a not-poweredOn state must persist before `waitForPoweredOn` gives up with `adapter-unavailable`. */
  readonly adapterSettleMs?: number;
}

/**
 * Load noble (lazily) and wrap it as a `Central`. Never throws: without Bluetooth the central reports state
 * `unsupported` and `waitForPoweredOn()` rejects with `adapter-unavailable` and a message saying what to do.
 */
export async function createNobleCentral(options: NobleCentralOptions = {}): Promise<Central> {
  const driver = options.driver ?? 'stoprocent';
  return new NobleCentral(driver, await loadNoble(driver, options.bindings), options);
}

const DEFAULT_POWER_MS = 10_000;
const DEFAULT_CONNECT_MS = 10_000;
const DEFAULT_FIND_MS = 10_000;
const SCAN_CALL_MS = 5_000;
const MTU_WAIT_MS = 500;

class NobleCentral implements Central {
  readonly driver: string;
  readonly #noble: NobleLike | undefined;
  readonly #loadError: string | undefined;
  readonly #timers: Timers;
  readonly #clockUs: ClockUs;
  readonly #logger: Logger;
  readonly #settleMs: number;
  readonly #emitter: Emitter<CentralEvents>;
  readonly #peripherals = new Map<string, NoblePeripheral>();
  readonly #connections = new Map<string, NobleConnection>();
  readonly #detach: (() => void)[] = [];
  /** Scans, connects and waits in flight, so close() can abort them. */
  readonly #pending: PendingCalls = new Set();
  /** Per peripheral: the guard against a connect that completes after we cancelled it. */
  readonly #lateConnectGuards = new Map<NoblePeripheral, () => void>();
  #state: AdapterState = 'unknown';
  #filter: ScanFilter = {};
  #closed = false;

  constructor(driver: NobleDriver, loaded: LoadedNoble, options: NobleCentralOptions) {
    this.driver = `noble:${driver}`;
    this.#timers = options.timers ?? systemTimers;
    this.#clockUs = options.clockUs ?? (() => Math.round(this.#timers.now() * 1000));
    this.#logger = options.logger ?? silentLogger;
    this.#settleMs = options.adapterSettleMs ?? 1_000;
    this.#emitter = new Emitter(this.#logger);
    if (!loaded.ok) {
      this.#loadError = loaded.message;
      this.#state = 'unsupported';
      return;
    }
    const noble = loaded.noble;
    this.#noble = noble;
    this.#listen(noble, 'stateChange', (state: string) => {
      this.#state = toAdapterState(state);
      this.#emitter.emit('stateChange', this.#state);
    });
    this.#listen(noble, 'discover', (peripheral: NoblePeripheral) => this.#onDiscover(peripheral));
    this.#listen(noble, 'warning', (message: string) => this.#logger.warn(`noble: ${message}`));
  }

  get state(): AdapterState {
    return this.#state;
  }

  on<K extends keyof CentralEvents>(event: K, listener: CentralEvents[K]): () => void {
    return this.#emitter.on(event, listener);
  }

  waitForPoweredOn(options?: CallOptions): Promise<void> {
    if (this.#loadError !== undefined) return Promise.reject(this.#unavailable(this.#loadError));
    if (this.#state === 'poweredOn') return Promise.resolve();
    let off: (() => void) | undefined;
    let settle: ReturnType<Timers['setTimeout']> | undefined;
    const cleanup = (): void => {
      off?.();
      if (settle !== undefined) this.#timers.clearTimeout(settle);
    };
    return guardedCall(
      () =>
        new Promise<void>((resolve, reject) => {
          const check = (state: AdapterState): void => {
            if (settle !== undefined) this.#timers.clearTimeout(settle);
            settle = undefined;
            if (state === 'poweredOn') resolve();
            else if (state !== 'unknown' && state !== 'resetting') {
              settle = this.#timers.setTimeout(
                () => reject(this.#unavailable(`Bluetooth adapter is ${state}: ${adviceFor(state)}`)),
                this.#settleMs,
              );
            }
          };
          off = this.on('stateChange', check);
          check(this.#state);
        }),
      {
        pending: this.#pending,
        timers: this.#timers,
        timeoutMs: options?.timeoutMs ?? DEFAULT_POWER_MS,
        operation: 'waitForPoweredOn',
        signal: options?.signal,
      },
    ).finally(cleanup);
  }

  async startScan(filter: ScanFilter = {}): Promise<void> {
    const noble = this.#requirePoweredOn('startScan');
    this.#filter = filter;
    const serviceUuids = (filter.serviceUuids ?? []).map(normalizeUuid);
    await guardedCall(
      () =>
        new Promise<void>((resolve, reject) =>
          noble.startScanning(serviceUuids, filter.allowDuplicates ?? false, (error) =>
            error ? reject(this.#unavailable(`startScan: ${error.message}`)) : resolve(),
          ),
        ),
      { pending: this.#pending, timers: this.#timers, timeoutMs: SCAN_CALL_MS, operation: 'startScan' },
    );
  }

  async stopScan(): Promise<void> {
    const noble = this.#noble;
    if (noble === undefined || this.#state !== 'poweredOn') return;
    try {
      await guardedCall(() => new Promise<void>((resolve) => noble.stopScanning(() => resolve())), {
        timers: this.#timers,
        timeoutMs: SCAN_CALL_MS,
        operation: 'stopScan',
      });
    } catch (error) {
      this.#logger.warn('stopScan did not confirm', { error: String(error) });
    }
  }

  async find(filter: ScanFilter, options?: CallOptions): Promise<Advertisement> {
    this.#requirePoweredOn('find');
    let off: (() => void) | undefined;
    try {
      return await guardedCall(
        () =>
          new Promise<Advertisement>((resolve, reject) => {
            off = this.on('discover', (advertisement) => {
              if (matchesFilter(advertisement, filter)) resolve(advertisement);
            });
            this.startScan({ ...filter, allowDuplicates: true }).catch(reject);
          }),
        {
          pending: this.#pending,
          timers: this.#timers,
          timeoutMs: options?.timeoutMs ?? DEFAULT_FIND_MS,
          operation: `find ${describeFilter(filter)}`,
          signal: options?.signal,
        },
      );
    } finally {
      off?.();
      await this.stopScan();
    }
  }

  async connect(id: string, options?: ConnectOptions): Promise<Connection> {
    this.#requirePoweredOn('connect');
    const peripheral = this.#lookup(id);
    if (peripheral === undefined) {
      throw new CentralError('not-found', `connect: peripheral ${id} was not discovered by this central`, {
        peripheralId: id,
        operation: 'connect',
      });
    }
    const existing = this.#connections.get(peripheral.id);
    if (existing?.connected) return existing;
    this.#lateConnectGuards.get(peripheral)?.();
    await guardedCall(
      () =>
        new Promise<void>((resolve, reject) =>
          peripheral.connect(toNobleParameters(options?.parameters), (error) => (error ? reject(error) : resolve())),
        ),
      {
        pending: this.#pending,
        timers: this.#timers,
        timeoutMs: options?.timeoutMs ?? DEFAULT_CONNECT_MS,
        operation: 'connect',
        peripheralId: peripheral.id,
        signal: options?.signal,
        onGiveUp: () => this.#cancelConnect(peripheral),
      },
    );
    await this.#awaitMtu(peripheral);
    const connection = new NobleConnection(peripheral, {
      timers: this.#timers,
      clockUs: this.#clockUs,
      logger: this.#logger,
      forward: {
        notification: (n) => this.#emitter.emit('notification', n),
        disconnect: (info) => {
          if (this.#connections.get(info.id) === connection) this.#connections.delete(info.id);
          this.#emitter.emit('disconnect', info);
        },
      },
    });
    this.#connections.set(peripheral.id, connection);
    return connection;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const aborted = new CentralError('aborted', 'central closed');
    for (const fail of [...this.#pending]) fail(aborted);
    await this.stopScan();
    await Promise.all([...this.#connections.values()].map((c) => c.disconnect({ timeoutMs: 1_000 })));
    for (const detach of this.#detach) detach();
    this.#noble?.stop?.();
  }

  /**
   * Cancel a pending connect. The controller may still complete it (the cancel raced the connection): then the
   * link is taken down at once instead of leaking, until the next connect() to this peripheral removes the guard.
   */
  #cancelConnect(peripheral: NoblePeripheral): void {
    peripheral.cancelConnect();
    const onLateConnect = (error?: unknown): void => {
      remove();
      if (!error) peripheral.disconnect();
    };
    const remove = (): void => {
      peripheral.removeListener('connect', onLateConnect as (...args: never[]) => void);
      this.#lateConnectGuards.delete(peripheral);
    };
    peripheral.once('connect', onLateConnect as (...args: never[]) => void);
    this.#lateConnectGuards.set(peripheral, remove);
  }

  /** noble's HCI driver exchanges the MTU right after the link is up; give it a moment so `mtu` is final. */
  async #awaitMtu(peripheral: NoblePeripheral): Promise<void> {
    if (typeof peripheral.mtu === 'number' && peripheral.mtu > 23) return;
    let off: (() => void) | undefined;
    try {
      await guardedCall(
        () =>
          new Promise<void>((resolve) => {
            const onMtu = (): void => resolve();
            peripheral.once('mtu', onMtu);
            off = () => peripheral.removeListener('mtu', onMtu);
          }),
        { timers: this.#timers, timeoutMs: MTU_WAIT_MS, operation: 'mtu exchange', peripheralId: peripheral.id },
      );
    } catch {
      // No exchange (stack without it, or a peer that refuses): the default 23 stands.
    } finally {
      off?.();
    }
  }

  #onDiscover(peripheral: NoblePeripheral): void {
    const advertisement = toAdvertisement(peripheral);
    this.#peripherals.set(advertisement.id, peripheral);
    if (matchesFilter(advertisement, this.#filter)) this.#emitter.emit('discover', advertisement);
  }

  #lookup(idOrAddress: string): NoblePeripheral | undefined {
    const wanted = normalizeAddress(idOrAddress);
    const byId = this.#peripherals.get(wanted) ?? this.#peripherals.get(idOrAddress);
    if (byId !== undefined) return byId;
    for (const p of this.#peripherals.values()) if (normalizeAddress(p.address) === wanted) return p;
    return undefined;
  }

  #requirePoweredOn(operation: string): NobleLike {
    if (this.#loadError !== undefined) throw this.#unavailable(this.#loadError);
    if (this.#closed) throw new CentralError('aborted', `${operation}: central is closed`, { operation });
    if (this.#state !== 'poweredOn' || this.#noble === undefined) {
      throw this.#unavailable(`${operation}: Bluetooth adapter is ${this.#state}, not poweredOn`);
    }
    return this.#noble;
  }

  #unavailable(message: string): CentralError {
    return new CentralError('adapter-unavailable', message);
  }

  #listen(noble: NobleLike, event: string, listener: (arg: never) => void): void {
    noble.on(event, listener as (...args: never[]) => void);
    this.#detach.push(() => noble.removeListener(event, listener as (...args: never[]) => void));
  }
}
