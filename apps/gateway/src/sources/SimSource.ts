import { Worker } from 'node:worker_threads';
import { decode, HIPCUE_UUIDS, imuSampleCount, samplePeriodUs } from '@hipcue/firmware-protocol';
import type { Exercise, Side } from '@hipcue/messages';
import { type SessionSpec, simulateSession } from '@hipcue/sim';
import type { RawNotification } from '../session/types.ts';
import { Player } from './Player.ts';
import type { NotificationSource, Pacing, SourceSink } from './types.ts';

export interface SimSourceOptions extends Pacing {
  exercise: Exercise;
  side: Side;
  seed: number;
  /** Reps per set (default 6..12 drawn per block). */
  reps?: number | [number, number];
  /** Per-rep fault probabilities (default: a few lumbar arches / drops so cues show). */
  faults?: SessionSpec['faults'];
  /** Stop after this many blocks (default endless). A block is one calibration-like hold and one set. */
  maxBlocks?: number;
  /** Rest after each set, s (default 20–30: the pipeline ends a set after 15 s at rest). 0 runs sets back to back. */
  restAfterSetS?: number;
  /** Link loss rate 0..1 (default 0). */
  lossRate?: number;
  sensorId?: string;
  /**
   * Generate the next block in a worker thread while this one plays (default: when not under a test runner).
   * Falls back to generating inline when the worker is not ready or cannot start.
   */
  useWorker?: boolean;
}

const DEFAULT_FAULTS: Record<Exercise, SessionSpec['faults']> = {
  'hip-thrust': { lumbar_arch: 0.15, pelvic_drop: 0.1 },
  'glute-bridge': { lumbar_arch: 0.15, pelvic_drop: 0.1 },
  // a short rep now and then: a pelvis-only clamshell's range is judged after the set (docs/dsp.md §4)
  clamshell: { pelvic_roll: 0.2, partial_range: 0.15 },
  'side-plank-clamshell': { pelvic_roll: 0.1, hip_sag: 0.15 },
};

/**
 * An endless simulated patient from @hipcue/sim: one set at a time (each a `simulateSession` block with a
 * still hold, then reps), stitched so the sensor clock, sequence numbers, host times and mounting continue
 * across blocks, played at the notifications' host times. Flagged simulated everywhere.
 *
 * The next block is generated in a worker thread while the current one plays; without a worker (tests) it is
 * generated inline when the current one runs out (~0.1–0.5 s of CPU, one late batch per block).
 */
export class SimSource implements NotificationSource {
  readonly kind = 'sim' as const;
  readonly simulated = true;
  readonly profile = 'hipcue';
  readonly sensorId: string;
  readonly exercise: Exercise;
  readonly side: Side;
  private player: Player | undefined;
  private queue: RawNotification[] = [];
  private qi = 0;
  private block = 0;
  private mounting: [number, number, number, number] | undefined;
  private continuation: { sensorTimeUs: number; seq: number; hostUs: number } | undefined;
  private readonly characteristic = HIPCUE_UUIDS.imuData.noble;
  private worker: Worker | undefined;
  private prefetched: { block: number; notifications: RawNotification[] } | undefined;
  private prefetchId = 0;
  private workerFailed = false;

  constructor(private readonly options: SimSourceOptions) {
    this.sensorId = options.sensorId ?? 'sim-pelvis';
    this.exercise = options.exercise;
    this.side = options.side;
  }

  async start(sink: SourceSink): Promise<void> {
    sink.state('streaming', 'Simulated sensor (no real sensor connected).');
    this.player = new Player(
      () => this.next(),
      (n) => sink.notification(n),
      () => {
        sink.state('ended', 'The simulation ended.');
        sink.end();
      },
      this.options.speed,
      this.options.nowMs,
      (err) => {
        sink.state('disconnected', `The simulator failed: ${err.message}`);
        sink.end();
      },
    );
    this.player.start();
  }

  async stop(): Promise<void> {
    this.player?.stop();
    await this.worker?.terminate();
    this.worker = undefined;
  }

  /** The next notification, generating a block when needed; undefined after `maxBlocks`. */
  next(): RawNotification | undefined {
    if (this.qi >= this.queue.length) {
      if (this.options.maxBlocks !== undefined && this.block >= this.options.maxBlocks) return undefined;
      this.generate();
    }
    return this.queue[this.qi++];
  }

  private specFor(block: number): SessionSpec {
    const o = this.options;
    const c = this.continuation;
    return {
      seed: o.seed + block,
      // one patient: the same person and start pose every set (a new person each block moved the start pose by up to
      // 15° between sets without a turn the gyro saw, and the pipeline lost most of one set's reps)
      personSeed: o.seed,
      exercise: o.exercise,
      side: o.side,
      sets: 1,
      // A rest after each set, as the article prescribes between sets (the pipeline ends a set after 15 s still).
      endRestS: o.restAfterSetS ?? 20 + (block % 3) * 5,
      reps: o.reps ?? [6, 12],
      faults: o.faults ?? DEFAULT_FAULTS[o.exercise],
      ...(this.mounting ? { mountingQuat: this.mounting } : {}),
      link: {
        sensorId: this.sensorId,
        lossRate: o.lossRate ?? 0,
        ...(c ? { sensorTimeStartUs: c.sensorTimeUs, seqStart: c.seq, hostStartUs: c.hostUs } : {}),
      },
    };
  }

  private generate(): void {
    const block = this.block++;
    let notifications: RawNotification[];
    if (this.prefetched?.block === block) {
      notifications = this.prefetched.notifications;
    } else {
      const sim = simulateSession(this.specFor(block));
      this.mounting ??= [...sim.meta.mountingQuat] as [number, number, number, number];
      // Host times in the first block start at the real wall clock, so recordings carry plausible times.
      const shift = this.continuation ? 0 : Date.now() * 1000 - (sim.notifications[0]?.hostTimeUs ?? 0);
      notifications = sim.notifications.map((n) => ({
        hostTimeUs: n.hostTimeUs + shift,
        sensorId: n.sensorId,
        characteristic: this.characteristic,
        bytes: n.bytes,
      }));
    }
    this.prefetched = undefined;
    this.queue = notifications;
    this.qi = 0;
    this.continuation = this.continuationAfter(this.queue);
    this.prefetch(this.block);
  }

  /** Asks the worker for block `block` (its spec is known once the previous block is). */
  private prefetch(block: number): void {
    const o = this.options;
    if (this.workerFailed || !(o.useWorker ?? process.env.VITEST === undefined)) return;
    if (o.maxBlocks !== undefined && block >= o.maxBlocks) return;
    try {
      this.worker ??= this.startWorker();
    } catch {
      return;
    }
    const id = ++this.prefetchId;
    const onMessage = (msg: { id: number; notifications?: Omit<RawNotification, 'characteristic'>[] }) => {
      if (msg.id !== id) return;
      this.worker?.off('message', onMessage);
      if (msg.notifications && this.block === block) {
        this.prefetched = {
          block,
          notifications: msg.notifications.map((n) => ({ ...n, characteristic: this.characteristic })),
        };
      }
    };
    this.worker.on('message', onMessage);
    this.worker.postMessage({ id, spec: this.specFor(block) });
  }

  private startWorker(): Worker {
    const w = new Worker(new URL('./simWorker.ts', import.meta.url));
    w.unref();
    w.on('error', () => {
      // Cannot load (no TypeScript loader in this process): generate inline from now on.
      this.workerFailed = true;
      this.worker = undefined;
    });
    return w;
  }

  private continuationAfter(
    queue: RawNotification[],
  ): { sensorTimeUs: number; seq: number; hostUs: number } | undefined {
    for (let i = queue.length - 1; i >= 0; i--) {
      const f = decode(queue[i]!.bytes);
      if (f.type !== 'imu') continue;
      const n = imuSampleCount(f);
      const period = samplePeriodUs(f.rateCode);
      return {
        sensorTimeUs: (f.sensorTimeUs + n * period) % 0x1_0000_0000,
        seq: (f.seq + n) & 0xffff,
        hostUs: queue[i]!.hostTimeUs + Math.round(n * period),
      };
    }
    return undefined;
  }
}
