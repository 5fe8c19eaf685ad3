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
import { systemTimers, type TimerHandle, type Timers } from '../timers.ts';
import { normalizeAddress } from '../uuid.ts';
import type { EmulatedPeripheral } from './emulatedPeripheral.ts';
import { FakeConnection } from './fakeConnection.ts';

export interface FakeCentralOptions {
  /** The peripherals "on air" around this central; more can be added with `addPeripheral()`. */
  readonly peripherals?: readonly EmulatedPeripheral[];
  readonly timers?: Timers;
  readonly clockUs?: ClockUs;
  readonly logger?: Logger;
  /** Adapter state at start; `poweredOn` is reached after `powerOnDelayMs`. Default 'poweredOn' after 1 ms. */
  readonly initialState?: AdapterState;
  readonly powerOnDelayMs?: number;
  /** How often advertising peripherals are heard while scanning. Default 20 ms. */
  readonly advertisingIntervalMs?: number;
  /** Time from connect() to link up. Default 5 ms. */
  readonly connectDelayMs?: number;
  /** ATT MTU the central asks for. Default 247. */
  readonly mtu?: number;
}

/**
 * A working in-memory central over `EmulatedPeripheral`s, for unit tests of the layers above. Honors the contract
 * (timeouts, disconnect races, error codes) exactly like the noble implementation; time comes from `timers`.
 */
export class FakeCentral implements Central {
  readonly driver = 'fake';
  readonly #timers: Timers;
  readonly #clockUs: ClockUs;
  readonly #logger: Logger;
  readonly #emitter: Emitter<CentralEvents>;
  readonly #air: EmulatedPeripheral[];
  readonly #seen = new Map<string, EmulatedPeripheral>();
  readonly #connections = new Map<string, FakeConnection>();
  readonly #options: FakeCentralOptions;
  #state: AdapterState;
  #scan: { filter: ScanFilter; reported: Set<string>; timer: TimerHandle } | undefined;
  #closed = false;
  /** Scans, connects and waits in flight, so close() can abort them. */
  readonly #pending: PendingCalls = new Set();

  constructor(options: FakeCentralOptions = {}) {
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#clockUs = options.clockUs ?? (() => Math.round(this.#timers.now() * 1000));
    this.#logger = options.logger ?? silentLogger;
    this.#emitter = new Emitter(this.#logger);
    this.#air = [...(options.peripherals ?? [])];
    this.#state = options.initialState ?? 'unknown';
    if (options.initialState === undefined) {
      this.#timers.setTimeout(() => this.setAdapterState('poweredOn'), options.powerOnDelayMs ?? 1);
    }
  }

  get state(): AdapterState {
    return this.#state;
  }

  /** Test knob: the adapter changes state (leaving poweredOn drops every link, as a real adapter reset does). */
  setAdapterState(state: AdapterState): void {
    if (state === this.#state) return;
    this.#state = state;
    if (state !== 'poweredOn') {
      this.#stopScanTimer();
      for (const c of [...this.#connections.values()]) c.linkDown(0x16, false);
    }
    this.#emitter.emit('stateChange', state);
  }

  addPeripheral(peripheral: EmulatedPeripheral): void {
    this.#air.push(peripheral);
  }

  on<K extends keyof CentralEvents>(event: K, listener: CentralEvents[K]): () => void {
    return this.#emitter.on(event, listener);
  }

  waitForPoweredOn(options?: CallOptions): Promise<void> {
    if (this.#state === 'poweredOn') return Promise.resolve();
    let off: (() => void) | undefined;
    return guardedCall(
      () =>
        new Promise<void>((resolve, reject) => {
          const check = (state: AdapterState): void => {
            if (state === 'poweredOn') resolve();
            else if (state === 'unsupported' || state === 'unauthorized' || state === 'poweredOff') {
              reject(new CentralError('adapter-unavailable', `Bluetooth adapter is ${state}`));
            }
          };
          off = this.on('stateChange', check);
          check(this.#state);
        }),
      {
        pending: this.#pending,
        timers: this.#timers,
        timeoutMs: options?.timeoutMs ?? 10_000,
        operation: 'waitForPoweredOn',
        signal: options?.signal,
      },
    ).finally(() => off?.());
  }

  async startScan(filter: ScanFilter = {}): Promise<void> {
    this.#requirePoweredOn('startScan');
    this.#stopScanTimer();
    this.#scan = { filter, reported: new Set(), timer: this.#timers.setTimeout(() => this.#hear(), 0) };
  }

  async stopScan(): Promise<void> {
    this.#stopScanTimer();
  }

  async find(filter: ScanFilter, options?: CallOptions): Promise<Advertisement> {
    this.#requirePoweredOn('find');
    let off: (() => void) | undefined;
    try {
      return await guardedCall(
        () =>
          new Promise<Advertisement>((resolve, reject) => {
            off = this.on('discover', (ad) => {
              if (matchesFilter(ad, filter)) resolve(ad);
            });
            this.startScan({ ...filter, allowDuplicates: true }).catch(reject);
          }),
        {
          pending: this.#pending,
          timers: this.#timers,
          timeoutMs: options?.timeoutMs ?? 10_000,
          operation: 'find',
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
    const peripheral = this.#seen.get(normalizeAddress(id));
    if (peripheral === undefined) {
      throw new CentralError('not-found', `connect: peripheral ${id} was not discovered by this central`, {
        peripheralId: id,
        operation: 'connect',
      });
    }
    const existing = this.#connections.get(peripheral.id);
    if (existing?.connected) return existing;
    let attempt: TimerHandle | undefined;
    const connection = await guardedCall(
      () =>
        new Promise<FakeConnection>((resolve) => {
          // The link comes up at the first connect delay at which the peripheral advertises connectably.
          const tryLink = (): void => {
            if (peripheral.advertising && !peripheral.connected) resolve(this.#link(peripheral));
            else attempt = this.#timers.setTimeout(tryLink, this.#options.advertisingIntervalMs ?? 20);
          };
          attempt = this.#timers.setTimeout(tryLink, this.#options.connectDelayMs ?? 5);
        }),
      {
        pending: this.#pending,
        timers: this.#timers,
        timeoutMs: options?.timeoutMs ?? 10_000,
        operation: 'connect',
        peripheralId: peripheral.id,
        signal: options?.signal,
        onGiveUp: () => {
          if (attempt !== undefined) this.#timers.clearTimeout(attempt);
        },
      },
    );
    return connection;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const aborted = new CentralError('aborted', 'central closed');
    for (const fail of [...this.#pending]) fail(aborted);
    this.#stopScanTimer();
    await Promise.all([...this.#connections.values()].map((c) => c.disconnect()));
  }

  #link(peripheral: EmulatedPeripheral): FakeConnection {
    const connection = new FakeConnection(peripheral, {
      timers: this.#timers,
      clockUs: this.#clockUs,
      logger: this.#logger,
      mtu: Math.min(this.#options.mtu ?? 247, peripheral.maxMtu),
      forward: {
        notification: (n) => this.#emitter.emit('notification', n),
        disconnect: (info) => {
          if (this.#connections.get(info.id) === connection) this.#connections.delete(info.id);
          this.#emitter.emit('disconnect', info);
        },
      },
    });
    this.#connections.set(peripheral.id, connection);
    peripheral.attach(connection.link);
    return connection;
  }

  #hear(): void {
    const scan = this.#scan;
    if (scan === undefined) return;
    for (const p of this.#air) {
      if (!p.advertising || p.connected) continue;
      const ad: Advertisement = {
        id: p.id,
        address: p.address,
        addressType: p.addressType,
        localName: p.localName,
        serviceUuids: p.advertisedServiceUuids,
        manufacturerData: p.manufacturerData,
        rssi: p.rssi,
        connectable: true,
      };
      this.#seen.set(p.id, p);
      if (!matchesFilter(ad, scan.filter)) continue;
      if (scan.reported.has(p.id) && scan.filter.allowDuplicates !== true) continue;
      scan.reported.add(p.id);
      this.#emitter.emit('discover', ad);
    }
    if (this.#scan === scan) {
      scan.timer = this.#timers.setTimeout(() => this.#hear(), this.#options.advertisingIntervalMs ?? 20);
    }
  }

  #stopScanTimer(): void {
    if (this.#scan !== undefined) this.#timers.clearTimeout(this.#scan.timer);
    this.#scan = undefined;
  }

  #requirePoweredOn(operation: string): void {
    if (this.#closed) throw new CentralError('aborted', `${operation}: central is closed`, { operation });
    if (this.#state !== 'poweredOn') {
      throw new CentralError('adapter-unavailable', `${operation}: Bluetooth adapter is ${this.#state}, not poweredOn`);
    }
  }
}
