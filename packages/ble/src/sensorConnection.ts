import type { Advertisement, CallOptions, Central, Connection, ConnectionParameters, Notification } from './central.ts';
import { CentralError } from './centralError.ts';
import { connectionParametersFor } from './connectionParameters.ts';
import { type Logger, silentLogger } from './logger.ts';
import type { ProfileDecoder, ProfileEvent, SensorProfile, SensorRole } from './profiles/sensorProfile.ts';
import type { SensorEvent, SensorState } from './sensorEvents.ts';
import { SharedScanner } from './sharedScanner.ts';
import { systemTimers, type TimerHandle, type Timers } from './timers.ts';
import { normalizeAddress } from './uuid.ts';
import { Watchdog } from './watchdog.ts';

export interface SensorConnectionSettings {
  readonly scanTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Timeout of each GATT call during setup. */
  readonly gattTimeoutMs: number;
  /** No data for this long on a live link → drop it and reconnect. Default: 1 s or 20 sample periods if longer. */
  readonly watchdogMs: number | undefined;
  /** Reconnect delays: initial · 2^(attempt−1), capped, times 1 ± jitter. */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly backoffJitter: number;
  readonly batteryPollMs: number;
  /** Requested connection parameters; default `connectionParametersFor(profile.sampleRateHz)`. */
  readonly connectionParameters: ConnectionParameters | undefined;
}

export const sensorConnectionDefaultSettings: SensorConnectionSettings = {
  scanTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  gattTimeoutMs: 5_000,
  watchdogMs: undefined,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  backoffJitter: 0.2,
  batteryPollMs: 60_000,
  connectionParameters: undefined,
};

/** How long a peripheral that is not the expected sensor is skipped when scanning. */
const SHUN_MS = 60_000;

export interface SensorConnectionOptions {
  readonly role: SensorRole;
  readonly central: Central;
  readonly profile: SensorProfile;
  /** Connect only to this address (or noble id); otherwise the first sensor of the profile's kind. */
  readonly address?: string;
  readonly settings?: Partial<SensorConnectionSettings>;
  readonly timers?: Timers;
  /** Uniform [0, 1) for backoff jitter; inject a seeded one in tests. */
  readonly random?: () => number;
  readonly logger?: Logger;
  /** Shared with other sensors on the same central (SensorHub does this). */
  readonly scanner?: SharedScanner;
  /** Peripherals another role already uses; they are skipped when scanning. */
  readonly isClaimed?: (id: string) => boolean;
}

/**
 * One sensor's connection state machine:
 * scanning → connecting → discovering → configuring → subscribing → streaming, and on any failure, link loss or
 * watchdog: backoff → scanning again (exponential, with jitter), re-subscribing from scratch. Samples, gaps
 * (from sequence numbers, across reconnects), battery and every state change come out as `SensorEvent`s.
 */
export class SensorConnection {
  readonly role: SensorRole;
  readonly profile: SensorProfile;
  readonly #central: Central;
  readonly #settings: SensorConnectionSettings;
  readonly #timers: Timers;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #scanner: SharedScanner;
  readonly #isClaimed: (id: string) => boolean;
  readonly #address: string | undefined;
  readonly #decoder: ProfileDecoder;
  readonly #listeners = new Set<(event: SensorEvent) => void>();
  #state: SensorState = 'idle';
  #attempt = 0;
  #connection: Connection | undefined;
  #stopper: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #batteryPct: number | null = null;
  #claimedId: string | undefined;
  #lostSamples = 0;
  /** Peripherals that advertised the service but turned out not to be this kind of sensor: skipped until then. */
  readonly #shunnedUntilMs = new Map<string, number>();

  constructor(options: SensorConnectionOptions) {
    this.role = options.role;
    this.profile = options.profile;
    this.#central = options.central;
    this.#settings = { ...sensorConnectionDefaultSettings, ...options.settings };
    this.#timers = options.timers ?? systemTimers;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? silentLogger;
    this.#scanner =
      options.scanner ?? new SharedScanner(options.central, { timers: this.#timers, logger: this.#logger });
    this.#isClaimed = options.isClaimed ?? (() => false);
    this.#address = options.address === undefined ? undefined : normalizeAddress(options.address);
    this.#decoder = options.profile.createDecoder();
  }

  get state(): SensorState {
    return this.#state;
  }

  /** Last known battery level, percent. */
  get batteryPct(): number | null {
    return this.#batteryPct;
  }

  /** Samples reported lost and not recovered since start: 0 means "reconnected — nothing lost". */
  get lostSamples(): number {
    return this.#lostSamples;
  }

  /** Id of the peripheral this sensor is connecting or connected to (claimed from the other roles). */
  get peripheralId(): string | undefined {
    return this.#claimedId;
  }

  onEvent(listener: (event: SensorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Start the state machine (idempotent). */
  start(): void {
    if (this.#loop !== undefined) return;
    this.#stopper = new AbortController();
    this.#loop = this.#run(this.#stopper.signal);
  }

  /** Stop: abort what is in flight, disconnect, end in `stopped`. */
  async stop(): Promise<void> {
    this.#stopper?.abort(new Error('stopped'));
    await this.#loop;
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let reason: string | undefined;
      try {
        reason = await this.#session(signal);
      } catch (error) {
        if (signal.aborted) break;
        const code = error instanceof CentralError ? error.code : 'internal';
        const message = error instanceof Error ? error.message : String(error);
        this.#emit({ type: 'error', role: this.role, during: this.#state, code, message });
        reason = code;
      } finally {
        await this.#dropLink();
      }
      if (signal.aborted) break;
      this.#attempt++;
      this.#to('backoff', reason);
      if (!(await this.#sleep(this.#backoffMs(), signal))) break;
    }
    this.#to('stopped');
  }

  /** One pass through scan → stream; resolves with why streaming ended (link lost / watchdog). */
  async #session(signal: AbortSignal): Promise<string> {
    const call = (timeoutMs: number): CallOptions => ({ timeoutMs, signal });
    const s = this.#settings;
    this.#to('scanning');
    // An adapter that is off or missing is a failure like any other: back off and look again later.
    await this.#central.waitForPoweredOn(call(s.scanTimeoutMs));
    const ad = await this.#scanner.find(
      {
        serviceUuids: [this.profile.serviceUuid],
        ...(this.#address === undefined ? {} : { addresses: [this.#address] }),
      },
      (candidate: Advertisement) => !this.#isClaimed(candidate.id) && !this.#isShunned(candidate.id),
      call(s.scanTimeoutMs),
    );
    this.#claimedId = ad.id;
    this.#to('connecting');
    const connection = await this.#central.connect(ad.id, {
      ...call(s.connectTimeoutMs),
      parameters: s.connectionParameters ?? connectionParametersFor(this.profile.sampleRateHz),
    });
    this.#connection = connection;
    let feedWatchdog = (): void => {};
    let endStreaming: ((why: string) => void) | undefined;
    const ended = new Promise<string>((resolve) => {
      endStreaming = resolve;
    });
    connection.on('notification', (n) => {
      if (n.characteristicUuid === this.profile.dataCharacteristicUuid) feedWatchdog();
      this.#onNotification(n);
    });
    connection.on('disconnect', () => {
      for (const e of this.#decoder.flush()) this.#forward(e);
      endStreaming?.('link-lost');
    });
    const gatt = call(s.gattTimeoutMs);
    this.#to('discovering');
    const info = await this.profile.discover(connection, gatt).catch((error: unknown) => {
      if (error instanceof CentralError && error.code === 'not-found') {
        this.#shunnedUntilMs.set(ad.id, this.#timers.now() + SHUN_MS);
      }
      throw error;
    });
    this.#setBattery(info.batteryPct);
    this.#to('configuring');
    await this.profile.configure(connection, gatt);
    this.#to('subscribing');
    await this.profile.subscribe(connection, gatt);
    if (!connection.connected) return 'link-lost';
    this.#attempt = 0;
    this.#to('streaming');
    this.#emit({
      type: 'connected',
      role: this.role,
      id: connection.id,
      address: ad.address,
      mtu: connection.mtu,
      info,
    });

    const watchdogMs = s.watchdogMs ?? Math.max(1_000, 20_000 / this.profile.sampleRateHz);
    const watchdog = new Watchdog(this.#timers, watchdogMs, (silentMs) => {
      this.#emit({ type: 'watchdog', role: this.role, silentMs });
      endStreaming?.('watchdog');
    });
    feedWatchdog = () => watchdog.feed();
    let battery: TimerHandle | undefined;
    const poll = (): void => {
      battery = this.#timers.setTimeout(() => {
        this.profile.readBattery(connection, gatt).then(
          (pct) => this.#setBattery(pct),
          (error: unknown) => this.#logger.debug('battery read failed', { role: this.role, error: String(error) }),
        );
        poll();
      }, s.batteryPollMs);
    };
    poll();
    const onAbort = (): void => endStreaming?.('stopped');
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await ended;
    } finally {
      signal.removeEventListener('abort', onAbort);
      watchdog.stop();
      if (battery !== undefined) this.#timers.clearTimeout(battery);
    }
  }

  #isShunned(id: string): boolean {
    const until = this.#shunnedUntilMs.get(id);
    return until !== undefined && this.#timers.now() < until;
  }

  #onNotification(n: Notification): void {
    this.#emit({ type: 'frame', role: this.role, notification: n });
    for (const e of this.#decoder.decode(n)) this.#forward(e);
  }

  #forward(e: ProfileEvent): void {
    if (e.type === 'gap') this.#lostSamples += e.lostSamples;
    if (e.type === 'recovered') this.#lostSamples -= e.samples.length;
    if (e.type === 'battery') this.#setBattery(e.batteryPct);
    else this.#emit({ ...e, role: this.role });
    if (e.type === 'gap') this.#requestBackfill(e.fromSeq, e.toSeq, e.lostSamples);
  }

  /**
   * Buzzes the sensor (a cue the patient can feel without looking). Resolves false when the sensor cannot
   * (no motor in its profile, or not streaming); a failed write is logged and resolves false — never throws.
   */
  async haptic(patternMs: readonly number[], intensityPct = 80): Promise<boolean> {
    const connection = this.#connection;
    const buzz = this.profile.haptic;
    if (buzz === undefined || connection === undefined || !connection.connected) return false;
    try {
      await buzz(connection, patternMs, intensityPct, { timeoutMs: this.#settings.gattTimeoutMs });
      return true;
    } catch (error: unknown) {
      this.#logger.info('haptic write failed', { role: this.role, error: String(error) });
      return false;
    }
  }

  /** Whether this sensor's profile can buzz. */
  get hasHaptics(): boolean {
    return this.profile.haptic !== undefined;
  }

  /** Ask the sensor for a gap's samples; they return as `recovered` events. Best effort: a refusal is reported. */
  #requestBackfill(fromSeq: number, toSeq: number, count: number): void {
    const connection = this.#connection;
    const request = this.profile.requestBackfill;
    if (request === undefined || connection === undefined || !connection.connected) return;
    request(connection, fromSeq, count, { timeoutMs: this.#settings.gattTimeoutMs }).then(
      () => this.#emit({ type: 'backfillRequested', role: this.role, fromSeq, toSeq, accepted: true }),
      (error: unknown) => {
        this.#logger.info('backfill refused', { role: this.role, fromSeq, error: String(error) });
        this.#emit({ type: 'backfillRequested', role: this.role, fromSeq, toSeq, accepted: false });
      },
    );
  }

  #setBattery(pct: number | null): void {
    if (pct === null && this.#batteryPct !== null) return;
    this.#batteryPct = pct;
    this.#emit({ type: 'battery', role: this.role, batteryPct: pct });
  }

  async #dropLink(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    this.#claimedId = undefined;
    if (connection?.connected) await connection.disconnect({ timeoutMs: 2_000 });
  }

  #backoffMs(): number {
    const s = this.#settings;
    const base = Math.min(s.backoffMaxMs, s.backoffInitialMs * 2 ** Math.max(0, this.#attempt - 1));
    return Math.round(base * (1 + s.backoffJitter * (2 * this.#random() - 1)));
  }

  /** Resolves true after `ms`, or false as soon as the signal aborts. */
  #sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const timer = this.#timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = (): void => {
        this.#timers.clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #to(state: SensorState, reason?: string): void {
    if (state === this.#state) return;
    const from = this.#state;
    this.#state = state;
    this.#emit({
      type: 'state',
      role: this.role,
      from,
      to: state,
      attempt: this.#attempt,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  #emit(event: SensorEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error('sensor event listener threw', { role: this.role, error: String(error) });
      }
    }
  }
}
