import { EventEmitter } from 'node:events';
import { systemTimers, type TimerHandle, type Timers } from '../timers.ts';
import { normalizeAddress, normalizeUuid } from '../uuid.ts';
import type { EmulatedPeripheral } from './emulatedPeripheral.ts';

export interface FakeNobleBindingsOptions {
  readonly peripherals: readonly EmulatedPeripheral[];
  readonly timers?: Timers;
  /** Default 20 ms. */
  readonly advertisingIntervalMs?: number;
  /** Default 5 ms. */
  readonly connectDelayMs?: number;
  /** ATT MTU the central's stack would negotiate. Default 247. */
  readonly mtu?: number;
}

/**
 * A noble bindings object (the 26-event contract noble's hci-socket/mac/win bindings implement) over
 * `EmulatedPeripheral`s, so the REAL noble `Noble`/`Peripheral`/`Service`/`Characteristic` code runs in tests.
 * Works with both forks: `start()` is @stoprocent/noble's entry point, `init()` @abandonware/noble's.
 * Answers honour each peripheral's `responseDelayMs` and `respond` knobs.
 */
export class FakeNobleBindings extends EventEmitter {
  readonly #peripherals: readonly EmulatedPeripheral[];
  readonly #timers: Timers;
  readonly #options: FakeNobleBindingsOptions;
  #scanTimer: TimerHandle | undefined;
  readonly #connecting = new Map<string, TimerHandle>();
  #running = false;
  /** Calls noble made, for tests that check what went over the (fake) air. */
  readonly calls: string[] = [];

  constructor(options: FakeNobleBindingsOptions) {
    super();
    this.#peripherals = options.peripherals;
    this.#timers = options.timers ?? systemTimers;
    this.#options = options;
  }

  start(): void {
    this.#running = true;
    this.#later(() => this.emit('stateChange', 'poweredOn'));
  }

  init(): void {
    this.start();
  }

  stop(): void {
    this.#running = false;
    this.#stopScanTimer();
  }

  reset(): void {}

  setScanParameters(): void {
    this.#later(() => this.emit('scanParametersSet'));
  }

  addressToId(address: string): string {
    return normalizeAddress(address);
  }

  startScanning(serviceUuids: string[] | undefined, allowDuplicates: boolean): void {
    this.calls.push('startScanning');
    const wanted = (serviceUuids ?? []).map(normalizeUuid);
    this.#stopScanTimer();
    this.#later(() => this.emit('scanStart', !allowDuplicates));
    const hear = (): void => {
      for (const p of this.#peripherals) {
        if (!p.advertising || p.connected) continue;
        if (wanted.length > 0 && !p.advertisedServiceUuids.some((u) => wanted.includes(u))) continue;
        const advertisement = {
          localName: p.localName,
          txPowerLevel: undefined,
          manufacturerData: p.manufacturerData === undefined ? undefined : Buffer.from(p.manufacturerData),
          serviceData: [],
          serviceUuids: [...p.advertisedServiceUuids],
          solicitationServiceUuids: [],
          serviceSolicitationUuids: [],
        };
        this.emit('discover', p.id, p.address, p.addressType, true, advertisement, p.rssi, true);
      }
      this.#scanTimer = this.#timers.setTimeout(hear, this.#options.advertisingIntervalMs ?? 20);
    };
    this.#scanTimer = this.#timers.setTimeout(hear, 1);
  }

  stopScanning(): void {
    this.calls.push('stopScanning');
    this.#stopScanTimer();
    this.#later(() => this.emit('scanStop'));
  }

  connect(id: string): void {
    this.calls.push(`connect ${id}`);
    const peripheral = this.#find(id);
    const tryLink = (): void => {
      this.#connecting.delete(id);
      if (!this.#running) return;
      if (peripheral === undefined || !peripheral.advertising || peripheral.connected) {
        // A real controller keeps initiating until cancelled; so do we.
        this.#connecting.set(id, this.#timers.setTimeout(tryLink, this.#options.advertisingIntervalMs ?? 20));
        return;
      }
      const mtu = Math.min(this.#options.mtu ?? 247, peripheral.maxMtu);
      peripheral.attach({
        mtu,
        notify: (serviceUuid, characteristicUuid, data) =>
          this.emit('read', id, serviceUuid, characteristicUuid, Buffer.from(data), true),
        drop: (reason) => this.emit('disconnect', id, reason),
      });
      this.emit('onMtu', id, mtu);
      this.emit('connect', id, null);
    };
    this.#connecting.set(id, this.#timers.setTimeout(tryLink, this.#options.connectDelayMs ?? 5));
  }

  cancelConnect(id: string): void {
    this.calls.push(`cancelConnect ${id}`);
    const timer = this.#connecting.get(id);
    if (timer !== undefined) this.#timers.clearTimeout(timer);
    this.#connecting.delete(id);
  }

  disconnect(id: string): void {
    this.calls.push(`disconnect ${id}`);
    const peripheral = this.#find(id);
    this.#later(() => {
      if (peripheral?.connected) peripheral.detach();
      this.emit('disconnect', id, 0x16);
    });
  }

  updateRssi(id: string): void {
    this.#later(() => this.emit('rssiUpdate', id, this.#find(id)?.rssi ?? -127));
  }

  discoverServices(id: string, uuids: string[] | undefined): void {
    const wanted = (uuids ?? []).map(normalizeUuid);
    this.#answer(id, (p) => {
      const found = p.services.map((s) => s.uuid).filter((u) => wanted.length === 0 || wanted.includes(u));
      this.emit('servicesDiscover', id, found);
    });
  }

  discoverIncludedServices(id: string, serviceUuid: string): void {
    this.#answer(id, () => this.emit('includedServicesDiscover', id, serviceUuid, []));
  }

  discoverCharacteristics(id: string, serviceUuid: string, uuids: string[] | undefined): void {
    const wanted = (uuids ?? []).map(normalizeUuid);
    this.#answer(id, (p) => {
      const service = p.services.find((s) => s.uuid === normalizeUuid(serviceUuid));
      const found = (service?.characteristics ?? [])
        .filter((c) => wanted.length === 0 || wanted.includes(c.uuid))
        .map((c) => ({ uuid: c.uuid, properties: [...c.properties] }));
      this.emit('characteristicsDiscover', id, serviceUuid, found);
    });
  }

  discoverDescriptors(id: string, serviceUuid: string, characteristicUuid: string): void {
    this.#answer(id, () => this.emit('descriptorsDiscover', id, serviceUuid, characteristicUuid, ['2902']));
  }

  read(id: string, serviceUuid: string, characteristicUuid: string): void {
    this.#answer(id, (p) => {
      const result = p.handleRead(serviceUuid, characteristicUuid);
      if ('attError' in result) {
        this.emit('read', id, serviceUuid, characteristicUuid, Buffer.alloc(0), false, attError(result.attError));
      } else {
        this.emit('read', id, serviceUuid, characteristicUuid, Buffer.from(result.data), false);
      }
    });
  }

  write(id: string, serviceUuid: string, characteristicUuid: string, data: Buffer, withoutResponse: boolean): void {
    const bytes = new Uint8Array(data);
    if (withoutResponse) {
      this.#find(id)?.handleWrite(serviceUuid, characteristicUuid, bytes, true);
      this.#later(() => this.emit('write', id, serviceUuid, characteristicUuid));
      return;
    }
    this.#answer(id, (p) => {
      const refused = p.handleWrite(serviceUuid, characteristicUuid, bytes, false);
      this.emit('write', id, serviceUuid, characteristicUuid, refused === undefined ? undefined : attError(refused));
    });
  }

  notify(id: string, serviceUuid: string, characteristicUuid: string, on: boolean): void {
    this.#answer(id, (p) => {
      const refused = p.handleSubscribe(serviceUuid, characteristicUuid, on);
      this.emit(
        'notify',
        id,
        serviceUuid,
        characteristicUuid,
        refused === undefined ? on : !on,
        refused && attError(refused),
      );
    });
  }

  broadcast(): void {}

  #find(id: string): EmulatedPeripheral | undefined {
    const wanted = normalizeAddress(id);
    return this.#peripherals.find((p) => p.id === wanted);
  }

  /** Answer an ATT request after the peripheral's delay, if it answers at all and the link is still up. */
  #answer(id: string, respond: (p: EmulatedPeripheral) => void): void {
    const peripheral = this.#find(id);
    if (peripheral === undefined || !peripheral.connected || !peripheral.respond) return;
    this.#timers.setTimeout(() => {
      if (peripheral.connected) respond(peripheral);
    }, peripheral.responseDelayMs);
  }

  #later(f: () => void): void {
    this.#timers.setTimeout(f, 0);
  }

  #stopScanTimer(): void {
    if (this.#scanTimer !== undefined) this.#timers.clearTimeout(this.#scanTimer);
    this.#scanTimer = undefined;
  }
}

function attError(code: number): Error {
  return new Error(`ATT error 0x${code.toString(16).padStart(2, '0')}`);
}
