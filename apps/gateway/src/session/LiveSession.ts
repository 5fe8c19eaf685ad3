import { chmod, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decode } from '@hipcue/firmware-protocol';
import type { ClientMessage, Exercise, Role, Side, Snapshot } from '@hipcue/messages';
import type { SessionMeta } from '@hipcue/recording';
import { openRecordingFile, type RecordingFile } from '@hipcue/recording/node';
import type { Logger } from '../logger.ts';
import type { NotificationSource, SourceSink } from '../sources/types.ts';
import { newSessionId } from './idAndLabel.ts';
import { ControlReplayer } from './replayControls.ts';
import { SessionCore } from './SessionCore.ts';
import type { CommandResult, LiveSessionHandle, RawNotification, SessionListener } from './types.ts';

export interface LiveSessionOptions {
  /** Creates the source for an exercise (sim restarts with the new exercise; replay/ble ignore it). */
  createSource: (exercise: Exercise, side: Side) => Promise<NotificationSource>;
  exercise: Exercise;
  side: Side;
  /** Where recordings go (`<dataDir>/sessions/<sessionId>.mcap`); undefined = do not record. */
  sessionsDir: string | undefined;
  /** Pseudonymous label, never a name. */
  patientLabel: string;
  log: Logger;
  /** Recording flush period, ms. */
  recordingFlushMs?: number;
  /** Chart frames and points per second of sample time (default 25 and 50). */
  chart?: { framesPerS: number; pointsPerS: number };
}

/**
 * The live session the gateway serves: a source feeding a SessionCore, recorded to a file as it happens.
 * Choosing another exercise closes this session and starts a new one (new id, new recording); listeners
 * stay subscribed and get `reset()` so clients receive a fresh snapshot.
 */
/** Two short pulses: distinct from a phone notification's single long one. */
export const HAPTIC_CORRECTION_MS = [120, 80, 120] as const;

export class LiveSession implements LiveSessionHandle {
  core!: SessionCore;
  source!: NotificationSource;
  recordingPath: string | undefined;
  private recording: RecordingFile | undefined;
  private recordingFailed = false;
  private replayer: ControlReplayer | undefined;
  /** Listener → its unsubscribe from the current core (re-made when the core is replaced). */
  private readonly listeners = new Map<SessionListener, () => void>();
  private ended = false;
  private readonly endWaiters: (() => void)[] = [];

  constructor(private readonly options: LiveSessionOptions) {}

  get sessionId(): string {
    return this.core.sessionId;
  }

  get ingestMs(): number | undefined {
    return this.core.ingestMs;
  }

  async start(): Promise<void> {
    await this.open(this.options.exercise, this.options.side);
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.set(listener, this.core.subscribe(listener));
    return () => {
      this.listeners.get(listener)?.();
      this.listeners.delete(listener);
    };
  }

  snapshot(clientId: string, role: Role): Snapshot {
    return this.core.snapshot(clientId, role);
  }

  command(msg: ClientMessage, role: Role): CommandResult {
    if (msg.type !== 'select-exercise') return this.core.command(msg, role);
    if (this.source.kind === 'replay') {
      return {
        ok: false,
        code: 'invalid-state',
        message: 'a replayed session keeps the exercise it was recorded with',
      };
    }
    this.switchExercise(msg.exercise, msg.side).catch((err: Error) =>
      this.options.log.error('could not switch exercise', { error: err.message }),
    );
    return { ok: true };
  }

  /** Resolves when the source ended (replay, or a sim with `maxBlocks`). */
  whenEnded(): Promise<void> {
    return this.ended ? Promise.resolve() : new Promise((resolve) => this.endWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.source?.stop();
    this.core?.finish();
    await this.closeRecording();
  }

  private async switchExercise(exercise: Exercise, side: Side): Promise<void> {
    await this.source.stop();
    this.core.finish();
    await this.closeRecording();
    await this.open(exercise, side);
    for (const l of this.listeners.keys()) l.reset?.();
  }

  private async open(exercise: Exercise, side: Side): Promise<void> {
    const source = await this.options.createSource(exercise, side);
    this.source = source;
    const startedAt = new Date();
    const sessionId = newSessionId(startedAt);
    const ex = source.exercise ?? exercise;
    const sd = source.side ?? side;
    await this.openRecording(sessionId, {
      patient: this.options.patientLabel,
      exercise: ex,
      side: sd,
      sensors: [
        { sensorId: source.sensorId, role: 'pelvis', profile: source.profile, firmware: '' },
        ...(source.extraSensors ?? []).map((x) => ({ ...x, firmware: '' })),
      ],
      startedAt: startedAt.toISOString(),
      source: source.kind === 'ble' ? 'live' : source.kind,
      extra: { sessionId, simulated: String(source.simulated) },
    });
    this.core = new SessionCore(
      {
        sessionId,
        patientLabel: this.options.patientLabel,
        source: source.kind,
        simulated: source.simulated,
        exercise: ex,
        side: sd,
        startedAt: startedAt.toISOString(),
        sensorId: source.sensorId,
        profile: source.profile,
        backfill: source.backfill ?? false,
        segments: source.extraSensors ?? [],
        haptics: source.haptics === true && source.haptic !== undefined,
        ...(this.options.chart
          ? { chartFramesPerS: this.options.chart.framesPerS, chartPointsPerS: this.options.chart.pointsPerS }
          : {}),
      },
      (hostTimeUs, event) => {
        if (this.recording && !this.recordingFailed)
          this.recording.writer.addEvent(hostTimeUs, event).catch((e) => this.onRecordingError(e));
      },
    );
    for (const [l, off] of this.listeners) {
      off();
      this.listeners.set(l, this.core.subscribe(l));
    }
    if (source.haptic) {
      // A correction the patient can feel without looking up. The dsp cue arbiter already keeps cues to one at
      // a time and never repeats one within a rep; cues for backfilled history (`late`) are not buzzed.
      const buzz = source.haptic.bind(source);
      this.core.subscribe({
        events: (es) => {
          for (const e of es) if (e.type === 'cue' && e.kind === 'correction' && !e.late) buzz(HAPTIC_CORRECTION_MS);
        },
      });
    }
    this.replayer = source.controls ? new ControlReplayer(source.controls) : undefined;
    this.ended = false;
    const sink: SourceSink = {
      notification: (n) => this.onNotification(n),
      state: (state, message, sensorId) => {
        if (message && (state === 'disconnected' || state === 'unavailable')) {
          this.options.log.warn('sensor state', { state, message, sensor: sensorId ?? 'pelvis' });
        }
        this.core.setSensorState(state, message, sensorId);
      },
      end: () => {
        this.core.finish();
        this.ended = true;
        for (const w of this.endWaiters.splice(0)) w();
      },
    };
    this.options.log.info('session started', { sessionId, source: source.kind, exercise: ex, side: sd });
    try {
      await source.start(sink);
    } catch (err) {
      // No data will come: do not leave an empty recording behind.
      const path = this.recordingPath;
      await this.closeRecording();
      if (path) await rm(path, { force: true });
      throw err;
    }
  }

  private isBackfillFrame(n: RawNotification): boolean {
    if (this.source.profile !== 'hipcue') return false;
    const f = decode(n.bytes);
    return f.type === 'imu' && f.backfill;
  }

  private onNotification(n: RawNotification): void {
    if (this.recording && !this.recordingFailed) {
      this.recording.writer
        .addNotification({
          hostTimeUs: n.hostTimeUs,
          sensorId: n.sensorId,
          characteristic: n.characteristic,
          bytes: n.bytes,
          // issue 8: resent history goes to its own channel, so the file shows what came late
          ...(n.backfill || this.isBackfillFrame(n) ? { backfill: true } : {}),
        })
        .catch((e) => this.onRecordingError(e));
    }
    this.core.ingest(n);
    this.replayer?.applyDue(this.core);
  }

  private async openRecording(sessionId: string, meta: SessionMeta): Promise<void> {
    const dir = this.options.sessionsDir;
    this.recording = undefined;
    this.recordingPath = undefined;
    this.recordingFailed = false;
    if (dir === undefined) return;
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, `${sessionId}.mcap`);
      this.recording = await openRecordingFile(path, meta, { flushIntervalMs: this.options.recordingFlushMs ?? 500 });
      await chmod(path, 0o600); // health data: owner only
      this.recordingPath = path;
      this.options.log.info('recording', { sessionId, file: `${sessionId}.mcap` });
    } catch (err) {
      this.options.log.error('cannot record this session; continuing without', {
        sessionId,
        error: (err as Error).message,
      });
    }
  }

  private onRecordingError(err: unknown): void {
    if (this.recordingFailed) return;
    this.recordingFailed = true;
    this.options.log.error('recording failed; the session continues unrecorded', { error: (err as Error).message });
  }

  private async closeRecording(): Promise<void> {
    const rec = this.recording;
    this.recording = undefined;
    if (rec) await rec.close().catch((e) => this.onRecordingError(e));
  }
}
