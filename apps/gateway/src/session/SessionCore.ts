import { type ProfileDecoder, thingy52Profile, thingy52ProfileDefaultSettings } from '@hipcue/ble';
import {
  type CalibrationSettings,
  ClockAligner,
  createPipeline,
  type Thresholds as DspThresholds,
  defaultThresholds,
  exerciseTargets,
  type Pipeline,
  type PipelineEvent,
  type RepMetrics,
  type SegmentRole,
  type SegmentStatus,
  type SetReview,
} from '@hipcue/dsp';
import {
  decode,
  type ReconstructedSample,
  type ReconstructorEvent,
  StreamReconstructor,
} from '@hipcue/firmware-protocol';
import type {
  ClientMessage,
  Exercise,
  Rep,
  Role,
  SensorConnection,
  SessionEvent,
  SessionEventInput,
  Side,
  Snapshot,
  SourceKind,
  Thresholds,
} from '@hipcue/messages';
import type { SessionEvent as RecordedEvent } from '@hipcue/recording';
import { AngleHistory } from './AngleHistory.ts';
import { reviewedWireReps } from './afterSetReview.ts';
import { ChartBatcher } from './ChartBatcher.ts';
import { ExtraSensorStatus } from './ExtraSensorStatus.ts';
import { LossMeter } from './LossMeter.ts';
import { SegmentFeed, type SegmentSensor } from './SegmentFeed.ts';
import { SessionState } from './SessionState.ts';
import { toRecordedEvents } from './toRecordedEvents.ts';
import type { CommandResult, LiveSample, LiveSessionHandle, RawNotification, SessionListener } from './types.ts';

export interface SessionCoreOptions {
  sessionId: string;
  patientLabel: string;
  source: SourceKind;
  simulated: boolean;
  exercise: Exercise;
  side: Side;
  /** ISO 8601 wall-clock start. */
  startedAt: string;
  sensorId: string;
  profile: string;
  thresholds?: Partial<DspThresholds>;
  chartFramesPerS?: number;
  chartPointsPerS?: number;
  /**
   * Extra sensors (thigh, upper lumbar): not the pelvis stream; put on its time base and given to the pipeline, which
   * uses the thigh for clamshells and the upper-lumbar sensor for thrust and bridge (packages/dsp).
   */
  segments?: readonly SegmentSensor[];
  /** Thingy:52: its configured motion rate, Hz (default the profile's 100); hipcue frames carry their own. */
  sampleRateHz?: number;
  /** The sensor buzzes on correction cues (reported in the snapshot). */
  haptics?: boolean;
  /** Hold live samples behind a gap while the sensor resends it (hipcue firmware v1.1 over BLE; default false). */
  backfill?: boolean;
  /** Calibration settings for the pipeline (the recording review's second look, analyzeRecording.ts); live: none. */
  calibration?: Partial<CalibrationSettings>;
}

/** A backfill hold ends when nothing came back for this long (host time), µs. */
export const BACKFILL_QUIET_US = 2_000_000;
/** …and at the latest after this long, µs: the patient's live cues wait no longer. */
export const BACKFILL_MAX_HOLD_US = 15_000_000;

/** Author of the notes that carry control commands in a recording, so a replay re-applies them in place. */
export const CONTROL_NOTE_AUTHOR = 'hipcue:control';

/** A command that changes what the pipeline computes; recorded so replay reproduces it. */
export type ControlCommand = Extract<ClientMessage, { type: 'calibrate' | 'start-set' | 'end-set' }>['type'];

/**
 * One live (or replayed) session: raw notifications → decode → stream reconstruction → dsp pipeline → session
 * events and chart frames, plus the state a snapshot needs. Pure: no sockets, files or clocks; time comes with
 * the samples. Listeners are called synchronously; `record` receives what the recording file must keep.
 */
export class SessionCore implements LiveSessionHandle {
  readonly sessionId: string;
  readonly state: SessionState;
  ingestMs: number | undefined;
  /** Decode errors (counted, never thrown). */
  decodeErrors = 0;
  private pipeline: Pipeline;
  /** The pipeline's own per-rep record, in the order of the session's reps (a few hundred at most). */
  readonly dspReps: RepMetrics[] = [];
  private readonly recon = new StreamReconstructor();
  /** Pelvis sensor clock → host clock, for putting the extra sensors' samples on the pelvis's time base. */
  private readonly pelvisClock = new ClockAligner();
  private readonly segmentFeed: SegmentFeed | undefined;
  /** Set for a Thingy:52 pelvis sensor (profile `thingy52`). */
  private readonly thingy: ProfileDecoder | undefined;
  private readonly chart: ChartBatcher;
  private readonly loss = new LossMeter();
  private readonly listeners = new Set<SessionListener>();
  private sampleListeners = 0;
  private angleListeners = 0;
  private t0Us: number | undefined;
  private lastHostUs = 0;
  private lastLossReportS = 0;
  private readonly extras: ExtraSensorStatus;
  private readonly sampleBuf: LiveSample[] = [];
  /** Session-wide counters (the pipeline's restart on recalibration). */
  private setsByDspIndex = new Map<number, string>();
  private endRequested = false;
  private readonly history = new AngleHistory();
  private lastHistoryT = Number.NEGATIVE_INFINITY;
  private pendingEvents: SessionEventInput[] = [];
  /** hipcue firmware v1.1 resends a gap from its history (issue 8); Thingy:52 and v1.0 cannot. */
  private readonly backfillCapable: boolean;
  /** While a backfill is awaited: the gaps, what came back, and the live samples held behind them. */
  private hold:
    | {
        gaps: { fromUs: number; toUs: number; lost: number }[];
        recovered: ReconstructedSample[];
        held: ReconstructedSample[];
        sinceHostUs: number;
        lastRecoveredHostUs: number;
      }
    | undefined;
  /** True while a hold's samples are analysed: cues then are history (`late`). */
  private releasing = false;
  /** Session totals of backfilled and unrecoverable samples. */
  readonly backfillTotals = { recovered: 0, lost: 0 };

  constructor(
    readonly options: SessionCoreOptions,
    private readonly record: (hostTimeUs: number, event: RecordedEvent) => void = () => {},
  ) {
    this.sessionId = options.sessionId;
    this.backfillCapable = options.backfill ?? false;
    this.thingy =
      options.profile === 'thingy52'
        ? thingy52Profile({
            sampleRateHz: options.sampleRateHz ?? thingy52ProfileDefaultSettings.sampleRateHz,
          }).createDecoder()
        : undefined;
    this.segmentFeed =
      options.segments && options.segments.length > 0
        ? new SegmentFeed(options.segments, this.pelvisClock, options.sampleRateHz)
        : undefined;
    this.pipeline = createPipeline({
      exercise: options.exercise,
      side: options.side,
      ...(this.segmentFeed ? { segments: this.segmentFeed.roles } : {}),
      thresholds: options.thresholds ?? {},
      ...(options.calibration ? { calibration: options.calibration } : {}),
      onAngles: (tS, a) => this.onAngles(tS, a),
    });
    this.chart = new ChartBatcher(options.chartFramesPerS ?? 25, options.chartPointsPerS ?? 50);
    this.state = new SessionState({
      ...options,
      thresholds: { ...this.pipeline.thresholds },
      defaultThresholds: { ...defaultThresholds },
      targetSets: exerciseTargets[options.exercise].sets.max,
      fatigueTarget: exerciseTargets[options.exercise].fatigueMin,
    });
    this.extras = new ExtraSensorStatus(
      options.segments ?? [],
      this.state.extraSensors,
      () => this.pipeline,
      (sensor) => this.emit({ type: 'sensor', tS: this.state.nowS, sensor }),
      options.simulated,
    );
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    if (listener.samples) this.sampleListeners++;
    if (listener.angles) this.angleListeners++;
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (listener.samples) this.sampleListeners--;
      if (listener.angles) this.angleListeners--;
    };
  }

  snapshot(clientId: string, role: Role): Snapshot {
    return this.state.snapshot(clientId, role);
  }

  /** Session time (s) of the newest sample. */
  /** What each extra sensor became in the pipeline (`ok`, `moved`, `lost`, …); empty without extra sensors. */
  get segments(): Readonly<Partial<Record<SegmentRole, SegmentStatus>>> {
    return this.segmentFeed ? this.pipeline.segments : {};
  }

  /** Undecodable notifications per extra sensor id. */
  get segmentDecodeErrors(): Record<string, number> {
    return this.segmentFeed?.decodeErrors ?? {};
  }

  get nowS(): number {
    return this.state.nowS;
  }

  /**
   * A connection state change of the pelvis sensor, or of the extra sensor `sensorId`. An extra sensor's message says
   * what the pipeline does with it unless the connection has something to say.
   */
  setSensorState(state: SensorConnection, message?: string, sensorId?: string): void {
    if (sensorId !== undefined && sensorId !== this.state.sensor.sensorId) {
      this.extras.update(sensorId, { state }, message);
      this.flushEvents();
      return;
    }
    // A replay or simulation that ended ended for every sensor in it.
    if (state === 'ended') this.extras.refresh(state);
    const s = this.state.sensor;
    if (s.state === state && s.message === message) {
      this.flushEvents();
      return;
    }
    this.state.sensor = { ...s, state, ...(message === undefined ? {} : { message }) };
    if (message === undefined) delete this.state.sensor.message;
    this.emit({ type: 'sensor', tS: this.state.nowS, sensor: this.state.sensor });
    this.flushEvents();
  }

  /** Feeds one raw notification. Bad bytes are counted, never thrown. */
  ingest(n: RawNotification): void {
    // Thigh and upper-lumbar sensors: queued on the pelvis's time base, fed with the pelvis samples they precede.
    if (this.segmentFeed?.ingest(n)) return;
    this.ingestMs = performance.now();
    this.lastHostUs = n.hostTimeUs;
    try {
      if (this.thingy) {
        this.ingestThingy(n, this.thingy);
        return;
      }
      const frame = decode(n.bytes);
      if (frame.type === 'error') {
        this.decodeErrors++;
        return;
      }
      if (frame.type === 'status') {
        if (frame.batteryPct !== this.state.sensor.batteryPct) {
          this.state.sensor = { ...this.state.sensor, batteryPct: frame.batteryPct };
          this.emit({ type: 'sensor', tS: this.state.nowS, sensor: this.state.sensor });
        }
        return;
      }
      if (frame.type !== 'imu') return;
      for (const ev of this.recon.feed(frame)) this.onReconstructed(ev);
      this.checkHold();
      this.drainPipeline();
      this.reportLoss();
    } finally {
      this.flushEvents();
      this.ingestMs = undefined;
    }
  }

  /** Nordic Thingy:52 stock firmware: raw motion without seq/time, decoded as packages/ble does live. */
  private ingestThingy(n: RawNotification, decoder: ProfileDecoder): void {
    const events = decoder.decode({
      id: n.sensorId,
      serviceUuid: '',
      characteristicUuid: n.characteristic,
      data: n.bytes,
      hostTimeUs: n.hostTimeUs,
    });
    for (const e of events) {
      if (e.type === 'samples' || e.type === 'gap' || e.type === 'recovered') this.onReconstructed(e);
      else if (e.type === 'decodeError') this.decodeErrors++;
      else if (e.type === 'battery' && e.batteryPct !== this.state.sensor.batteryPct) {
        this.state.sensor = { ...this.state.sensor, batteryPct: e.batteryPct };
        this.emit({ type: 'sensor', tS: this.state.nowS, sensor: this.state.sensor });
      }
    }
    this.drainPipeline();
    this.reportLoss();
  }

  /** Ends the stream: emits what is still held back (reorder window, last chart points). */
  finish(): void {
    for (const ev of this.recon.flush()) this.onReconstructed(ev);
    this.releaseHold();
    this.pipeline.flush();
    // the pipeline reviews a set the stream ended in as it stands (it has no set-end)
    this.drainPipeline();
    const last = this.chart.flush();
    if (last) for (const l of this.listeners) l.chart?.(last);
    this.flushEvents();
  }

  command(msg: ClientMessage, role: Role): CommandResult {
    const tS = this.state.nowS;
    switch (msg.type) {
      case 'calibrate':
      case 'start-set':
      case 'end-set':
        this.control(msg.type);
        break;
      case 'set-thresholds': {
        const update: Partial<DspThresholds> = {};
        for (const [key, value] of Object.entries(msg.thresholds)) {
          if (!(key in defaultThresholds)) {
            const known = Object.keys(defaultThresholds).join(', ');
            return { ok: false, code: 'bad-message', message: `unknown threshold "${key}" (known: ${known})` };
          }
          if (!(value >= 0))
            return { ok: false, code: 'bad-message', message: `threshold "${key}" must be ≥ 0, got ${value}` };
          update[key as keyof DspThresholds] = value;
        }
        this.pipeline.setThresholds(update);
        this.state.thresholds = { ...this.pipeline.thresholds } as Thresholds;
        this.emit({ type: 'thresholds', tS, thresholds: this.state.thresholds, by: role });
        for (const [name, value] of Object.entries(update))
          this.record(this.lastHostUs, { type: 'threshold', tS, name, value });
        break;
      }
      case 'pain-rating':
      case 'perceived-fatigue': {
        if (this.state.appliedRatingIds.has(msg.clientRatingId)) return { ok: true };
        this.state.appliedRatingIds.add(msg.clientRatingId);
        const { setId, rating, clientRatingId } = msg;
        if (msg.type === 'pain-rating') {
          this.emit({ type: 'pain-rating', tS, setId, rating, clientRatingId, by: role });
          this.record(this.lastHostUs, { type: 'pain', tS, rating });
        } else {
          this.emit({ type: 'perceived-fatigue', tS, setId, rating, clientRatingId });
          this.record(this.lastHostUs, {
            type: 'note',
            tS,
            text: `perceived fatigue ${rating}/10 (${setId ?? 'no set'})`,
            author: role,
          });
        }
        break;
      }
      case 'note': {
        const note = { id: `n${this.state.notes.length + 1}`, tS, text: msg.text, by: role };
        this.emit({ type: 'note', tS, note });
        this.record(this.lastHostUs, { type: 'note', tS, text: msg.text, author: role });
        break;
      }
      case 'select-exercise':
        return { ok: false, code: 'invalid-state', message: 'the exercise is chosen by starting a new session' };
      case 'ping':
        break;
    }
    this.flushEvents();
    return { ok: true };
  }

  /** Applies a control command at the current sample; also used by replay to re-apply recorded ones. */
  control(type: ControlCommand): void {
    const tS = this.state.nowS;
    if (type === 'calibrate') {
      this.pipeline.reset();
      this.setsByDspIndex = new Map();
      this.state.calibration = { state: 'holding', progress: 0 };
      this.emit({ type: 'calibration', tS, state: 'holding', progress: 0, stillness: 0, remainingS: 3 });
    } else if (type === 'start-set') {
      this.pipeline.startSet();
    } else {
      this.endRequested = true;
      this.pipeline.endSet();
    }
    this.record(this.lastHostUs, { type: 'note', tS, text: JSON.stringify({ type }), author: CONTROL_NOTE_AUTHOR });
    this.drainPipeline();
    this.endRequested = false;
    this.flushEvents();
  }

  private onReconstructed(ev: ReconstructorEvent): void {
    if (ev.type === 'samples') {
      const newest = ev.samples.at(-1);
      if (newest && !newest.backfill) this.pelvisClock.observe(newest.sensorTimeUs, this.lastHostUs);
      if (this.hold) this.hold.held.push(...ev.samples);
      else this.feed(ev.samples);
      this.loss.addReceived(this.state.nowS, ev.samples.length);
    } else if (ev.type === 'gap') {
      const t0 = this.t0Us ?? ev.fromTimeUs;
      const fromS = (ev.fromTimeUs - t0) / 1e6;
      const toS = (ev.toTimeUs - t0) / 1e6;
      this.loss.addLost(this.state.nowS, ev.lostSamples);
      this.emit({ type: 'gap', tS: fromS, sensorId: this.options.sensorId, fromS, toS, samplesLost: ev.lostSamples });
      this.record(this.lastHostUs, {
        type: 'gap',
        tS: fromS,
        sensorId: this.options.sensorId,
        fromUs: Math.round(ev.fromTimeUs - t0),
        toUs: Math.round(ev.toTimeUs - t0),
        recovered: false,
      });
      if (this.backfillCapable) {
        // Issue 8: the sensor resends what it still holds. Hold later live samples back so the pipeline sees
        // the gap's samples first, in order, and counts each rep once.
        this.hold ??= { gaps: [], recovered: [], held: [], sinceHostUs: this.lastHostUs, lastRecoveredHostUs: 0 };
        this.hold.gaps.push({ fromUs: ev.fromTimeUs, toUs: ev.toTimeUs, lost: ev.lostSamples });
      }
    } else if (ev.type === 'recovered') {
      if (this.hold) {
        this.hold.recovered.push(...ev.samples);
        this.hold.lastRecoveredHostUs = this.lastHostUs;
        const lost = this.hold.gaps.reduce((n, g) => n + g.lost, 0);
        if (this.hold.recovered.length >= lost) this.releaseHold();
        return;
      }
      // Too late to analyse (the hold had already been released): time only moves forward in the pipeline.
      const t0 = this.t0Us ?? 0;
      const first = ev.samples[0];
      const last = ev.samples.at(-1);
      if (first && last) {
        this.emit({
          type: 'backfill',
          tS: this.state.nowS,
          sensorId: this.options.sensorId,
          fromS: (first.sensorTimeUs - t0) / 1e6,
          toS: (last.sensorTimeUs - t0) / 1e6,
          samplesRecovered: ev.samples.length,
          samplesLost: 0,
        });
      }
    }
  }

  /**
   * Ends a backfill hold once every lost sample is back, or once the sensor has sent nothing for the gap in
   * `BACKFILL_QUIET_US` (it holds no more: older than its history, or a v1.0 sensor), or after `BACKFILL_MAX_HOLD_US`.
   * Host times come with the notifications, so a replay releases at the same point as the live run did.
   */
  private checkHold(): void {
    const h = this.hold;
    if (!h) return;
    const quietSince = Math.max(h.sinceHostUs, h.lastRecoveredHostUs);
    if (this.lastHostUs - quietSince >= BACKFILL_QUIET_US || this.lastHostUs - h.sinceHostUs >= BACKFILL_MAX_HOLD_US)
      this.releaseHold();
  }

  /** Feeds the gap's recovered samples and the held live ones to the pipeline in time order, and reports. */
  private releaseHold(): void {
    const h = this.hold;
    if (!h) return;
    this.hold = undefined;
    this.releasing = true;
    const recovered = h.recovered.sort((a, b) => a.sensorTimeUs - b.sensorTimeUs);
    // Recovered samples all lie inside earlier gaps, so they precede every held live sample.
    this.feed(recovered);
    this.feed(h.held);
    const lost = Math.max(0, h.gaps.reduce((n, g) => n + g.lost, 0) - recovered.length);
    const t0 = this.t0Us ?? 0;
    const fromS = (Math.min(...h.gaps.map((g) => g.fromUs)) - t0) / 1e6;
    const toS = (Math.max(...h.gaps.map((g) => g.toUs)) - t0) / 1e6;
    this.backfillTotals.recovered += recovered.length;
    this.backfillTotals.lost += lost;
    this.emit({
      type: 'backfill',
      tS: this.state.nowS,
      sensorId: this.options.sensorId,
      fromS,
      toS,
      samplesRecovered: recovered.length,
      samplesLost: lost,
    });
    this.record(this.lastHostUs, {
      type: 'note',
      tS: this.state.nowS,
      text: `backfill ${fromS.toFixed(3)}–${toS.toFixed(3)} s: ${recovered.length} samples recovered, ${lost} lost`,
      author: 'hipcue:link',
    });
    this.drainPipeline();
    this.releasing = false;
  }

  /**
   * Rep peaks come from this history: every sample's angles at its own time (the first reps are analysed after the
   * movement-axis fit, a second or few behind the newest sample), never the zeros before calibration.
   */
  private onAngles(tS: number, a: Readonly<{ tiltDeg: number; obliquityDeg: number; rotationDeg: number }>): void {
    if (!(tS > this.lastHistoryT)) return;
    this.lastHistoryT = tS;
    this.history.push(tS, a.tiltDeg, a.obliquityDeg, a.rotationDeg);
    if (this.angleListeners === 0) return;
    for (const l of this.listeners) l.angles?.(tS, a.tiltDeg, a.obliquityDeg, a.rotationDeg);
  }

  /** Samples in time order → pipeline (and through it the angle history), chart, sample listeners. */
  private feed(samples: readonly ReconstructedSample[]): void {
    const wantSamples = this.sampleListeners > 0;
    for (const s of samples) {
      if (this.t0Us === undefined) this.t0Us = s.sensorTimeUs;
      const t0 = this.t0Us;
      const tS = (s.sensorTimeUs - t0) / 1e6;
      this.segmentFeed?.feedUntil(s.sensorTimeUs, (us) => (us - t0) / 1e6, this.pipeline);
      const g = s.gyrRadPerS;
      const a = s.accMps2;
      this.pipeline.next(tS, g[0], g[1], g[2], a[0], a[1], a[2]);
      const ang = this.pipeline.angles;
      this.state.nowS = tS;
      const frame = this.chart.add(tS, ang.tiltDeg, ang.obliquityDeg, ang.rotationDeg);
      if (frame) {
        this.drainPipeline();
        this.flushEvents();
        for (const l of this.listeners) l.chart?.(frame);
      }
      if (wantSamples) {
        this.sampleBuf.push({ tS, gyrRadPerS: g, accMps2: a, ...ang });
      }
    }
    if (this.sampleBuf.length > 0) {
      for (const l of this.listeners) l.samples?.(this.sampleBuf);
      this.sampleBuf.length = 0;
    }
  }

  private reportLoss(): void {
    const nowS = this.state.nowS;
    if (nowS - this.lastLossReportS < 5) return;
    if (this.segmentFeed) this.extras.report(nowS - this.lastLossReportS, this.segmentFeed);
    this.lastLossReportS = nowS;
    const lossPct = Math.round(this.loss.lossPct(nowS) * 10) / 10;
    const rateHz = Math.round(this.loss.rateHz(nowS));
    const s = this.state.sensor;
    const changed = Math.abs(s.lossPct - lossPct) >= 0.5 || Math.abs(s.rateHz - rateHz) >= 5;
    this.state.sensor = { ...s, lossPct, rateHz };
    if (changed) this.emit({ type: 'sensor', tS: nowS, sensor: this.state.sensor });
  }

  private drainPipeline(): void {
    for (const ev of this.pipeline.drainEvents()) this.onPipelineEvent(ev);
  }

  private onPipelineEvent(ev: PipelineEvent): void {
    if (ev.type === 'rep') this.dspReps.push(ev.rep);
    if (ev.type === 'set-review') {
      this.sendReview(ev.tS, ev.reps, ev.review);
      return;
    }
    const mapped = this.state.apply(ev, {
      setIdFor: (dspIndex, create) => {
        let id = this.setsByDspIndex.get(dspIndex);
        if (id === undefined && create) {
          id = `set-${this.state.sets.length + 1}`;
          this.setsByDspIndex.set(dspIndex, id);
        }
        return id ?? null;
      },
      peaks: (fromS, toS) => this.history.peaks(fromS, toS),
      endReason: this.endRequested ? 'command' : 'rest',
    });
    for (const m of mapped) this.emit(m);
    for (const r of toRecordedEvents(mapped)) this.record(this.lastHostUs, r);
    // The hold decides what an extra sensor is used for (or why not): tell the therapist now, not at the next report.
    if (ev.type === 'calibration-done' || ev.type === 'calibration-failed') this.extras.refresh();
  }

  /**
   * The after-set review the pipeline ran as a set ended, or as the stream ended in it (packages/dsp `set-review`),
   * sent as `rep-review` events before its `set-end`, whose summary counts it: the patient hears nothing, and sees it
   * after the set. `reviewed` are the set's reps as the review judged them; their faults are in the review's changes.
   */
  private sendReview(tS: number, reviewed: readonly RepMetrics[], review: Readonly<SetReview>): void {
    this.flushEvents(); // the set's last rep may still be pending
    const position = new Map(this.dspReps.map((r, k) => [r.index, k]));
    const setReps: RepMetrics[] = [];
    const wireReps: Rep[] = [];
    for (const r of reviewed) {
      const k = position.get(r.index);
      const wire = k === undefined ? undefined : this.state.reps[k];
      if (!wire) continue;
      setReps.push(r);
      wireReps.push(wire);
    }
    for (const rep of reviewedWireReps(setReps, wireReps, review)) this.emit({ type: 'rep-review', tS, rep });
    this.flushEvents();
  }

  private emit(e: SessionEventInput): void {
    this.pendingEvents.push(e.type === 'cue' && this.releasing ? { ...e, late: true } : e);
  }

  private flushEvents(): void {
    if (this.pendingEvents.length === 0) return;
    const out: SessionEvent[] = this.pendingEvents.map((e) => this.state.commit(e));
    this.pendingEvents = [];
    for (const l of this.listeners) l.events?.(out);
  }
}
