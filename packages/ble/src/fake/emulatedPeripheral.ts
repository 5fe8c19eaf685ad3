import { normalizeAddress, normalizeUuid } from '../uuid.ts';

/** ATT error codes an emulated characteristic may answer with. */
export const ATT_ERROR = {
  readNotPermitted: 0x02,
  writeNotPermitted: 0x03,
  requestNotSupported: 0x06,
  attributeNotFound: 0x0a,
  unlikelyError: 0x0e,
} as const;

/** One characteristic of an emulated GATT server. */
export interface EmulatedCharacteristic {
  readonly uuid: string;
  /** noble's words: 'read', 'write', 'writeWithoutResponse', 'notify', 'indicate'. */
  readonly properties: readonly string[];
  /** Value for reads when `onRead` is absent. */
  value?: Uint8Array;
  onRead?: () => Uint8Array;
  /** Handle a write; return an ATT error code to refuse it. */
  onWrite?: (data: Uint8Array, withoutResponse: boolean) => number | undefined;
}

export interface EmulatedService {
  readonly uuid: string;
  readonly characteristics: readonly EmulatedCharacteristic[];
}

/** What a transport (fake central, fake noble bindings, software HCI controller) gives a connected peripheral. */
export interface PeripheralLink {
  /** ATT MTU in force (23 until an exchange raised it); notification payloads are at most `mtu - 3`. */
  readonly mtu: number;
  /** Deliver a notification to the central. */
  notify(serviceUuid: string, characteristicUuid: string, data: Uint8Array): void;
  /** The peripheral's side of the link goes away; the central sees `reason` (0x08 supervision timeout). */
  drop(reason: number): void;
}

export interface EmulatedPeripheralOptions {
  /** `aa:bb:cc:dd:ee:ff`. */
  readonly address: string;
  readonly addressType?: 'public' | 'random';
  readonly localName?: string;
  readonly advertisedServiceUuids?: readonly string[];
  readonly manufacturerData?: Uint8Array;
  readonly rssi?: number;
  readonly services: readonly EmulatedService[];
  /** Largest ATT MTU this peripheral accepts in an exchange. Default 247. */
  readonly maxMtu?: number;
}

type Listener = () => void;

/**
 * A GATT server model shared by every transport, so the same emulated sensor runs under the fake central, under
 * noble with fake bindings, and behind the software HCI controller. Instance-scoped; no global registry.
 * Test knobs: `advertising`, `responseDelayMs` (slow ATT responses), `respond` (never answer), `dropLink()`.
 */
export class EmulatedPeripheral {
  readonly address: string;
  readonly id: string;
  readonly addressType: 'public' | 'random';
  readonly localName: string | undefined;
  readonly advertisedServiceUuids: readonly string[];
  readonly manufacturerData: Uint8Array | undefined;
  readonly rssi: number;
  readonly services: readonly EmulatedService[];
  readonly maxMtu: number;
  advertising = true;
  /** Delay before each ATT response (read, write, CCCD write, discovery), ms. */
  responseDelayMs = 0;
  /** When false, ATT requests are never answered (a hung peer); notifications still flow. */
  respond = true;
  #link: PeripheralLink | undefined;
  readonly #subscribed = new Set<string>();
  readonly #onConnect = new Set<Listener>();
  readonly #onDisconnect = new Set<Listener>();
  readonly #onSubscribe = new Set<(serviceUuid: string, characteristicUuid: string, on: boolean) => void>();
  /** Connections accepted so far (tests assert reconnects). */
  connectCount = 0;

  constructor(options: EmulatedPeripheralOptions) {
    this.address = options.address.toLowerCase();
    this.id = normalizeAddress(options.address);
    this.addressType = options.addressType ?? 'random';
    this.localName = options.localName;
    this.advertisedServiceUuids = (options.advertisedServiceUuids ?? []).map(normalizeUuid);
    this.manufacturerData = options.manufacturerData;
    this.rssi = options.rssi ?? -55;
    this.services = options.services.map((s) => ({
      uuid: normalizeUuid(s.uuid),
      characteristics: s.characteristics.map((c) => Object.assign(c, { uuid: normalizeUuid(c.uuid) })),
    }));
    this.maxMtu = options.maxMtu ?? 247;
  }

  get connected(): boolean {
    return this.#link !== undefined;
  }

  /** ATT MTU of the current link (23 when not connected). */
  get mtu(): number {
    return this.#link?.mtu ?? 23;
  }

  /** Transport: a central connected. Subscriptions start empty (CCCDs reset per connection for unbonded peers). */
  attach(link: PeripheralLink): void {
    this.#link = link;
    this.#subscribed.clear();
    this.connectCount++;
    for (const f of [...this.#onConnect]) f();
  }

  /** Transport: the link is gone, whoever ended it. */
  detach(): void {
    if (this.#link === undefined) return;
    this.#link = undefined;
    this.#subscribed.clear();
    for (const f of [...this.#onDisconnect]) f();
  }

  /** Test knob: the radio link breaks (default reason 0x08, supervision timeout). */
  dropLink(reason = 0x08): void {
    const link = this.#link;
    if (link === undefined) return;
    this.detach();
    link.drop(reason);
  }

  onConnect(listener: Listener): () => void {
    this.#onConnect.add(listener);
    return () => this.#onConnect.delete(listener);
  }

  onDisconnect(listener: Listener): () => void {
    this.#onDisconnect.add(listener);
    return () => this.#onDisconnect.delete(listener);
  }

  onSubscribe(listener: (serviceUuid: string, characteristicUuid: string, on: boolean) => void): () => void {
    this.#onSubscribe.add(listener);
    return () => this.#onSubscribe.delete(listener);
  }

  isSubscribed(serviceUuid: string, characteristicUuid: string): boolean {
    return this.#subscribed.has(`${normalizeUuid(serviceUuid)}/${normalizeUuid(characteristicUuid)}`);
  }

  /** Send a notification if a central is connected and subscribed; returns whether it was sent. */
  notify(serviceUuid: string, characteristicUuid: string, data: Uint8Array): boolean {
    const s = normalizeUuid(serviceUuid);
    const c = normalizeUuid(characteristicUuid);
    if (this.#link === undefined || !this.#subscribed.has(`${s}/${c}`)) return false;
    this.#link.notify(s, c, data.slice());
    return true;
  }

  findCharacteristic(serviceUuid: string, characteristicUuid: string): EmulatedCharacteristic | undefined {
    const s = normalizeUuid(serviceUuid);
    const c = normalizeUuid(characteristicUuid);
    return this.services.find((x) => x.uuid === s)?.characteristics.find((x) => x.uuid === c);
  }

  /** Transport: an ATT read. */
  handleRead(serviceUuid: string, characteristicUuid: string): { data: Uint8Array } | { attError: number } {
    const c = this.findCharacteristic(serviceUuid, characteristicUuid);
    if (c === undefined) return { attError: ATT_ERROR.attributeNotFound };
    if (!c.properties.includes('read')) return { attError: ATT_ERROR.readNotPermitted };
    return { data: (c.onRead?.() ?? c.value ?? new Uint8Array(0)).slice() };
  }

  /** Transport: an ATT write (request or command); returns an ATT error code or undefined. */
  handleWrite(
    serviceUuid: string,
    characteristicUuid: string,
    data: Uint8Array,
    withoutResponse: boolean,
  ): number | undefined {
    const c = this.findCharacteristic(serviceUuid, characteristicUuid);
    if (c === undefined) return ATT_ERROR.attributeNotFound;
    const allowed = withoutResponse ? c.properties.includes('writeWithoutResponse') : c.properties.includes('write');
    if (!allowed) return ATT_ERROR.writeNotPermitted;
    const refused = c.onWrite?.(data.slice(), withoutResponse);
    if (refused !== undefined) return refused;
    c.value = data.slice();
    return undefined;
  }

  /** Transport: a CCCD write. */
  handleSubscribe(serviceUuid: string, characteristicUuid: string, on: boolean): number | undefined {
    const c = this.findCharacteristic(serviceUuid, characteristicUuid);
    if (c === undefined) return ATT_ERROR.attributeNotFound;
    if (!c.properties.includes('notify') && !c.properties.includes('indicate')) return ATT_ERROR.writeNotPermitted;
    const k = `${c === undefined ? '' : normalizeUuid(serviceUuid)}/${c.uuid}`;
    if (on) this.#subscribed.add(k);
    else this.#subscribed.delete(k);
    for (const f of [...this.#onSubscribe]) f(normalizeUuid(serviceUuid), c.uuid, on);
    return undefined;
  }
}
