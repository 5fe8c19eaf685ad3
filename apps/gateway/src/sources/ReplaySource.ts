import { type Exercise, exerciseSchema, type Side, sideSchema } from '@hipcue/messages';
import type { Recording } from '@hipcue/recording';
import { readRecordingFile } from '@hipcue/recording/node';
import { CONTROL_NOTE_AUTHOR } from '../session/SessionCore.ts';
import type { RawNotification } from '../session/types.ts';
import { Player } from './Player.ts';
import type { NotificationSource, Pacing, ReplayedControl, SourceSink } from './types.ts';

export class ReplayError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The commands a recorded session applied (calibrate / sets / thresholds), to re-apply in place. */
export function controlsOf(rec: Recording): ReplayedControl[] {
  const out: ReplayedControl[] = [];
  for (const { event } of rec.events) {
    if (event.type === 'threshold') out.push({ type: 'threshold', tS: event.tS, name: event.name, value: event.value });
    if (event.type === 'note' && event.author === CONTROL_NOTE_AUTHOR) {
      try {
        const c = JSON.parse(event.text) as { type?: unknown };
        if (c.type === 'calibrate' || c.type === 'start-set' || c.type === 'end-set')
          out.push({ type: c.type, tS: event.tS });
      } catch {
        // not a control note after all
      }
    }
  }
  return out;
}

/**
 * Plays a recording's raw notifications through the live pipeline, at real time × `speed` or as fast as
 * possible. Exercise and side come from the recording; the commands it recorded are exposed as `controls`.
 */
export class ReplaySource implements NotificationSource {
  readonly kind = 'replay' as const;
  readonly simulated: boolean;
  readonly profile: string;
  readonly backfill: boolean;
  readonly extraSensors: { sensorId: string; role: 'thigh' | 'lumbar'; profile: string }[];
  readonly sensorId: string;
  readonly exercise: Exercise;
  readonly side: Side;
  readonly controls: readonly ReplayedControl[];
  private player: Player | undefined;
  private i = 0;

  private constructor(
    readonly recording: Recording,
    private readonly pacing: Pacing,
  ) {
    const meta = recording.meta;
    const pelvis = meta?.sensors.find((s) => s.role === 'pelvis') ?? meta?.sensors[0];
    this.sensorId = pelvis?.sensorId ?? recording.notifications[0]?.sensorId ?? 'pelvis';
    this.profile = pelvis?.profile ?? 'hipcue';
    // A live BLE session from hipcue firmware held samples behind gaps for backfill; the replay must too.
    this.backfill = meta?.source === 'live' && this.profile === 'hipcue';
    this.extraSensors = (meta?.sensors ?? []).flatMap((x) =>
      x !== pelvis && (x.role === 'thigh' || x.role === 'lumbar')
        ? [{ sensorId: x.sensorId, role: x.role, profile: x.profile }]
        : [],
    );
    this.simulated = meta?.source === 'sim' || meta?.extra.simulated === 'true';
    this.exercise = exerciseSchema.safeParse(meta?.exercise).data ?? 'hip-thrust';
    this.side = sideSchema.safeParse(meta?.side).data ?? 'left';
    this.controls = controlsOf(recording);
  }

  /** Reads and checks the file; a missing or unreadable file is a ReplayError naming it. */
  static async open(path: string, pacing: Pacing): Promise<ReplaySource> {
    const rec = await readRecordingFile(path);
    if (!rec.ok) throw new ReplayError(path, `cannot replay ${path}: ${rec.message} (offset ${rec.offset})`);
    if (rec.notifications.length === 0) throw new ReplayError(path, `cannot replay ${path}: it holds no notifications`);
    return new ReplaySource(rec, pacing);
  }

  static fromRecording(rec: Recording, pacing: Pacing): ReplaySource {
    return new ReplaySource(rec, pacing);
  }

  async start(sink: SourceSink): Promise<void> {
    sink.state('streaming', 'Replaying a recorded session.');
    this.player = new Player(
      () => this.next(),
      (n) => sink.notification(n),
      () => {
        sink.state('ended', 'The recording has ended.');
        sink.end();
      },
      this.pacing.speed,
      this.pacing.nowMs,
      (err) => {
        sink.state('disconnected', `Replay failed: ${err.message}`);
        sink.end();
      },
    );
    this.player.start();
  }

  async stop(): Promise<void> {
    this.player?.stop();
  }

  private next(): RawNotification | undefined {
    const n = this.recording.notifications[this.i++];
    if (!n) return undefined;
    return {
      hostTimeUs: n.hostTimeUs,
      sensorId: n.sensorId,
      characteristic: n.characteristic,
      bytes: n.bytes,
      ...(n.backfill ? { backfill: true } : {}),
    };
  }
}
