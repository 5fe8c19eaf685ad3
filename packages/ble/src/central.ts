/**
 * The BLE central-role contract: what the gateway and the sensor profiles call, whatever radio sits underneath.
 *
 * Implementations: `createNobleCentral()` (src/noble/, the only code that imports noble) and `FakeCentral`
 * (src/fake/, a working in-memory fake with emulated peripherals). Both pass the same contract suite
 * (src/contract/centralContract.ts). Types and doc comments only; the error class lives in centralError.ts.
 *
 * UUIDs: everywhere in this contract a UUID is lowercase hex without dashes, 16-bit SIG UUIDs as 4 digits
 * (`'180f'`), 128-bit as 32 digits. Implementations normalise what they are given with `normalizeUuid()`.
 *
 * Errors: every promise rejects only with a `CentralError` whose `code` callers branch on:
 * - `adapter-unavailable`: no Bluetooth stack could be loaded, or the adapter is off / unauthorised / unsupported.
 *   The message says which, in words a user can act on ("no Bluetooth adapter: install ... or set ...").
 * - `timeout`: the operation did not complete within its `timeoutMs`. A timed-out connect is cancelled (no link
 *   is left behind). A timed-out GATT call leaves the link up but in an unknown state (ATT allows one outstanding
 *   request, so a lost response blocks the bearer): callers should `disconnect()` and reconnect.
 * - `disconnected`: the link went down before or during the call. Every pending call on that connection
 *   rejects with it at once (calls are raced against the disconnect), and calls made after it reject at once.
 * - `not-found`: the peripheral id was never discovered, or the service / characteristic is not on the peripheral.
 * - `gatt`: the peer answered with an ATT error (e.g. write not permitted); `attErrorCode` holds it when known.
 * - `aborted`: the operation was cancelled by the caller (`AbortSignal`) or by `central.close()`.
 * Bad bytes from the peer are never an error here: notifications and reads hand over the raw bytes, and
 * decoding (with typed decode errors) is the profile's job.
 */

/** The adapter state; the same words noble uses. Only `poweredOn` allows scanning and connecting. */
export type AdapterState = 'unknown' | 'resetting' | 'unsupported' | 'unauthorized' | 'poweredOff' | 'poweredOn';

/** Codes callers branch on; see the file comment for when each is used. */
export type CentralErrorCode = 'timeout' | 'disconnected' | 'not-found' | 'adapter-unavailable' | 'gatt' | 'aborted';

/** What an advertising report tells us about a peripheral. */
export interface Advertisement {
  /** Stable id to pass to `connect()`: noble's peripheral id (on Linux the address, lowercase, without colons). */
  readonly id: string;
  /** Bluetooth address `aa:bb:cc:dd:ee:ff` (lowercase), or `''` when the stack hides it (macOS). */
  readonly address: string;
  readonly addressType: 'public' | 'random' | 'unknown';
  readonly localName: string | undefined;
  /** Advertised service UUIDs (normalised). */
  readonly serviceUuids: readonly string[];
  readonly manufacturerData: Uint8Array | undefined;
  /** Received signal strength in dBm. */
  readonly rssi: number;
  readonly connectable: boolean;
}

/** Which advertisements to report. An empty filter reports everything. */
export interface ScanFilter {
  /** Report peripherals that advertise at least one of these services. */
  readonly serviceUuids?: readonly string[];
  /** Report only these addresses or ids (either form, any case, with or without colons). */
  readonly addresses?: readonly string[];
  /** Report every advertisement (RSSI updates), not only the first per peripheral. Default false. */
  readonly allowDuplicates?: boolean;
}

/** Options every timed call accepts. */
export interface CallOptions {
  /** Reject with `timeout` after this many milliseconds. Each method documents its default. */
  readonly timeoutMs?: number;
  /** Reject with `aborted` when this fires. */
  readonly signal?: AbortSignal;
}

export interface WriteOptions extends CallOptions {
  /** ATT Write Command (no acknowledgement; resolves once queued). Default false: Write Request. */
  readonly withoutResponse?: boolean;
}

/** Connection parameters a central may request (see docs/ble.md for the values we use per sample rate). */
export interface ConnectionParameters {
  /** Connection interval bounds in ms (BLE allows 7.5 … 4000, in 1.25 ms steps). */
  readonly minIntervalMs: number;
  readonly maxIntervalMs: number;
  /** Peripheral latency: connection events the peripheral may skip. */
  readonly latency: number;
  /** Supervision timeout in ms (100 … 32000); link loss is declared after this much silence. */
  readonly supervisionTimeoutMs: number;
}

export interface ConnectOptions extends CallOptions {
  /** Applied when the implementation can (noble's HCI driver can; macOS/Windows ignore it). */
  readonly parameters?: ConnectionParameters;
}

/** A discovered characteristic. `properties` uses noble's words ('read', 'write', 'writeWithoutResponse', 'notify', 'indicate', ...). */
export interface CharacteristicInfo {
  readonly uuid: string;
  readonly properties: readonly string[];
}

export interface ServiceInfo {
  readonly uuid: string;
  readonly characteristics: readonly CharacteristicInfo[];
}

/** One notification (or indication) from a subscribed characteristic. */
export interface Notification {
  /** Peripheral id (as in `Advertisement.id`). */
  readonly id: string;
  readonly serviceUuid: string;
  readonly characteristicUuid: string;
  /** The value bytes exactly as received. The receiver may keep them; the implementation never reuses the buffer. */
  readonly data: Uint8Array;
  /** Host receive time from the central's clock (µs, monotonic). */
  readonly hostTimeUs: number;
}

/** Why a link went down, as far as the stack knows. */
export interface DisconnectInfo {
  readonly id: string;
  /** HCI reason code when known (0x08 supervision timeout, 0x13 remote user terminated, 0x16 local host). */
  readonly reason: number | undefined;
  /** True when we asked for it (`disconnect()` or `close()`). */
  readonly requested: boolean;
}

/** Events of a central. Listeners run synchronously and must not throw (implementations catch and log if they do). */
export interface CentralEvents {
  stateChange: (state: AdapterState) => void;
  discover: (advertisement: Advertisement) => void;
  /** Fires exactly once per connection that went down, after its pending calls were rejected with `disconnected`. */
  disconnect: (info: DisconnectInfo) => void;
  notification: (notification: Notification) => void;
}

/** Subscribe with `on()`, which returns a function that removes the listener. */
export interface CentralEventSource<E extends { [K in keyof E]: (...args: never[]) => void }> {
  on<K extends keyof E>(event: K, listener: E[K]): () => void;
}

/** A link to one peripheral. Obtained from `Central.connect()`; dead after `disconnect` (a reconnect gives a new one). */
export interface Connection extends CentralEventSource<Pick<CentralEvents, 'disconnect' | 'notification'>> {
  readonly id: string;
  /** False once the link is down; never becomes true again. */
  readonly connected: boolean;
  /** Negotiated ATT MTU in bytes (23 until an exchange succeeds); notification payloads are at most `mtu - 3`. */
  readonly mtu: number;
  /**
   * Discover services and their characteristics. With `serviceUuids`, only those (missing ones are simply absent
   * from the result; callers check and raise `not-found`). Default timeout 10 s. Results are cached for the
   * connection; read/write/subscribe discover on demand if needed.
   */
  discover(serviceUuids?: readonly string[], options?: CallOptions): Promise<ServiceInfo[]>;
  /** Read a characteristic value. Default timeout 5 s. `not-found` if the characteristic is not there. */
  read(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<Uint8Array>;
  /** Write a characteristic value. Default timeout 5 s. */
  write(serviceUuid: string, characteristicUuid: string, data: Uint8Array, options?: WriteOptions): Promise<void>;
  /**
   * Enable notifications (or indications when the characteristic only indicates) by writing its CCCD; resolves
   * once the peer acknowledged. Notifications arrive as `notification` events on the connection and the central.
   * Default timeout 5 s. Subscriptions end with the link: after a reconnect, subscribe again.
   */
  subscribe(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<void>;
  unsubscribe(serviceUuid: string, characteristicUuid: string, options?: CallOptions): Promise<void>;
  /** Take the link down. Resolves when it is down; never rejects (already down is fine). Default timeout 5 s. */
  disconnect(options?: CallOptions): Promise<void>;
}

/** The central role. One instance per adapter; all state is instance-scoped. */
export interface Central extends CentralEventSource<CentralEvents> {
  /** Driver name for logs and docs, e.g. 'noble:stoprocent', 'noble:abandonware', 'fake'. */
  readonly driver: string;
  readonly state: AdapterState;
  /**
   * Resolve once the adapter is `poweredOn`. Rejects `adapter-unavailable` when the state is or becomes
   * `unsupported`/`unauthorized`/`poweredOff`, or when no stack could be loaded; `timeout` if still unknown after
   * `timeoutMs` (default 10 s).
   */
  waitForPoweredOn(options?: CallOptions): Promise<void>;
  /**
   * Start scanning; `discover` events follow. Replaces a running scan's filter. Rejects `adapter-unavailable`
   * if not powered on. Filtering by address is done by the implementation when the stack cannot.
   */
  startScan(filter?: ScanFilter): Promise<void>;
  /** Stop scanning. Never rejects. */
  stopScan(): Promise<void>;
  /**
   * Scan until a peripheral matching `filter` is seen, stop the scan and resolve with its advertisement.
   * Default timeout 10 s (`timeout`, scan stopped).
   */
  find(filter: ScanFilter, options?: CallOptions): Promise<Advertisement>;
  /**
   * Connect to a discovered peripheral (by `Advertisement.id` or address) and exchange the MTU where the stack
   * supports it. Default timeout 10 s; on timeout the pending connection is cancelled. `not-found` if the id was
   * never discovered by this central.
   */
  connect(id: string, options?: ConnectOptions): Promise<Connection>;
  /**
   * Stop scanning, disconnect everything, release the adapter. Pending waits, finds and connects reject with
   * `aborted`; calls on connections reject with `disconnected` as their links go down. Idempotent.
   */
  close(): Promise<void>;
}

/** The monotonic clock a central stamps notifications with (µs). Injected so tests are deterministic. */
export type ClockUs = () => number;
