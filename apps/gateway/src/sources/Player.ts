import type { RawNotification } from '../session/types.ts';

/**
 * Plays notifications at their host times (scaled by `speed`) against the wall clock. Notifications due at
 * the same moment go out together (as a BLE connection event delivers them). With speed = Infinity, plays
 * as fast as possible in slices, yielding to the event loop between slices so sockets keep flowing.
 */
export class Player {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private startWallMs = 0;
  private startHostUs: number | undefined;

  constructor(
    private readonly next: () => RawNotification | undefined,
    private readonly deliver: (n: RawNotification) => void,
    private readonly onEnd: () => void,
    private readonly speed: number,
    private readonly nowMs: () => number = () => performance.now(),
    /** Called instead of throwing when producing the next notification fails (the player stops). */
    private readonly onError: (err: Error) => void = () => {},
  ) {}

  start(): void {
    this.startWallMs = this.nowMs();
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }

  private pending: RawNotification | undefined;

  private immediate: NodeJS.Immediate | undefined;

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) this.immediate = setImmediate(() => this.run());
    else this.timer = setTimeout(() => this.run(), delayMs);
  }

  private run(): void {
    if (this.stopped) return;
    const fast = !Number.isFinite(this.speed);
    let budget = 64;
    for (;;) {
      let n: RawNotification | undefined;
      try {
        n = this.pending ?? this.next();
      } catch (err) {
        this.stopped = true;
        this.onError(err as Error);
        return;
      }
      this.pending = undefined;
      if (n === undefined) {
        this.onEnd();
        return;
      }
      if (this.startHostUs === undefined) this.startHostUs = n.hostTimeUs;
      if (!fast) {
        const dueMs = this.startWallMs + (n.hostTimeUs - this.startHostUs) / 1000 / this.speed;
        const wait = dueMs - this.nowMs();
        if (wait > 0.5) {
          this.pending = n;
          this.schedule(wait);
          return;
        }
      }
      this.deliver(n);
      if (this.stopped) return;
      if (fast && --budget === 0) {
        this.schedule(0);
        return;
      }
    }
  }
}
