import type {
  CallOptions,
  CentralEvents,
  ClockUs,
  Connection,
  DisconnectInfo,
  Notification,
  ServiceInfo,
  WriteOptions,
} from '../central.ts';
import { CentralError } from '../centralError.ts';
import { Emitter } from '../emitter.ts';
import { guardedCall, type PendingCalls } from '../guardedCall.ts';
import type { Logger } from '../logger.ts';
import type { Timers } from '../timers.ts';
import { normalizeUuid } from '../uuid.ts';
import type { EmulatedPeripheral, PeripheralLink } from './emulatedPeripheral.ts';

type ConnectionEvents = Pick<CentralEvents, 'disconnect' | 'notification'>;

export interface FakeConnectionDeps {
  readonly timers: Timers;
  readonly clockUs: ClockUs;
  readonly logger: Logger;
  readonly mtu: number;
  readonly forward: ConnectionEvents;
}

/** A `Connection` straight onto an `EmulatedPeripheral`, with the same timeout/disconnect rules as noble's. */
export class FakeConnection implements Connection {
  readonly id: string;
  readonly mtu: number;
  readonly #peripheral: EmulatedPeripheral;
  readonly #deps: FakeConnectionDeps;
  readonly #emitter: Emitter<ConnectionEvents>;
  readonly #pending: PendingCalls = new Set();
  #connected = true;
  /** The link object the peripheral talks back through. */
  readonly link: PeripheralLink;

  constructor(peripheral: EmulatedPeripheral, deps: FakeConnectionDeps) {
    this.id = peripheral.id;
    this.mtu = deps.mtu;
    this.#peripheral = peripheral;
    this.#deps = deps;
    this.#emitter = new Emitter(deps.logger);
    this.link = {
      mtu: deps.mtu,
      notify: (serviceUuid, characteristicUuid, data) => {
        if (!this.#connected) return;
        const n: Notification = {
          id: this.id,
          serviceUuid,
          characteristicUuid,
          data,
          hostTimeUs: this.#deps.clockUs(),
        };
        this.#emitter.emit('notification', n);
        this.#deps.forward.notification(n);
      },
      drop: (reason) => this.linkDown(reason, false),
    };
  }

  get connected(): boolean {
    return this.#connected;
  }

  on<K extends keyof ConnectionEvents>(event: K, listener: ConnectionEvents[K]): () => void {
    return this.#emitter.on(event, listener);
  }

  async discover(serviceUuids?: readonly string[], options?: CallOptions): Promise<ServiceInfo[]> {
    const wanted = (serviceUuids ?? []).map(normalizeUuid);
    return this.#att('discover', options, 10_000, () =>
      this.#peripheral.services
        .filter((s) => wanted.length === 0 || wanted.includes(s.uuid))
        .map((s) => ({
          uuid: s.uuid,
          characteristics: s.characteristics.map((c) => ({ uuid: c.uuid, properties: [...c.properties] })),
        })),
    );
  }

  async read(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<Uint8Array> {
    const label = this.#check(serviceUuid, characteristicUuid);
    return this.#att(`read ${label}`, options, 5_000, () => {
      const result = this.#peripheral.handleRead(serviceUuid, characteristicUuid);
      if ('attError' in result) throw this.#gatt(`read ${label}`, result.attError);
      return result.data;
    });
  }

  async write(
    serviceUuid: string,
    characteristicUuid: string,
    data: Uint8Array,
    options?: WriteOptions,
  ): Promise<void> {
    const label = this.#check(serviceUuid, characteristicUuid);
    const withoutResponse = options?.withoutResponse ?? false;
    const bytes = data.slice();
    if (withoutResponse) {
      // A Write Command has no response: it is queued and delivered; errors are silently dropped, as on air.
      this.#peripheral.handleWrite(serviceUuid, characteristicUuid, bytes, true);
      return Promise.resolve();
    }
    return this.#att(`write ${label}`, options, 5_000, () => {
      const refused = this.#peripheral.handleWrite(serviceUuid, characteristicUuid, bytes, false);
      if (refused !== undefined) throw this.#gatt(`write ${label}`, refused);
    });
  }

  async subscribe(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<void> {
    return this.#cccd(serviceUuid, characteristicUuid, true, options);
  }

  async unsubscribe(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<void> {
    return this.#cccd(serviceUuid, characteristicUuid, false, options);
  }

  async disconnect(): Promise<void> {
    if (!this.#connected) return;
    this.#peripheral.detach();
    this.linkDown(0x16, true);
  }

  /** Fail pending calls, then tell listeners; once. */
  linkDown(reason: number | undefined, requested: boolean): void {
    if (!this.#connected) return;
    this.#connected = false;
    const error = new CentralError('disconnected', `link to ${this.id} went down`, { peripheralId: this.id });
    for (const fail of [...this.#pending]) fail(error);
    const info: DisconnectInfo = { id: this.id, reason, requested };
    this.#emitter.emit('disconnect', info);
    this.#deps.forward.disconnect(info);
  }

  async #cccd(serviceUuid: string, characteristicUuid: string, on: boolean, options?: CallOptions): Promise<void> {
    const label = this.#check(serviceUuid, characteristicUuid);
    const operation = `${on ? 'subscribe' : 'unsubscribe'} ${label}`;
    return this.#att(operation, options, 5_000, () => {
      const refused = this.#peripheral.handleSubscribe(serviceUuid, characteristicUuid, on);
      if (refused !== undefined) throw this.#gatt(operation, refused);
    });
  }

  /** Validate the call before it goes on air: link up, characteristic present. Returns a label. */
  #check(serviceUuid: string, characteristicUuid: string): string {
    const label = `${normalizeUuid(serviceUuid)}/${normalizeUuid(characteristicUuid)}`;
    if (!this.#connected) {
      throw new CentralError('disconnected', `${label}: link to ${this.id} is down`, { peripheralId: this.id });
    }
    if (this.#peripheral.findCharacteristic(serviceUuid, characteristicUuid) === undefined) {
      throw new CentralError('not-found', `characteristic ${label} not found on ${this.id}`, {
        peripheralId: this.id,
        operation: label,
      });
    }
    return label;
  }

  #gatt(operation: string, attErrorCode: number): CentralError {
    return new CentralError('gatt', `${operation}: ATT error 0x${attErrorCode.toString(16).padStart(2, '0')}`, {
      peripheralId: this.id,
      operation,
      attErrorCode,
    });
  }

  /** One ATT transaction: answered after the peripheral's response delay, or never if it does not respond. */
  #att<T>(operation: string, options: CallOptions | undefined, defaultMs: number, answer: () => T): Promise<T> {
    if (!this.#connected) {
      return Promise.reject(
        new CentralError('disconnected', `${operation}: link to ${this.id} is down`, { peripheralId: this.id }),
      );
    }
    const peripheral = this.#peripheral;
    return guardedCall(
      () =>
        new Promise<T>((resolve, reject) => {
          if (!peripheral.respond) return;
          this.#deps.timers.setTimeout(() => {
            if (!this.#connected) return;
            try {
              resolve(answer());
            } catch (error) {
              reject(error);
            }
          }, peripheral.responseDelayMs);
        }),
      {
        timers: this.#deps.timers,
        timeoutMs: options?.timeoutMs ?? defaultMs,
        operation,
        peripheralId: this.id,
        signal: options?.signal,
        pending: this.#pending,
      },
    );
  }
}
