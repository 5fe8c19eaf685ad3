/**
 * The slice of noble's object model this package uses, written down because noble's own contract is implicit.
 * Both forks (@stoprocent/noble 2.x, @abandonware/noble 1.9) provide it with callback-style methods.
 */
export interface NobleEmitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

export interface NobleLike extends NobleEmitter {
  readonly state: string;
  startScanning(serviceUuids: string[], allowDuplicates: boolean, callback?: (error?: Error | null) => void): void;
  stopScanning(callback?: () => void): void;
  /** stoprocent only: stop the bindings (closes the HCI socket / UART). */
  stop?(): void;
}

export interface NobleAdvertisement {
  localName?: string;
  serviceUuids?: string[];
  manufacturerData?: Buffer;
}

export interface NoblePeripheral extends NobleEmitter {
  readonly id: string;
  readonly address: string;
  readonly addressType: string;
  readonly connectable: boolean;
  readonly advertisement: NobleAdvertisement;
  readonly rssi: number;
  readonly state: string;
  readonly mtu?: number | null;
  connect(options: unknown, callback: (error?: Error | null) => void): void;
  cancelConnect(options?: unknown): void;
  disconnect(callback?: () => void): void;
  discoverServices(uuids: string[], callback: (error: unknown, services: NobleService[]) => void): void;
}

export interface NobleService {
  readonly uuid: string;
  discoverCharacteristics(
    uuids: string[],
    callback: (error: unknown, characteristics: NobleCharacteristic[]) => void,
  ): void;
}

export interface NobleCharacteristic extends NobleEmitter {
  readonly uuid: string;
  readonly properties: string[];
  read(callback: (error: unknown, data: Buffer) => void): void;
  write(data: Buffer, withoutResponse: boolean, callback: (error?: unknown) => void): void;
  subscribe(callback: (error?: unknown) => void): void;
  unsubscribe(callback: (error?: unknown) => void): void;
}

/** A noble bindings object (hci-socket, mac, win, or a test double): an EventEmitter with the binding methods. */
export type NobleBindings = object;
