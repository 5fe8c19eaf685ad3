import type {
  CallOptions,
  CentralEvents,
  ClockUs,
  Connection,
  DisconnectInfo,
  ServiceInfo,
  WriteOptions,
} from '../central.ts';
import { CentralError } from '../centralError.ts';
import { Emitter } from '../emitter.ts';
import { type GuardOptions, guardedCall, type PendingCalls } from '../guardedCall.ts';
import type { Logger } from '../logger.ts';
import type { Timers } from '../timers.ts';
import { normalizeUuid } from '../uuid.ts';
import type { NobleCharacteristic, NoblePeripheral, NobleService } from './nobleTypes.ts';

type ConnectionEvents = Pick<CentralEvents, 'disconnect' | 'notification'>;

export interface NobleConnectionDeps {
  readonly timers: Timers;
  readonly clockUs: ClockUs;
  readonly logger: Logger;
  /** Forward events to the central's own listeners. */
  readonly forward: ConnectionEvents;
}

const DEFAULT_DISCOVER_MS = 10_000;
const DEFAULT_CALL_MS = 5_000;

/** A `Connection` over one connected noble peripheral; dead once its link went down. */
export class NobleConnection implements Connection {
  readonly id: string;
  readonly #peripheral: NoblePeripheral;
  readonly #deps: NobleConnectionDeps;
  readonly #emitter: Emitter<ConnectionEvents>;
  readonly #pending: PendingCalls = new Set();
  readonly #characteristics = new Map<string, NobleCharacteristic>();
  /** Services whose characteristics we hold (a lookup of a missing characteristic then needs no round trip). */
  readonly #discoveredServices = new Set<string>();
  readonly #dataListeners = new Map<NobleCharacteristic, (data: Buffer, isNotification: boolean) => void>();
  readonly #onPeripheralDisconnect: (reason: unknown) => void;
  #connected = true;
  #disconnectRequested = false;

  constructor(peripheral: NoblePeripheral, deps: NobleConnectionDeps) {
    this.id = peripheral.id;
    this.#peripheral = peripheral;
    this.#deps = deps;
    this.#emitter = new Emitter(deps.logger);
    this.#onPeripheralDisconnect = (reason) => this.linkDown(typeof reason === 'number' ? reason : undefined);
    peripheral.once('disconnect', this.#onPeripheralDisconnect as (...args: never[]) => void);
  }

  get connected(): boolean {
    return this.#connected;
  }

  get mtu(): number {
    return this.#peripheral.mtu ?? 23;
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): () => void {
    return this.#emitter.on(event, listener);
  }

  async discover(serviceUuids?: readonly string[], options?: CallOptions): Promise<ServiceInfo[]> {
    const wanted = (serviceUuids ?? []).map(normalizeUuid);
    return this.#guard('discover', options, DEFAULT_DISCOVER_MS, async () => {
      const services = await new Promise<NobleService[]>((resolve, reject) =>
        this.#peripheral.discoverServices(wanted, (error, found) => (error ? reject(error) : resolve(found ?? []))),
      );
      const result: ServiceInfo[] = [];
      for (const service of services) {
        const characteristics = await new Promise<NobleCharacteristic[]>((resolve, reject) =>
          service.discoverCharacteristics([], (error, found) => (error ? reject(error) : resolve(found ?? []))),
        );
        const serviceUuid = normalizeUuid(service.uuid);
        this.#discoveredServices.add(serviceUuid);
        for (const c of characteristics) this.#adopt(key(serviceUuid, normalizeUuid(c.uuid)), c);
        result.push({
          uuid: serviceUuid,
          characteristics: characteristics.map((c) => ({ uuid: normalizeUuid(c.uuid), properties: [...c.properties] })),
        });
      }
      return result;
    });
  }

  async read(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<Uint8Array> {
    const c = await this.#characteristic(serviceUuid, characteristicUuid, options);
    return this.#guard(
      `read ${c.label}`,
      options,
      DEFAULT_CALL_MS,
      () =>
        new Promise<Uint8Array>((resolve, reject) =>
          c.characteristic.read((error, data) => (error ? reject(error) : resolve(new Uint8Array(data)))),
        ),
    );
  }

  async write(
    serviceUuid: string,
    characteristicUuid: string,
    data: Uint8Array,
    options?: WriteOptions,
  ): Promise<void> {
    const c = await this.#characteristic(serviceUuid, characteristicUuid, options);
    const withoutResponse = options?.withoutResponse ?? false;
    return this.#guard(
      `write ${c.label}`,
      options,
      DEFAULT_CALL_MS,
      () =>
        new Promise<void>((resolve, reject) =>
          c.characteristic.write(Buffer.from(data), withoutResponse, (error) => (error ? reject(error) : resolve())),
        ),
    );
  }

  async subscribe(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<void> {
    const c = await this.#characteristic(serviceUuid, characteristicUuid, options);
    if (!this.#dataListeners.has(c.characteristic)) {
      const listener = (data: Buffer, isNotification: boolean): void => {
        if (!isNotification || !this.#connected) return;
        const notification = {
          id: this.id,
          serviceUuid: c.serviceUuid,
          characteristicUuid: c.characteristicUuid,
          data: new Uint8Array(data),
          hostTimeUs: this.#deps.clockUs(),
        };
        this.#emitter.emit('notification', notification);
        this.#deps.forward.notification(notification);
      };
      this.#dataListeners.set(c.characteristic, listener);
      c.characteristic.on('data', listener as (...args: never[]) => void);
    }
    return this.#guard(
      `subscribe ${c.label}`,
      options,
      DEFAULT_CALL_MS,
      () =>
        new Promise<void>((resolve, reject) =>
          c.characteristic.subscribe((error) => (error ? reject(error) : resolve())),
        ),
    );
  }

  async unsubscribe(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<void> {
    const c = await this.#characteristic(serviceUuid, characteristicUuid, options);
    return this.#guard(
      `unsubscribe ${c.label}`,
      options,
      DEFAULT_CALL_MS,
      () =>
        new Promise<void>((resolve, reject) =>
          c.characteristic.unsubscribe((error) => (error ? reject(error) : resolve())),
        ),
    );
  }

  async disconnect(options?: CallOptions): Promise<void> {
    if (!this.#connected) return;
    this.#disconnectRequested = true;
    try {
      await guardedCall(() => new Promise<void>((resolve) => this.#peripheral.disconnect(() => resolve())), {
        timers: this.#deps.timers,
        timeoutMs: options?.timeoutMs ?? DEFAULT_CALL_MS,
        operation: 'disconnect',
        peripheralId: this.id,
        signal: options?.signal,
      });
    } catch (error) {
      this.#deps.logger.warn('disconnect did not complete; treating the link as down', {
        id: this.id,
        error: String(error),
      });
    }
    this.linkDown(0x16);
  }

  /** The link is gone (peer, supervision timeout, our request, or central closing): fail pending calls, then tell listeners. */
  linkDown(reason: number | undefined, requested = this.#disconnectRequested): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#peripheral.removeListener('disconnect', this.#onPeripheralDisconnect as (...args: never[]) => void);
    for (const [characteristic, listener] of this.#dataListeners) {
      characteristic.removeListener('data', listener as (...args: never[]) => void);
    }
    this.#dataListeners.clear();
    const error = new CentralError('disconnected', `link to ${this.id} went down (reason ${formatReason(reason)})`, {
      peripheralId: this.id,
    });
    for (const fail of [...this.#pending]) fail(error);
    const info: DisconnectInfo = { id: this.id, reason, requested };
    this.#emitter.emit('disconnect', info);
    this.#deps.forward.disconnect(info);
  }

  async #characteristic(
    serviceUuid: string,
    characteristicUuid: string,
    options: CallOptions | undefined,
  ): Promise<{ characteristic: NobleCharacteristic; serviceUuid: string; characteristicUuid: string; label: string }> {
    const s = normalizeUuid(serviceUuid);
    const c = normalizeUuid(characteristicUuid);
    const label = `${s}/${c}`;
    this.#assertConnected(label);
    let characteristic = this.#characteristics.get(key(s, c));
    if (characteristic === undefined && !this.#discoveredServices.has(s)) {
      await this.discover([s], options);
      characteristic = this.#characteristics.get(key(s, c));
    }
    if (characteristic === undefined) {
      throw new CentralError('not-found', `characteristic ${label} not found on ${this.id}`, {
        peripheralId: this.id,
        operation: label,
      });
    }
    return { characteristic, serviceUuid: s, characteristicUuid: c, label };
  }

  /**
   * Record a (re)discovered characteristic. NOTE: noble replaces a service's Characteristic objects when it is
   * discovered again, and routes notifications to the new ones: move our data listener over, or they are lost.
   */
  #adopt(k: string, next: NobleCharacteristic): void {
    const previous = this.#characteristics.get(k);
    this.#characteristics.set(k, next);
    const listener = previous === undefined ? undefined : this.#dataListeners.get(previous);
    if (previous === undefined || previous === next || listener === undefined) return;
    previous.removeListener('data', listener as (...args: never[]) => void);
    this.#dataListeners.delete(previous);
    this.#dataListeners.set(next, listener);
    next.on('data', listener as (...args: never[]) => void);
  }

  #assertConnected(operation: string): void {
    if (!this.#connected) {
      throw new CentralError('disconnected', `${operation}: link to ${this.id} is down`, {
        peripheralId: this.id,
        operation,
      });
    }
  }

  #guard<T>(
    operation: string,
    options: CallOptions | undefined,
    defaultMs: number,
    start: () => Promise<T>,
  ): Promise<T> {
    this.#assertConnected(operation);
    const guard: GuardOptions = {
      timers: this.#deps.timers,
      timeoutMs: options?.timeoutMs ?? defaultMs,
      operation,
      peripheralId: this.id,
      signal: options?.signal,
      pending: this.#pending,
    };
    return guardedCall(start, guard);
  }
}

function key(serviceUuid: string, characteristicUuid: string): string {
  return `${serviceUuid}/${characteristicUuid}`;
}

export function formatReason(reason: number | undefined): string {
  return reason === undefined ? 'unknown' : `0x${reason.toString(16).padStart(2, '0')}`;
}
