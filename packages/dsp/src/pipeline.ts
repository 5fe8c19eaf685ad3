import { type AngleTracker, createAngleTracker } from './angleTracker.ts';
import { fullerThanYardstick } from './archOrPartial.ts';
import { type Attitude, type AttitudeSettings, createAttitude } from './attitude.ts';
import {
  type CalibrationSettings,
  calibrationMessages,
  checkFlipped,
  createHoldAccumulator,
  defaultCalibrationSettings,
  fitMounting,
  type HoldResult,
} from './calibrator.ts';
import { CueArbiter } from './cueArbiter.ts';
import { cueTexts } from './cues.ts';
import { createFaultChecker, type FaultChecker, type FaultInput, faultsFromMask } from './faults.ts';
import { type ExerciseGeometry, exerciseGeometry } from './poses.ts';
import { quatConjugate, quatRotate } from './quat.ts';
import { createRepDetector, type RepDetector, type RepDetectorSettings } from './reps.ts';
import { reviewSets, trailingMovement } from './review.ts';
import { SampleBuffer } from './sampleBuffer.ts';
import type { SegmentRole, SegmentStatus } from './segment.ts';
import { SegmentUse, segmentRoleFor } from './segmentUse.ts';
import { SetTracker } from './setTracker.ts';
import { createStillness, type Stillness } from './stillness.ts';
import { defaultThresholds, faultsByExercise, mergeThresholds, type Thresholds } from './thresholds.ts';
import type {
  AnglesDeg,
  CalibrationFailure,
  CalibrationResult,
  CueCode,
  Exercise,
  FaultCode,
  PipelineEvent,
  PipelineState,
  RepMetrics,
  Side,
} from './types.ts';

export interface PipelineOptions {
  exercise: Exercise;
  side: Side;
  /** Nominal rate; only sizes buffers. Times always come from the samples. */
  sampleRateHz?: number;
  thresholds?: Partial<Thresholds>;
  calibration?: Partial<CalibrationSettings>;
  reps?: Partial<RepDetectorSettings>;
  /** Rest longer than this after a rep ends the set, s. */
  setRestS?: number;
  /** Minimum time between two cues, s (one at a time, never nagging). */
  cueGapS?: number;
  /** Attitude tracker settings (gravity gain, acceleration rejection). */
  attitude?: Partial<AttitudeSettings>;
  /** Low-pass on the rep signal, Hz (0 = off; default 2 Hz for the clamshell only). */
  signalLowpassHz?: number;
  /** Samples further apart than this are a gap: the rep in progress is dropped, s. */
  maxGapS?: number;
  /**
   * Drift control at rest between reps (default on): the gyro bias is refined from still rest periods and the
   * start's heading re-anchored, so angles stay bounded over long sessions. `false` keeps the hold's values.
   */
  restRefine?: boolean;
  /**
   * After the movement-axis fit, buffered samples analysed per incoming sample (default 12: no stall live, the
   * angles lag for a second or few). `Infinity` analyses the whole buffer at once (offline analysis, where per-sample
   * angles must line up with their samples).
   */
  catchUpPerSample?: number;
  /**
   * Called with each sample's angles as they are computed, at that sample's own time: in time order, and for the
   * buffered samples too when they are analysed after the movement-axis fit (where `angles` after `next()` belong to
   * an earlier sample, `anglesTS`). For keeping every sample's angles, e.g. a recording's review.
   */
  onAngles?: (tS: number, angles: Readonly<AnglesDeg>) => void;
  /**
   * Extra sensors the patient wears (fed with `nextSegment`). The pipeline uses the thigh for clamshells (the knee
   * opening becomes the rep signal, and the axis of the first openings gives the mounting) and the upper-lumbar
   * sensor for thrust and bridge (lumbar extension measured directly for `lumbar_arch`); others are ignored.
   */
  segments?: readonly SegmentRole[];
}

/** Rest refinement: still for this long before the bias follows the gyro, s. */
const REST_SETTLE_S = 1;
/** Bias low-pass time constant at rest, s. */
const REST_BIAS_TAU_S = 4;
/** A sample whose rate is further than this from the bias is movement, not bias, rad/s (2°/s). */
const REST_BIAS_MAX_DEV = (2 * Math.PI) / 180;
/** Heading twist folded into the start once it exceeds this, degrees. */
const REST_REANCHOR_DEG = 0.25;

export interface Pipeline {
  next(tS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): void;
  drainEvents(): PipelineEvent[];
  readonly angles: Readonly<AnglesDeg>;
  /**
   * Sample time `angles` belongs to: NaN until calibrated; right after the movement-axis fit it trails the newest
   * sample for a second or few while the buffered samples are analysed.
   */
  readonly anglesTS: number;
  readonly state: PipelineState;
  readonly calibration: CalibrationResult | undefined;
  readonly thresholds: Readonly<Thresholds>;
  setThresholds(t: Partial<Thresholds>): void;
  startSet(): void;
  endSet(): void;
  markGap(fromS: number, toS: number): void;
  /**
   * One sample of an extra sensor (see `PipelineOptions.segments`), in the pelvis samples' time base, fed before the
   * pelvis sample of the same time (sample-and-hold). Any mounting; rad/s and m/s² in its own sensor frame.
   */
  nextSegment(
    role: SegmentRole,
    tS: number,
    gx: number,
    gy: number,
    gz: number,
    ax: number,
    ay: number,
    az: number,
  ): void;
  /** What each extra sensor in use became at calibration, and 'lost' once it went silent (then the pelvis alone). */
  readonly segments: Readonly<Partial<Record<SegmentRole, SegmentStatus>>>;
  /**
   * End of the stream: analyse every sample still buffered (the axis fit's catch-up), and review the set the stream
   * ends in as it stands (`set-review`, no `set-end`). Should samples follow, the set is reviewed again when it closes,
   * and that review replaces this one.
   */
  flush(): void;
  reset(): void;
}

/** Per-exercise rep settings: clamshell pelvis motion is small (docs/dsp.md), so its floor is lower. */
function repSettingsFor(exercise: Exercise): Partial<RepDetectorSettings> {
  switch (exercise) {
    case 'clamshell':
      // A good clamshell rolls the pelvis 1–4°; roll-back faults reach 10–30°. Cap the threshold at normal reps.
      // A clamshell turns the pelvis about one axis (its counter-roll); settling back on the mat between sets turns it
      // about all three, so a movement that leaves the rest more off that axis than on it is repositioning.
      return { minRangeDeg: 0.25, maxEnterDeg: 0.3, initialRangeDeg: 2, endOnSettle: true, maxOffAxisRatio: 1 };
    case 'side-plank-clamshell':
      // A hip sag is the plank held lower, at least 20 % of the lift above the floor (faults.ts): the rep must not
      // end there, so it ends only below 15 % of its peak. The lift is a tilt of the same kind as a bridge's, and a
      // partial lift of 4–5° is a real rep, the one partial_range is about.
      // A slow partial lift (7° over 3 s) rises at 2–3 °/s, which the stillness detector calls still: the baseline
      // follows 4× slower while the pelvis turns faster than 1 °/s, or it eats the lift (reps.ts movingFollowFactor).
      return { minRangeDeg: 4, initialRangeDeg: 15, exitFraction: 0.15, movingFollowFactor: 4, floorFraction: 0.2 };
    default:
      // A thrust or bridge lifts the pelvis 15–40° and lowers it again: even rushed, that takes well over 0.4 s
      // (0.4 s for 15° up and down is a mean 75 °/s), so a shorter minimum keeps the rushed reps a tempo fault is
      // about, while a bump or cough too brief to be a rep still falls under it.
      // Stiff hips lift less: a person whose reps are under 20° gets a floor of a fifth of them (down to 2°), so their
      // partial reps, 30–55 % of a 10–15° bridge, still count; and, as for the side plank, the baseline follows 4×
      // slower while the pelvis turns, or a slow partial lift of a stiff person (4° over 1.5 s) is eaten. Their rest
      // is the movement's lowest pose (hips down), so a baseline found above it is re-zeroed (reps.ts restIsLowest).
      return {
        minRangeDeg: 4,
        initialRangeDeg: 20,
        minRepS: 0.4,
        floorFraction: 0.2,
        movingFollowFactor: 4,
        restIsLowest: true,
      };
  }
}

/** Movement path to collect before fitting the axis: about three reps of a small person (clamshell: tiny roll). */
function axisPathFor(exercise: Exercise): Partial<CalibrationSettings> {
  if (exercise === 'clamshell') return { axisPathDeg: 8 };
  const perRepDeg = exercise === 'hip-thrust' ? 60 : 40;
  // Side plank: a roll-back fault turns the pelvis about its long axis as much as the lift itself, so wait for ~5
  // reps to have a clear majority of clean ones for the axis vote.
  const reps = exercise === 'side-plank-clamshell' ? 5 : 3;
  return { axisPathDeg: reps * perRepDeg, axisPathMaxDeg: 2 * reps * perRepDeg };
}

/**
 * Buffered samples analysed per incoming sample once the movement axis is known. Replaying the whole buffer (up to
 * 40 s) in one call stalled the live gateway by 30–70 ms; at 12 per sample it catches up within ~1–4 s.
 */
const REPLAY_PER_SAMPLE = 12;

/**
 * The largest gyro offset the calibration hold allows for, rad/s (15 °/s). The Thingy:52's MPU-9250 is specified to
 * ±5 °/s zero-rate output at 25 °C and ±0.24 °/s per °C on top; a sensor past 7 °/s, the stillness limit, could
 * otherwise never hold still (seed 19's c010 at half range, a 4σ BMI270 part at 7 °/s, never calibrated).
 */
const HOLD_BIAS_MAX_RAD_PER_S = (15 * Math.PI) / 180;
const AXIS_LOWPASS_HZ = 2;
const CLEAN_REPS = 4;
/** Earlier reps kept for the lone-rep review: two sets' worth, so the median is of the person's recent reps. */
const EARLIER_REPS = 30;

export function createPipeline(options: PipelineOptions): Pipeline {
  return new HipcuePipeline(options);
}

/**
 * NOTE: the pipeline's state lives in class fields (a double written to a closure variable is a heap allocation in
 * V8, per sample); the stages are units of their own (stillness, attitude, angle tracker, rep detector, fault
 * checker, cue arbiter, set tracker).
 */
class HipcuePipeline implements Pipeline {
  private readonly geometry: ExerciseGeometry;
  private readonly cal: CalibrationSettings;
  private readonly maxGapS: number;
  /** Samples the axis fit may collect (40 s at the nominal rate). */
  private readonly axisCapacity: number;
  private readonly catchUpPerSample: number;
  private readonly onAngles: PipelineOptions['onAngles'];
  private readonly restRefine: boolean;
  private readonly signalLowpassHz: number;
  private thresholdsNow: Thresholds;
  private pendingThresholds: Thresholds | undefined;

  private readonly stillness: Stillness;
  /** Stillness for the calibration hold, before the gyro offset is known: a steady offset is not movement. */
  private readonly holdStillness: Stillness;
  private readonly attitude: Attitude;
  private readonly hold: ReturnType<typeof createHoldAccumulator>;
  private reps: RepDetector;
  /** The pelvis-signal rep detector, and (clamshell + thigh) the knee-opening one; `reps` is the one in use. */
  private readonly pelvisReps: RepDetector;
  /** The extra sensor this exercise uses (thigh: clamshell; lumbar: thrust/bridge), if worn. */
  private readonly segment: SegmentUse | undefined;
  /** Pelvis attitude at the end of the hold (the segment's twists are measured from it). */
  private readonly pelvis0 = new Float64Array([1, 0, 0, 0]);
  /** Scratch: a buffered sample's segment attitude. */
  private readonly segQ = new Float64Array(4);
  private readonly tracker: AngleTracker;
  private readonly checker: FaultChecker;
  private readonly cues: CueArbiter;
  private readonly sets: SetTracker;
  private readonly events: PipelineEvent[] = [];
  readonly angles: AnglesDeg = { tiltDeg: 0, obliquityDeg: 0, rotationDeg: 0 };

  /** Axis stage: samples held until the mounting is known, then analysed (12 per incoming sample live). */
  private readonly buffer: SampleBuffer;
  private readonly axisGyr: Float64Array;
  private readonly axisDt: Float64Array;
  private readonly lp = new Float64Array(6);
  /** Next buffered sample to analyse after the axis fit; -1 when caught up (live). */
  private catchUp = -1;
  private axisPathDeg = 0;
  /** Path at which the axis fit is (next) tried: an ambiguous fit waits for more movement on the same hold. */
  private axisFitAtDeg = 0;

  state: PipelineState = 'calibrating';
  calibration: CalibrationResult | undefined;
  private holdResult: HoldResult | undefined;
  private awaitingMotion = false;
  private lastT = Number.NaN;
  private lastProgressS = Number.NaN;
  private repCount = 0;
  /** The open set's reps (for its after-set review). */
  private setReps: RepMetrics[] = [];
  /** How many of them the last review saw (the stream ended in the set), and which of them (places) it found no rep. */
  private reviewed: { reps: number; noReps: readonly number[] } = { reps: 0, noReps: [] };
  /** The last EARLIER_REPS reps counted in the sets before the open one (the yardstick for a lone rep, review.ts). */
  private earlierReps: RepMetrics[] = [];
  /** Serial number of the rep candidate in progress (a candidate may turn out to be a fidget). */
  private candidate = 0;
  private sig1 = 0;
  private sig2 = 0;
  private sigT = Number.NaN;
  private readonly cleanRanges = new Float64Array(CLEAN_REPS);
  /** The same reps' lift estimates (m, NaN where none). */
  private readonly cleanLifts = new Float64Array(CLEAN_REPS);
  private cleanHead = 0;
  private cleanN = 0;
  private cleanReference = 0;
  /** The first clean reps of the current set: the person's rested range, the next set's yardstick. */
  private readonly freshRanges = new Float64Array(CLEAN_REPS);
  private readonly freshLifts = new Float64Array(CLEAN_REPS);
  /** The yardstick is a rep shown full against the partial reps before it (yardstickWasPartial): judge from it alone. */
  private yardstickProven = false;
  private readonly exercise: Exercise;
  /** Reps in a row flagged arched that read as fuller than the yardstick instead (yardstickWasPartial). */
  private fullerReps = 0;
  /** While the arch is held (FaultInput.holdArch): when the excursion first overshot the yardstick by the threshold. */
  private heldArchS = Number.NaN;
  /** ... and by how much then (a live arch's value is the overshoot where it crossed, not at the peak). */
  private heldArchDeg = 0;
  private freshN = 0;
  private readonly faultInput: FaultInput = {
    tS: 0,
    phase: 'rest',
    repStartS: 0,
    candidate: 0,
    excursionDeg: 0,
    peakDeg: 0,
    peakS: 0,
    rateDegPerS: 0,
    typicalRangeDeg: 0,
    typicalFromReps: 0,
    tiltDeg: 0,
    obliquityDeg: 0,
    rotationDeg: 0,
    restTiltDeg: 0,
    restObliquityDeg: 0,
    restRotationDeg: 0,
    lumbarExtensionDeg: Number.NaN,
    restLumbarExtensionDeg: 0,
    rangeMeasuresRep: true,
    holdArch: false,
  };
  private restStillS = 0;
  /** Time of the sample `angles` belongs to (NaN before calibration; behind the newest sample while catching up). */
  private anglesT = Number.NaN;
  private restTilt = 0;
  private restObl = 0;
  private restRot = 0;
  /** The pelvis angles the last time it was still at rest: the reference for offAxisDeg (not followed while moving). */
  private poseTilt = Number.NaN;
  private poseObl = 0;
  private poseRot = 0;
  private readonly qBuf = [1, 0, 0, 0];

  constructor(options: PipelineOptions) {
    const { exercise, side } = options;
    this.geometry = exerciseGeometry(exercise, side);
    this.exercise = exercise;
    this.cal = {
      ...defaultCalibrationSettings,
      // Thrust, bridge, side plank: collect ~3–5 reps so the axis vote has a clear majority; clamshell: tiny roll.
      ...axisPathFor(exercise),
      ...options.calibration,
    };
    this.maxGapS = options.maxGapS ?? 0.5;
    const rate = options.sampleRateHz ?? 200;
    this.axisCapacity = Math.ceil(rate * 40);
    this.thresholdsNow = mergeThresholds(defaultThresholds, options.thresholds ?? {});
    this.restRefine = options.restRefine !== false;
    this.signalLowpassHz = options.signalLowpassHz ?? (exercise === 'clamshell' ? 4 : 0);
    this.catchUpPerSample = Math.max(2, options.catchUpPerSample ?? REPLAY_PER_SAMPLE);
    this.onAngles = options.onAngles;
    // + room for the samples that arrive while the buffer is analysed after the fit (catchUpPerSample per sample)
    const perSample = Math.min(REPLAY_PER_SAMPLE, this.catchUpPerSample);
    this.buffer = new SampleBuffer(this.axisCapacity + Math.ceil(this.axisCapacity / (perSample - 1)) + 1);
    this.axisGyr = new Float64Array(this.axisCapacity * 3);
    this.axisDt = new Float64Array(this.axisCapacity);

    this.stillness = createStillness();
    this.holdStillness = createStillness({ unknownBiasMaxRadPerS: HOLD_BIAS_MAX_RAD_PER_S });
    this.attitude = createAttitude(options.attitude);
    this.hold = createHoldAccumulator(this.cal);
    this.pelvisReps = createRepDetector({
      ...repSettingsFor(exercise),
      capacity: Math.ceil(rate * 25),
      ...options.reps,
    });
    this.reps = this.pelvisReps;
    const wanted = segmentRoleFor(exercise);
    this.segment =
      wanted !== undefined && options.segments?.includes(wanted)
        ? new SegmentUse(wanted, this.axisCapacity, Math.ceil(rate * 25), options.reps)
        : undefined;
    this.tracker = createAngleTracker(this.geometry);
    this.cues = new CueArbiter(options.cueGapS ?? 1.5, (code, tS) => this.fireCue(code, tS));
    this.sets = new SetTracker(exercise, options.setRestS ?? 15, this.events, (tS) => this.reviewSet(tS));
    this.checker = createFaultChecker(
      exercise,
      side,
      (code, tS, value, threshold, unit) => {
        this.pushFault(code, tS, value, threshold, unit);
        this.cues.offer(code, tS, this.candidate);
      },
      faultsByExercise[exercise],
    );
  }

  get segments(): Readonly<Partial<Record<SegmentRole, SegmentStatus>>> {
    const seg = this.segment;
    return seg ? { [seg.role]: seg.status } : {};
  }

  nextSegment(
    role: SegmentRole,
    tS: number,
    gx: number,
    gy: number,
    gz: number,
    ax: number,
    ay: number,
    az: number,
  ): void {
    if (this.segment?.role === role) this.segment.tracker.next(tS, gx, gy, gz, ax, ay, az);
  }

  get anglesTS(): number {
    return this.anglesT;
  }

  get thresholds(): Readonly<Thresholds> {
    return this.pendingThresholds ?? this.thresholdsNow;
  }

  next(tS: number, gx: number, gy: number, gz: number, ax: number, ay: number, az: number): void {
    if (!Number.isFinite(tS) || !(tS > this.lastT || Number.isNaN(this.lastT))) return;
    if (this.pendingThresholds) {
      this.thresholdsNow = this.pendingThresholds;
      this.pendingThresholds = undefined;
    }
    let dt = Number.isNaN(this.lastT) ? 0 : tS - this.lastT;
    if (dt > this.maxGapS) {
      if (this.catchUp >= 0) this.replayBuffered(this.buffer.n);
      if (this.state === 'ready' || this.state === 'in-set') this.gap(this.lastT, tS);
      dt = 0;
    }
    this.lastT = tS;
    const attitude = this.attitude;
    const b = attitude.biasRadPerS;
    // (rates less the offset known so far: none before the hold, the hold's after it, refined at rest)
    const still = this.stillness.next(dt, gx - b[0]!, gy - b[1]!, gz - b[2]!, ax, ay, az);
    attitude.next(dt, gx, gy, gz, ax, ay, az);
    if (this.state === 'calibrating') {
      this.calibrate(tS, dt, this.holdStillness.next(dt, gx, gy, gz, ax, ay, az), gx, gy, gz, ax, ay, az);
      return;
    }
    const wx = gx - b[0]!;
    const wy = gy - b[1]!;
    const wz = gz - b[2]!;
    const segQ = this.segment?.attitudeAt(tS);
    if (this.state === 'calibrating-axis') {
      this.collectAxis(tS, dt, still, wx, wy, wz, segQ, ax, ay, az);
      return;
    }
    if (this.catchUp >= 0) {
      // Still analysing the samples buffered for the axis fit: queue this one behind them, analyse a few.
      if (this.buffer.n >= this.buffer.capacity) this.replayBuffered(this.buffer.n); // cannot happen; stay correct
      this.buffer.push(tS, attitude.q, wx, wy, wz, still, segQ, ax, ay, az);
      this.replayBuffered(this.catchUpPerSample);
      this.state = this.sets.isOpen ? 'in-set' : 'ready';
      return;
    }
    // the pelvis detector measures each rep's lift from these; while the knee's counts reps, they are not used
    this.pelvisReps.imu(wx, wy, wz, ax, ay, az);
    this.analyse(tS, attitude.q, this.tracker.rateDegPerS(wx, wy, wz), still, segQ);
    this.state = this.sets.isOpen ? 'in-set' : 'ready';
    if (this.restRefine && this.reps.atRest) this.refineAtRest(dt, still, wx, wy, wz);
    else this.restStillS = 0;
  }

  drainEvents(): PipelineEvent[] {
    return this.events.splice(0, this.events.length);
  }

  setThresholds(t: Partial<Thresholds>): void {
    this.pendingThresholds = mergeThresholds(this.pendingThresholds ?? this.thresholdsNow, t);
  }

  startSet(): void {
    const t = Number.isNaN(this.lastT) ? 0 : this.lastT;
    if (this.sets.isOpen) this.sets.close(this.lastT);
    this.openSet(t, true);
  }

  endSet(): void {
    // A set shorter than the axis fit's appetite: fit from what was collected rather than lose its reps.
    if (this.state === 'calibrating-axis' && this.buffer.n > 0 && this.axisPathDeg >= this.cal.axisPathDeg / 3) {
      this.fitAxis(this.lastT, true);
    }
    if (this.catchUp >= 0) this.replayBuffered(this.buffer.n);
    this.sets.close(Number.isNaN(this.lastT) ? 0 : this.lastT);
  }

  flush(): void {
    if (this.catchUp >= 0) this.replayBuffered(this.buffer.n);
    // the set the stream ends in is reviewed as it stands (it has no set-end)
    if (this.sets.isOpen) this.reviewSet(this.lastT);
  }

  markGap(fromS: number, toS: number): void {
    if (this.catchUp >= 0) this.replayBuffered(this.buffer.n);
    this.gap(fromS, toS);
  }

  /** Back to the state of a new pipeline with the same options (a recalibration). */
  reset(): void {
    this.stillness.reset();
    this.holdStillness.reset();
    this.attitude.reset();
    this.hold.clear();
    // the pelvis detector, even while the knee's counts reps (segment.reset() resets that one)
    this.pelvisReps.reset();
    this.checker.reset();
    this.cues.reset();
    this.sets.reset();
    this.tracker.setStart([1, 0, 0, 0]);
    this.segment?.reset();
    this.reps = this.pelvisReps;
    this.pelvis0.set([1, 0, 0, 0]);
    this.tracker.setMounting([1, 0, 0, 0]);
    this.events.length = 0;
    this.buffer.n = 0;
    this.catchUp = -1;
    this.axisPathDeg = 0;
    this.axisFitAtDeg = this.cal.axisPathDeg;
    this.lp.fill(0);
    this.state = 'calibrating';
    this.calibration = undefined;
    this.holdResult = undefined;
    this.awaitingMotion = false;
    this.lastT = Number.NaN;
    this.lastProgressS = Number.NaN;
    this.repCount = 0;
    this.setReps = [];
    this.reviewed = { reps: 0, noReps: [] };
    this.earlierReps = [];
    this.candidate = 0;
    this.heldArchS = Number.NaN;
    this.sig1 = 0;
    this.sig2 = 0;
    this.sigT = Number.NaN;
    this.cleanN = 0;
    this.cleanHead = 0;
    this.cleanReference = 0;
    this.freshN = 0;
    this.yardstickProven = false;
    this.fullerReps = 0;
    this.restStillS = 0;
    this.anglesT = Number.NaN;
    this.restTilt = 0;
    this.restObl = 0;
    this.restRot = 0;
    this.poseTilt = Number.NaN;
    this.angles.tiltDeg = 0;
    this.angles.obliquityDeg = 0;
    this.angles.rotationDeg = 0;
  }

  private fireCue(code: CueCode, tS: number): void {
    this.events.push({ type: 'cue', tS, cue: { tS, code, text: cueTexts[code], repIndex: this.repCount } });
  }

  /**
   * The person's usual range from their recent clean reps (no arch, not partial): half of a faulty set's reps may be
   * arched or partial, and they must not become the yardstick. Lower median of the last CLEAN_REPS.
   */
  private addClean(rangeDeg: number, liftM: number): void {
    this.cleanRanges[this.cleanHead] = rangeDeg;
    this.cleanLifts[this.cleanHead] = liftM;
    this.cleanHead = (this.cleanHead + 1) % CLEAN_REPS;
    if (this.cleanN < CLEAN_REPS) this.cleanN++;
    if (this.freshN < CLEAN_REPS) {
      this.freshRanges[this.freshN] = rangeDeg;
      this.freshLifts[this.freshN++] = liftM;
    }
    this.updateCleanReference();
  }

  /**
   * Thrust and bridge, pelvis only: reps flagged arched live against a yardstick of reps that were themselves partial
   * (a set begun with short reps) are full reps, and so is every full rep after them. At a flagged rep's end: does it
   * read as fuller than the yardstick, not arched (fullerThanYardstick: by range, and by its lift)? After two such
   * reps with no arched one between (one rep's lift estimate is off by half one time in ten, and a wrong yardstick
   * misjudges the rest of the set), the last becomes the yardstick, and the reps after it are judged against it,
   * partial range from the next rep on. Their cues were given and their verdicts stand (the after-set review judges
   * them again).
   */
  private yardstickWasPartial(rangeDeg: number, liftM: number): void {
    if (!this.fullerThanYardstick(rangeDeg, liftM)) {
      this.fullerReps = 0;
      return;
    }
    if (++this.fullerReps < 2) return;
    this.fullerReps = 0;
    this.cleanN = 0;
    this.cleanHead = 0;
    this.freshN = 0;
    this.addClean(rangeDeg, liftM);
    this.yardstickProven = true;
  }

  /** A `fault` event for the rep in progress (its index is the count of reps so far). */
  private pushFault(code: FaultCode, tS: number, value: number, threshold: number, unit: 'deg' | 's' | 'ratio'): void {
    this.events.push({ type: 'fault', tS, fault: { code, repIndex: this.repCount, tS, value, threshold, unit } });
  }

  /** archOrPartial.ts fullerThanYardstick against the live yardstick (its range, its reps' lower-median lift). */
  private fullerThanYardstick(rangeDeg: number, liftM: number): boolean {
    if (this.cleanN === 0) return false;
    const lifts = Array.from(this.cleanLifts.subarray(0, this.cleanN)).sort((a, b) => a - b);
    const reference = { rangeDeg: this.cleanReference, liftM: lifts[(this.cleanN - 1) >> 1]! };
    return fullerThanYardstick(reference, { rangeDeg, liftM }, this.thresholdsNow.partialRangeFraction);
  }

  /**
   * The rep after one that read as fuller than the yardstick was not called arched during it (FaultInput.holdArch):
   * now that its lift is known, it is arched (flagged with the time it crossed and its overshoot then; the event comes
   * at the rep's end, after events of later times; no cue — the rep is over) unless it
   * too is fuller by its lift, which makes it the second in a row and the yardstick a partial rep's (true: the caller
   * then takes it for the yardstick). An arched one ends the hold.
   */
  private judgeHeldArch(metrics: RepMetrics, faults: FaultCode[], liftM: number): boolean {
    const crossedS = this.heldArchS;
    // a rep that never overshot (a partial or clean one) leaves the hold as it was, as it leaves the count of fuller
    // reps (yardstickWasPartial); one already arched by another measure has nothing to hold
    if (Number.isNaN(crossedS) || faults.includes('lumbar_arch')) return false;
    if (this.fullerThanYardstick(metrics.rangeDeg, liftM)) return true;
    this.fullerReps = 0;
    faults.unshift('lumbar_arch');
    this.pushFault('lumbar_arch', crossedS, this.heldArchDeg, this.thresholdsNow.lumbarArchDeg, 'deg');
    return false;
  }

  private updateCleanReference(): void {
    const sorted = Array.from(this.cleanRanges.subarray(0, this.cleanN)).sort((a, b) => a - b);
    this.cleanReference = sorted[(this.cleanN - 1) >> 1]!;
  }

  /**
   * The after-set review of the open set (review.ts reviewSets, docs/dsp.md §4): once the set is over, each rep is
   * judged against the whole set. Emits `set-review` with the reviewed copies of the set's reps, unless no rep came
   * since the set was last reviewed; says which of the set's reps (places in it) were no rep: the set tracker leaves
   * them out.
   */
  private reviewSet(tS: number): { noReps: readonly number[] } {
    const n = this.setReps.length;
    if (n === 0 || n === this.reviewed.reps) return this.reviewed;
    const reps = this.setReps.map((r) => ({ ...r, faults: [...r.faults] }));
    // with an upper-lumbar sensor arching is measured, not inferred from the pelvis's range
    const lumbarMeasured = this.segment?.role === 'lumbar' && this.segment.status === 'ok';
    const thresholds = this.thresholdsNow;
    const review = reviewSets(reps, this.exercise, () => thresholds, lumbarMeasured, this.earlierReps);
    this.events.push({ type: 'set-review', tS, setIndex: this.sets.index, reps, review });
    const place = new Map(this.setReps.map((r, k) => [r.index, k]));
    this.reviewed = { reps: n, noReps: review.notReps.map((x) => place.get(x.repIndex)!) };
    return this.reviewed;
  }

  /**
   * A new set: its first reps are judged against the previous set's first clean reps, not its last. A set goes to
   * fatigue and its last reps are the shortest (range −15 % and more); after the rest the person is back near their
   * rested range, and full reps against the tired yardstick would all read as arched.
   */
  private openSet(tS: number, manual = false): void {
    // the set before, as its review left it: what it counted joins the person's earlier reps
    const noReps = this.reviewed.noReps;
    const counted = this.setReps.filter((_, k) => !noReps.includes(k));
    this.earlierReps = [...this.earlierReps, ...counted].slice(-EARLIER_REPS);
    // a set that counted nothing (one movement in the rest) leaves the yardstick as the set before it left it
    if (counted.length === 0) this.freshN = 0;
    this.sets.open(tS, manual);
    this.setReps = [];
    this.reviewed = { reps: 0, noReps: [] };
    if (this.freshN === 0) return;
    // a new yardstick: a rep that read as fuller than the old one says nothing about it
    this.fullerReps = 0;
    this.cleanRanges.set(this.freshRanges.subarray(0, this.freshN));
    this.cleanLifts.set(this.freshLifts.subarray(0, this.freshN));
    this.cleanN = this.freshN;
    this.cleanHead = this.freshN % CLEAN_REPS;
    this.updateCleanReference();
    this.freshN = 0;
  }

  /** Everything after calibration: angles → reps → faults → cues → sets. */
  private analyse(
    tS: number,
    q: ArrayLike<number>,
    pelvisRateDegPerS: number,
    still: boolean,
    segQ: ArrayLike<number> | undefined,
  ): void {
    const angles = this.angles;
    this.tracker.update(q, angles);
    this.anglesT = tS;
    this.onAngles?.(tS, angles);
    const seg = this.segment;
    if (seg?.active && !seg.measure(tS, q, segQ)) this.segmentLost();
    const reps = this.reps;
    const before = reps.phase;
    let signal = this.tracker.signalDeg;
    let rateDegPerS = pelvisRateDegPerS;
    if (seg && reps === seg.kneeReps) {
      signal = seg.signalDeg;
      rateDegPerS = seg.rateDegPerS;
    } else if (this.signalLowpassHz > 0) {
      // Two first-order stages: tremor (7–12 Hz) and band jerks are as large as a clamshell's pelvic roll.
      const k = Number.isNaN(this.sigT) ? 1 : Math.min(1, (tS - this.sigT) * 2 * Math.PI * this.signalLowpassHz);
      this.sig1 += k * (signal - this.sig1);
      this.sig2 += k * (this.sig1 - this.sig2);
      this.sigT = tS;
      signal = this.sig2;
    }
    const rep = reps.next(tS, signal, rateDegPerS, still, reps === this.pelvisReps ? this.offAxisDeg() : 0);
    if (reps.atRest) {
      this.restTilt = angles.tiltDeg;
      this.restObl = angles.obliquityDeg;
      this.restRot = angles.rotationDeg;
      if (seg) seg.restSignalDeg = seg.signalDeg;
      if (still || Number.isNaN(this.poseTilt)) {
        this.poseTilt = angles.tiltDeg;
        this.poseObl = angles.obliquityDeg;
        this.poseRot = angles.rotationDeg;
      }
    }
    if (before === 'rest' && reps.phase !== 'rest') {
      this.candidate++;
      // a candidate dropped as a fidget or by a gap leaves no crossing time for the next one
      this.heldArchS = Number.NaN;
      if (!this.sets.isOpen) this.openSet(reps.repStartS);
      this.events.push({ type: 'rep-start', tS, repIndex: this.repCount });
    }
    if (reps.phase !== 'rest') {
      // NOTE: one FaultInput object, refilled per sample (no allocation in the hot path).
      const x = this.faultInput;
      x.tS = tS;
      x.phase = reps.phase;
      x.repStartS = reps.repStartS;
      x.candidate = this.candidate;
      x.excursionDeg = reps.excursionDeg;
      x.peakDeg = reps.repPeakDeg;
      x.peakS = reps.repPeakS;
      x.rateDegPerS = rateDegPerS;
      x.typicalRangeDeg = this.cleanN > 0 ? this.cleanReference : reps.typicalRangeDeg;
      // a proven yardstick counts as the two reps a partial-range judgement needs
      x.typicalFromReps = this.cleanN > 0 ? Math.max(this.cleanN, this.yardstickProven ? 2 : 0) : reps.historyCount;
      x.tiltDeg = angles.tiltDeg;
      x.obliquityDeg = angles.obliquityDeg;
      x.rotationDeg = angles.rotationDeg;
      x.restTiltDeg = this.restTilt;
      x.restObliquityDeg = this.restObl;
      x.restRotationDeg = this.restRot;
      x.lumbarExtensionDeg = seg ? seg.lumbarExtensionDeg : Number.NaN;
      x.restLumbarExtensionDeg = seg ? seg.restSignalDeg : 0;
      x.rangeMeasuresRep = this.exercise !== 'clamshell' || (seg !== undefined && reps === seg.kneeReps);
      // one rep read as fuller than the yardstick: the next is judged at its end, on its lift (endRep)
      x.holdArch = this.fullerReps > 0 && this.cleanN > 0 && !(seg?.role === 'lumbar' && seg.active);
      if (x.holdArch && Number.isNaN(this.heldArchS)) {
        const over = x.excursionDeg - x.typicalRangeDeg;
        if (over > this.thresholdsNow.lumbarArchDeg) {
          this.heldArchS = tS;
          this.heldArchDeg = over;
        }
      }
      this.checker.next(x, this.thresholdsNow);
      this.cues.tick(tS, this.candidate);
    }
    if (rep) this.endRep(tS, rep);
    if (reps.phase === 'rest') this.sets.rest(tS);
  }

  /** How far the pelvis has turned about the two axes other than the exercise's since it was last still at rest, deg. */
  private offAxisDeg(): number {
    if (Number.isNaN(this.poseTilt)) return 0;
    const a = this.geometry.axisP;
    const t = this.angles.tiltDeg - this.poseTilt;
    const o = this.angles.obliquityDeg - this.poseObl;
    const r = this.angles.rotationDeg - this.poseRot;
    // small angles: the part of the turn (tilt, obliquity, rotation) perpendicular to the movement axis
    const along = t * a[0]! + o * a[1]! + r * a[2]!;
    return Math.sqrt(Math.max(0, t * t + o * o + r * r - along * along));
  }

  private endRep(tS: number, rep: NonNullable<ReturnType<RepDetector['next']>>): void {
    const checker = this.checker;
    checker.end(rep.endS, rep.upS, rep.downS, this.thresholdsNow);
    const faults = faultsFromMask(checker.mask);
    const held = this.faultInput.holdArch && this.faultInput.candidate === this.candidate;
    const metrics: RepMetrics = {
      index: this.repCount,
      setIndex: this.sets.index,
      startS: rep.startS,
      peakS: rep.peakS,
      endS: rep.endS,
      rangeDeg: rep.rangeDeg,
      upS: rep.upS,
      holdS: rep.holdS,
      downS: rep.downS,
      peakAngularVelocityDegPerS: rep.peakRateDegPerS,
      ...(this.geometry.posture !== 'side-lying' && Number.isFinite(rep.liftM) ? { liftM: rep.liftM } : {}),
      ...(Number.isFinite(checker.rollAtPeakDeg) ? { rollAtPeakDeg: checker.rollAtPeakDeg } : {}),
      faults,
    };
    checker.reset();
    const lift = Number.isFinite(rep.liftM) ? rep.liftM : Number.NaN;
    const fuller = held && this.judgeHeldArch(metrics, faults, lift);
    // a roll-back turns the pelvis the way a clamshell's counter-roll does, and inflates the range: no yardstick
    const yardstick =
      !faults.includes('lumbar_arch') && !faults.includes('partial_range') && !faults.includes('pelvic_roll');
    if (fuller) this.yardstickWasPartial(rep.rangeDeg, lift);
    else if (yardstick) this.addClean(rep.rangeDeg, lift);
    else if (
      faults.includes('lumbar_arch') &&
      this.cleanN > 0 &&
      !(this.segment?.role === 'lumbar' && this.segment.active)
    ) {
      this.yardstickWasPartial(rep.rangeDeg, lift);
    }
    this.events.push({ type: 'rep', tS, rep: metrics });
    this.setReps.push(metrics);
    this.cues.repEnded(tS, faults.length === 0);
    this.repCount++;
    const mayBeMove = trailingMovement(this.setReps) === metrics;
    this.sets.addRep(tS, rep.startS, rep.endS, rep.peakRateDegPerS, rep.rangeDeg, mayBeMove);
  }

  /** The extra sensor went silent: the pelvis alone from here (a knee rep in progress is dropped). */
  private segmentLost(): void {
    this.segment!.lose();
    if (this.reps !== this.pelvisReps) {
      this.reps = this.pelvisReps;
      this.pelvisReps.abort();
      this.checker.reset();
    }
  }

  /** Lying still between reps the pelvis is at its start pose: re-anchor the heading and refine the gyro bias. */
  private refineAtRest(dt: number, still: boolean, ex: number, ey: number, ez: number): void {
    // Back at the rep's start pose: a heading twist since the start is drift, not movement (angleTracker).
    this.tracker.reanchorHeading(this.attitude.q, REST_REANCHOR_DEG);
    this.restStillS = still ? this.restStillS + dt : 0;
    if (this.restStillS < REST_SETTLE_S) return;
    // Lying still between reps the mean rate is zero: what the gyro reads is bias (it drifts with temperature, and a
    // sensor re-clipped between sets is a different one). Samples far from the bias are breathing or a slow shift.
    if (ex * ex + ey * ey + ez * ez < REST_BIAS_MAX_DEV * REST_BIAS_MAX_DEV) {
      const b = this.attitude.biasRadPerS;
      const k = Math.min(1, dt / REST_BIAS_TAU_S);
      b[0] = b[0]! + k * ex;
      b[1] = b[1]! + k * ey;
      b[2] = b[2]! + k * ez;
    }
  }

  private fail(tS: number, failure: CalibrationFailure): void {
    this.events.push({ type: 'calibration-failed', tS, failure, message: calibrationMessages[failure.reason] });
  }

  private calibrate(
    tS: number,
    dt: number,
    still: boolean,
    gx: number,
    gy: number,
    gz: number,
    ax: number,
    ay: number,
    az: number,
  ): void {
    if (this.awaitingMotion) {
      if (!still) this.awaitingMotion = false;
      return;
    }
    this.segment?.tracker.collect(still);
    const r = this.hold.next(tS, dt, still, gx, gy, gz, ax, ay, az);
    if (still && (Number.isNaN(this.lastProgressS) || tS - this.lastProgressS >= 0.25)) {
      this.lastProgressS = tS;
      this.events.push({
        type: 'calibration-progress',
        tS,
        stillS: this.hold.stillS,
        requiredS: this.cal.holdS,
        stillness: this.holdStillness.level,
      });
    }
    if (!r) return;
    if ('reason' in r) {
      this.fail(tS, r);
      if (r.reason !== 'moved') this.awaitingMotion = true;
      return;
    }
    const flipped = checkFlipped(r, this.geometry, this.cal.outwardAxisS);
    if (flipped) {
      this.fail(tS, flipped);
      this.awaitingMotion = true;
      return;
    }
    this.holdResult = r;
    const attitude = this.attitude;
    attitude.biasRadPerS[0] = r.biasRadPerS[0];
    attitude.biasRadPerS[1] = r.biasRadPerS[1];
    attitude.biasRadPerS[2] = r.biasRadPerS[2];
    // The hold's mean gravity is the best start attitude: during the hold the gyro bias was not yet removed. Its
    // magnitude is gravity as this sensor reads it (the acceleration rejection's reference).
    const g = r.accNormMps2;
    attitude.align(g * r.upS[0], g * r.upS[1], g * r.upS[2]);
    this.tracker.setStart(attitude.q);
    this.pelvis0.set(attitude.q);
    const seg = this.segment;
    // the knee opening is the rep signal
    if (seg?.finishHold(attitude.q) && seg.kneeReps) this.reps = seg.kneeReps;
    this.state = 'calibrating-axis';
    this.buffer.n = 0;
    this.axisPathDeg = 0;
    this.axisFitAtDeg = this.cal.axisPathDeg;
    this.lp.fill(0);
  }

  private collectAxis(
    tS: number,
    dt: number,
    still: boolean,
    pwx: number,
    pwy: number,
    pwz: number,
    segQ: ArrayLike<number> | undefined,
    ax: number,
    ay: number,
    az: number,
  ): void {
    if (this.segment?.active && !this.segment.collectAxis(this.buffer.n, dt, segQ)) this.segmentLost();
    const wx = pwx;
    const wy = pwy;
    const wz = pwz;
    const lp = this.lp;
    // Voluntary movement is below ~3 Hz; tremor and band jerks (6–12 Hz) would otherwise dominate Σωωᵀ.
    const k = Math.min(1, dt * 2 * Math.PI * AXIS_LOWPASS_HZ);
    lp[0]! += k * (wx - lp[0]!);
    lp[1]! += k * (wy - lp[1]!);
    lp[2]! += k * (wz - lp[2]!);
    lp[3]! += k * (lp[0]! - lp[3]!);
    lp[4]! += k * (lp[1]! - lp[4]!);
    lp[5]! += k * (lp[2]! - lp[5]!);
    const i = this.buffer.n;
    if (i < this.axisCapacity) {
      this.buffer.push(tS, this.attitude.q, pwx, pwy, pwz, still, segQ, ax, ay, az);
      this.axisGyr[3 * i] = lp[3]!;
      this.axisGyr[3 * i + 1] = lp[4]!;
      this.axisGyr[3 * i + 2] = lp[5]!;
      this.axisDt[i] = dt;
    }
    this.axisPathDeg += (Math.sqrt(lp[3]! ** 2 + lp[4]! ** 2 + lp[5]! ** 2) * dt * 180) / Math.PI;
    const cal = this.cal;
    const last = this.axisPathDeg >= cal.axisPathMaxDeg || this.buffer.n >= this.axisCapacity;
    if (last || (this.axisPathDeg >= this.axisFitAtDeg && still)) this.fitAxis(tS, last);
  }

  /**
   * Fit the mounting from the buffered movement, then analyse the buffer (all at once offline). An ambiguous axis
   * before the `last` chance (buffer full, path at its maximum, set ended) is not reported: the hold stays good, and
   * more reps make the axis clearer (a 0.5–1° clamshell roll is about the size of breathing's 0.2–0.5°). Restarting
   * calibration there took the next pause between reps for a new hold, and lost the reps before it. A clear axis in
   * the wrong place (wrong_pose) is reported at once.
   */
  private fitAxis(tS: number, last: boolean): void {
    const r = fitMounting(this.holdResult!, this.geometry, this.axisGyr, this.axisDt, this.buffer.n, this.cal);
    if ('reason' in r && r.reason === 'no_movement_axis' && !last) {
      this.axisFitAtDeg = this.axisPathDeg + this.cal.axisPathDeg;
      return;
    }
    if ('reason' in r) {
      this.fail(tS, r);
      this.state = 'calibrating';
      this.holdResult = undefined;
      this.awaitingMotion = r.reason !== 'no_movement_axis';
      return;
    }
    const seg = this.segment;
    if (seg) {
      const p0 = this.pelvis0;
      const axisE = quatRotate([p0[0]!, p0[1]!, p0[2]!, p0[3]!], quatRotate(quatConjugate(r.qPS), this.geometry.axisP));
      const wasActive = seg.active;
      seg.fitAxis(axisE, this.axisDt, this.buffer.n, this.cal.minEigenRatio);
      if (wasActive && !seg.active) this.segmentLost();
    }
    this.calibration = seg ? { ...r, segments: { [seg.role]: seg.status } } : r;
    this.tracker.setMounting(r.qPS);
    this.state = 'ready';
    this.events.push({ type: 'calibration-done', tS, calibration: r, stage: 'axis' });
    this.catchUp = 0;
    if (!Number.isFinite(this.catchUpPerSample)) this.replayBuffered(this.buffer.n);
  }

  /** Analyses up to `max` buffered samples; back to live analysis once the buffer is done. */
  private replayBuffered(max: number): void {
    const buffer = this.buffer;
    const d = buffer.data;
    const q = this.qBuf;
    const end = Math.min(buffer.n, this.catchUp + max);
    for (let i = this.catchUp; i < end; i++) {
      const o = i * SampleBuffer.STRIDE;
      q[0] = d[o + 1]!;
      q[1] = d[o + 2]!;
      q[2] = d[o + 3]!;
      q[3] = d[o + 4]!;
      let segQ: Float64Array | undefined;
      if (!Number.isNaN(d[o + 9]!)) {
        segQ = this.segQ;
        segQ[0] = d[o + 9]!;
        segQ[1] = d[o + 10]!;
        segQ[2] = d[o + 11]!;
        segQ[3] = d[o + 12]!;
      }
      const rate = this.tracker.rateDegPerS(d[o + 5]!, d[o + 6]!, d[o + 7]!);
      this.pelvisReps.imu(d[o + 5]!, d[o + 6]!, d[o + 7]!, d[o + 13]!, d[o + 14]!, d[o + 15]!);
      this.analyse(d[o]!, q, rate, d[o + 8] === 1, segQ);
    }
    this.catchUp = end;
    if (end >= buffer.n) {
      this.catchUp = -1;
      buffer.n = 0;
    }
  }

  private gap(fromS: number, toS: number): void {
    this.events.push({ type: 'gap', tS: toS, fromS, toS });
    this.reps.abort();
    this.checker.reset();
  }
}
