import { createAngleTracker } from './angleTracker.ts';
import { type AttitudeSettings, createAttitude } from './attitude.ts';
import {
  type CalibrationSettings,
  calibrationMessages,
  checkFlipped,
  createHoldAccumulator,
  defaultCalibrationSettings,
  fitMounting,
  type HoldResult,
} from './calibrator.ts';
import { cueTexts } from './cues.ts';
import { createFaultChecker, type FaultInput, faultsFromMask } from './faults.ts';
import { exerciseGeometry } from './poses.ts';
import { createRepDetector, type RepDetectorSettings } from './reps.ts';
import { createFatigueEstimator, exerciseTargets, fatigueLevelOf, fatigueReached } from './sets.ts';
import { createStillness } from './stillness.ts';
import { defaultThresholds, faultPriority, faultsByExercise, mergeThresholds, type Thresholds } from './thresholds.ts';
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
  /** End of the stream: analyse every sample still buffered (the axis fit's catch-up). */
  flush(): void;
  reset(): void;
}

/** Per-exercise rep settings: clamshell pelvis motion is small (docs/dsp.md), so its floor is lower. */
function repSettingsFor(exercise: Exercise): Partial<RepDetectorSettings> {
  switch (exercise) {
    case 'clamshell':
      // A good clamshell rolls the pelvis 1–4°; roll-back faults reach 10–30°. Cap the threshold at normal reps.
      return { minRangeDeg: 0.25, maxEnterDeg: 0.3, initialRangeDeg: 2, endOnSettle: true };
    case 'side-plank-clamshell':
      return { minRangeDeg: 5, initialRangeDeg: 15 };
    default:
      return { minRangeDeg: 4, initialRangeDeg: 20 };
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

const REPLAY_STRIDE = 11;
/**
 * Buffered samples analysed per incoming sample once the movement axis is known. Replaying the whole buffer (up to
 * 40 s) in one call stalled the live gateway by 30–70 ms; at 12 per sample it catches up within ~1–4 s.
 */
const REPLAY_PER_SAMPLE = 12;
const G = 9.80665;
const AXIS_LOWPASS_HZ = 2;
const CLEAN_REPS = 4;

export function createPipeline(options: PipelineOptions): Pipeline {
  const { exercise, side } = options;
  const geometry = exerciseGeometry(exercise, side);
  const cal: CalibrationSettings = {
    ...defaultCalibrationSettings,
    // Thrust, bridge, side plank: collect ~2–3 reps so the cleanest one gives the axis; clamshell: the roll is tiny.
    ...axisPathFor(exercise),
    ...options.calibration,
  };
  const setRestS = options.setRestS ?? 15;
  const cueGapS = options.cueGapS ?? 1.5;
  const maxGapS = options.maxGapS ?? 0.5;
  const rate = options.sampleRateHz ?? 200;
  const capacity = Math.ceil(rate * 40);
  let thresholds = mergeThresholds(defaultThresholds, options.thresholds ?? {});
  let pendingThresholds: Thresholds | undefined;

  const stillness = createStillness();
  const attitude = createAttitude(options.attitude);
  const hold = createHoldAccumulator(cal);
  const reps = createRepDetector({ ...repSettingsFor(exercise), capacity: Math.ceil(rate * 25), ...options.reps });
  const tracker = createAngleTracker(geometry);
  const fatigue = createFatigueEstimator();
  const target = exerciseTargets[exercise];
  const events: PipelineEvent[] = [];
  const angles: AnglesDeg = { tiltDeg: 0, obliquityDeg: 0, rotationDeg: 0 };
  // Axis-stage buffer: t, dt, q(4), bias-removed gyro(3), still, aux — replayed once the mounting is known.
  // + room for the samples that arrive while the buffer is replayed after the fit (REPLAY_PER_SAMPLE per sample)
  const perSample = Math.max(2, Math.min(REPLAY_PER_SAMPLE, options.catchUpPerSample ?? REPLAY_PER_SAMPLE));
  const replayCapacity = capacity + Math.ceil(capacity / (perSample - 1)) + 1;
  const replay = new Float64Array(replayCapacity * REPLAY_STRIDE);
  const axisGyr = new Float64Array(capacity * 3);
  const axisDt = new Float64Array(capacity);
  let replayN = 0;
  /** Next buffered sample to analyse after the axis fit; -1 when caught up (live). */
  let catchUp = -1;
  const catchUpPerSample = Math.max(2, options.catchUpPerSample ?? REPLAY_PER_SAMPLE);
  let axisPathDeg = 0;
  const lp = new Float64Array(6);

  let state: PipelineState = 'calibrating';
  let calibration: CalibrationResult | undefined;
  let holdResult: HoldResult | undefined;
  let awaitingMotion = false;
  let lastT = Number.NaN;
  let lastProgressS = Number.NaN;
  let repCount = 0;
  let setIndex = -1;
  let setOpen = false;
  let setStartS = 0;
  let setReps = 0;
  let lastRepEndS = Number.NaN;
  let manualSet = false;
  let lastCueS = Number.NEGATIVE_INFINITY;
  let cueRepStart = -1;
  /** Serial number of the rep candidate in progress (a candidate may turn out to be a fidget). */
  let candidate = 0;
  let cuedMask = 0;
  let pending: FaultCode | undefined;
  let lastFatigue = 0;
  const signalLowpassHz = options.signalLowpassHz ?? (exercise === 'clamshell' ? 4 : 0);
  let sig1 = 0;
  let sig2 = 0;
  let sigT = Number.NaN;
  const cleanRanges = new Float64Array(CLEAN_REPS);
  let cleanHead = 0;
  let cleanN = 0;
  let cleanReference = 0;
  const faultInput: FaultInput = {
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
  };
  const restRefine = options.restRefine !== false;
  let restStillS = 0;
  /** Time of the sample `angles` belongs to (NaN before calibration; behind the newest sample while catching up). */
  let anglesT = Number.NaN;
  let restTilt = 0;
  let restObl = 0;
  let restRot = 0;

  const checker = createFaultChecker(
    exercise,
    side,
    (code, tS, value, threshold, unit) => {
      events.push({ type: 'fault', tS, fault: { code, repIndex: repCount, tS, value, threshold, unit } });
      offerCue(code, tS);
    },
    faultsByExercise[exercise],
  );

  function fireCue(code: CueCode, tS: number): void {
    events.push({ type: 'cue', tS, cue: { tS, code, text: cueTexts[code], repIndex: repCount } });
    lastCueS = tS;
  }

  function offerCue(code: FaultCode, tS: number): void {
    if (candidate !== cueRepStart) {
      cueRepStart = candidate;
      cuedMask = 0;
      pending = undefined;
    }
    const bit = 1 << faultPriority.indexOf(code);
    if (cuedMask & bit) return;
    // The gap only spaces cues within one rep: the first fault cue of a rep fires at once (latency matters).
    if (cuedMask === 0 || tS - lastCueS >= cueGapS) {
      cuedMask |= bit;
      fireCue(code, tS);
    } else if (pending === undefined || faultPriority.indexOf(code) < faultPriority.indexOf(pending)) {
      pending = code;
    }
  }

  function openSet(tS: number): void {
    setIndex++;
    setOpen = true;
    setStartS = tS;
    setReps = 0;
    lastFatigue = 0;
    fatigue.reset();
    events.push({ type: 'set-start', tS, setIndex });
  }

  function closeSet(tS: number): void {
    if (!setOpen) return;
    setOpen = false;
    manualSet = false;
    const endS = Number.isNaN(lastRepEndS) || lastRepEndS < setStartS ? tS : lastRepEndS;
    events.push({
      type: 'set-end',
      tS,
      set: {
        index: setIndex,
        startS: setStartS,
        endS,
        reps: setReps,
        fatigueEstimate: lastFatigue,
        fatigueLevel: fatigueLevelOf(lastFatigue),
      },
    });
  }

  /**
   * The person's usual range from their recent clean reps (no arch, not partial): half of a faulty set's reps may be
   * arched or partial, and they must not become the yardstick. Lower median of the last CLEAN_REPS.
   */
  function addClean(rangeDeg: number): void {
    cleanRanges[cleanHead] = rangeDeg;
    cleanHead = (cleanHead + 1) % CLEAN_REPS;
    if (cleanN < CLEAN_REPS) cleanN++;
    const sorted = Array.from(cleanRanges.subarray(0, cleanN)).sort((a, b) => a - b);
    cleanReference = sorted[(cleanN - 1) >> 1]!;
  }

  /** Everything after calibration: angles → reps → faults → cues → sets. */
  function analyse(
    tS: number,
    q: Float64Array | number[],
    rateDegPerS: number,
    still: boolean,
    verticalAcc: number,
  ): void {
    tracker.update(q, angles);
    anglesT = tS;
    const before = reps.phase;
    let signal = tracker.signalDeg;
    if (signalLowpassHz > 0) {
      // Two first-order stages: tremor (7–12 Hz) and band jerks are as large as a clamshell's pelvic roll.
      const k = Number.isNaN(sigT) ? 1 : Math.min(1, (tS - sigT) * 2 * Math.PI * signalLowpassHz);
      sig1 += k * (signal - sig1);
      sig2 += k * (sig1 - sig2);
      sigT = tS;
      signal = sig2;
    }
    const rep = reps.next(tS, signal, rateDegPerS, still, verticalAcc);
    if (reps.atRest) {
      restTilt = angles.tiltDeg;
      restObl = angles.obliquityDeg;
      restRot = angles.rotationDeg;
    }
    if (before === 'rest' && reps.phase !== 'rest') {
      candidate++;
      if (!setOpen) openSet(reps.repStartS);
      events.push({ type: 'rep-start', tS, repIndex: repCount });
    }
    if (reps.phase !== 'rest') {
      // NOTE: one FaultInput object, refilled per sample (no allocation in the hot path).
      const x = faultInput;
      x.tS = tS;
      x.phase = reps.phase;
      x.repStartS = reps.repStartS;
      x.candidate = candidate;
      x.excursionDeg = reps.excursionDeg;
      x.peakDeg = reps.repPeakDeg;
      x.peakS = reps.repPeakS;
      x.rateDegPerS = rateDegPerS;
      x.typicalRangeDeg = cleanN > 0 ? cleanReference : reps.typicalRangeDeg;
      x.typicalFromReps = cleanN > 0 ? cleanN : reps.historyCount;
      x.tiltDeg = angles.tiltDeg;
      x.obliquityDeg = angles.obliquityDeg;
      x.rotationDeg = angles.rotationDeg;
      x.restTiltDeg = restTilt;
      x.restObliquityDeg = restObl;
      x.restRotationDeg = restRot;
      checker.next(x, thresholds);
      if (pending !== undefined && tS - lastCueS >= cueGapS && candidate === cueRepStart) {
        cuedMask |= 1 << faultPriority.indexOf(pending);
        fireCue(pending, tS);
        pending = undefined;
      }
    }
    if (rep) {
      checker.end(rep.endS, rep.upS, rep.downS, thresholds);
      const faults = faultsFromMask(checker.mask);
      const metrics: RepMetrics = {
        index: repCount,
        setIndex,
        startS: rep.startS,
        peakS: rep.peakS,
        endS: rep.endS,
        rangeDeg: rep.rangeDeg,
        upS: rep.upS,
        holdS: rep.holdS,
        downS: rep.downS,
        peakAngularVelocityDegPerS: rep.peakRateDegPerS,
        ...(geometry.posture !== 'side-lying' && Number.isFinite(rep.liftM) ? { liftM: rep.liftM } : {}),
        faults,
      };
      checker.reset();
      if (!faults.includes('lumbar_arch') && !faults.includes('partial_range')) addClean(rep.rangeDeg);
      events.push({ type: 'rep', tS, rep: metrics });
      if (faults.length === 0 && tS - lastCueS >= 0) fireCue('good_rep', tS);
      pending = undefined;
      repCount++;
      setReps++;
      lastRepEndS = rep.endS;
      const f = fatigue.add(rep.peakRateDegPerS, rep.rangeDeg);
      if (f !== undefined) {
        lastFatigue = f;
        const level = fatigueLevelOf(f);
        events.push({
          type: 'fatigue',
          tS,
          setIndex,
          estimate: f,
          level,
          targetReached: fatigueReached(level, target.fatigueMin),
        });
      }
    }
    if (setOpen && !manualSet && reps.phase === 'rest' && tS - lastRepEndS > setRestS) closeSet(tS);
  }

  function fail(tS: number, failure: CalibrationFailure): void {
    events.push({ type: 'calibration-failed', tS, failure, message: calibrationMessages[failure.reason] });
  }

  function calibrate(tS: number, dt: number, still: boolean, g: number[], a: number[]): void {
    if (awaitingMotion) {
      if (!still) awaitingMotion = false;
      return;
    }
    const r = hold.next(tS, dt, still, g[0]!, g[1]!, g[2]!, a[0]!, a[1]!, a[2]!);
    if (still && (Number.isNaN(lastProgressS) || tS - lastProgressS >= 0.25)) {
      lastProgressS = tS;
      events.push({
        type: 'calibration-progress',
        tS,
        stillS: hold.stillS,
        requiredS: cal.holdS,
        stillness: stillness.level,
      });
    }
    if (!r) return;
    if ('reason' in r) {
      fail(tS, r);
      if (r.reason !== 'moved') awaitingMotion = true;
      return;
    }
    const flipped = checkFlipped(r, geometry, cal.outwardAxisS);
    if (flipped) {
      fail(tS, flipped);
      awaitingMotion = true;
      return;
    }
    holdResult = r;
    attitude.biasRadPerS[0] = r.biasRadPerS[0];
    attitude.biasRadPerS[1] = r.biasRadPerS[1];
    attitude.biasRadPerS[2] = r.biasRadPerS[2];
    // The hold's mean gravity is the best start attitude: during the hold the gyro bias was not yet removed.
    attitude.align(r.upS[0], r.upS[1], r.upS[2]);
    tracker.setStart(attitude.q);
    state = 'calibrating-axis';
    replayN = 0;
    axisPathDeg = 0;
    lp.fill(0);
  }

  /** Vertical (earth z) linear acceleration of the sensor, m/s²: R_ES·f − g, third row only. */
  function verticalAcc(ax: number, ay: number, az: number): number {
    const q = attitude.q;
    const w = q[0]!;
    const x = q[1]!;
    const y = q[2]!;
    const z = q[3]!;
    return 2 * (x * z - w * y) * ax + 2 * (w * x + y * z) * ay + (w * w - x * x - y * y + z * z) * az - G;
  }

  const gBuf = [0, 0, 0];
  const aBuf = [0, 0, 0];
  const qBuf = [1, 0, 0, 0];

  function collectAxis(tS: number, dt: number, still: boolean): void {
    const b = attitude.biasRadPerS;
    const wx = gBuf[0]! - b[0]!;
    const wy = gBuf[1]! - b[1]!;
    const wz = gBuf[2]! - b[2]!;
    // Voluntary movement is below ~3 Hz; tremor and band jerks (6–12 Hz) would otherwise dominate Σωωᵀ.
    const k = Math.min(1, dt * 2 * Math.PI * AXIS_LOWPASS_HZ);
    lp[0]! += k * (wx - lp[0]!);
    lp[1]! += k * (wy - lp[1]!);
    lp[2]! += k * (wz - lp[2]!);
    lp[3]! += k * (lp[0]! - lp[3]!);
    lp[4]! += k * (lp[1]! - lp[4]!);
    lp[5]! += k * (lp[2]! - lp[5]!);
    if (replayN < capacity) {
      const o = replayN * REPLAY_STRIDE;
      replay[o] = tS;
      replay[o + 1] = attitude.q[0]!;
      replay[o + 2] = attitude.q[1]!;
      replay[o + 3] = attitude.q[2]!;
      replay[o + 4] = attitude.q[3]!;
      replay[o + 5] = wx;
      replay[o + 6] = wy;
      replay[o + 7] = wz;
      replay[o + 8] = still ? 1 : 0;
      replay[o + 9] = verticalAcc(aBuf[0]!, aBuf[1]!, aBuf[2]!);
      axisGyr[3 * replayN] = lp[3]!;
      axisGyr[3 * replayN + 1] = lp[4]!;
      axisGyr[3 * replayN + 2] = lp[5]!;
      axisDt[replayN] = dt;
      replayN++;
    }
    axisPathDeg += (Math.sqrt(lp[3]! ** 2 + lp[4]! ** 2 + lp[5]! ** 2) * dt * 180) / Math.PI;
    const ready = (axisPathDeg >= cal.axisPathDeg && still) || axisPathDeg >= cal.axisPathMaxDeg || replayN >= capacity;
    if (ready) fitAxis(tS);
  }

  /** Fit the mounting from the buffered movement and replay the buffer through the analysis. */
  function fitAxis(tS: number): void {
    const r = fitMounting(holdResult!, geometry, axisGyr, axisDt, replayN, cal);
    if ('reason' in r) {
      fail(tS, r);
      state = 'calibrating';
      holdResult = undefined;
      awaitingMotion = r.reason !== 'no_movement_axis';
      return;
    }
    calibration = r;
    tracker.setMounting(r.qPS);
    state = 'ready';
    events.push({ type: 'calibration-done', tS, calibration: r, stage: 'axis' });
    catchUp = 0;
    if (!Number.isFinite(catchUpPerSample)) replayBuffered(replayN);
  }

  /** Analyses up to `max` buffered samples; back to live analysis once the buffer is done. */
  function replayBuffered(max: number): void {
    const end = Math.min(replayN, catchUp + max);
    for (let i = catchUp; i < end; i++) {
      const o = i * REPLAY_STRIDE;
      qBuf[0] = replay[o + 1]!;
      qBuf[1] = replay[o + 2]!;
      qBuf[2] = replay[o + 3]!;
      qBuf[3] = replay[o + 4]!;
      analyse(
        replay[o]!,
        qBuf,
        tracker.rateDegPerS(replay[o + 5]!, replay[o + 6]!, replay[o + 7]!),
        replay[o + 8] === 1,
        replay[o + 9]!,
      );
    }
    catchUp = end;
    if (catchUp >= replayN) {
      catchUp = -1;
      replayN = 0;
    }
  }

  /** Buffers a sample behind the ones still being replayed (the attitude and rates as of now). */
  function bufferSample(tS: number, still: boolean, wx: number, wy: number, wz: number, vAcc: number): void {
    if (replayN >= replayCapacity) replayBuffered(replayN); // cannot happen at REPLAY_PER_SAMPLE > 1; stay correct
    const o = replayN * REPLAY_STRIDE;
    replay[o] = tS;
    replay[o + 1] = attitude.q[0]!;
    replay[o + 2] = attitude.q[1]!;
    replay[o + 3] = attitude.q[2]!;
    replay[o + 4] = attitude.q[3]!;
    replay[o + 5] = wx;
    replay[o + 6] = wy;
    replay[o + 7] = wz;
    replay[o + 8] = still ? 1 : 0;
    replay[o + 9] = vAcc;
    replayN++;
  }

  function gap(fromS: number, toS: number): void {
    events.push({ type: 'gap', tS: toS, fromS, toS });
    reps.abort();
    checker.reset();
  }

  return {
    get angles() {
      return angles;
    },
    get anglesTS() {
      return anglesT;
    },
    get state() {
      return state;
    },
    get calibration() {
      return calibration;
    },
    get thresholds() {
      return pendingThresholds ?? thresholds;
    },
    next(tS, gx, gy, gz, ax, ay, az) {
      if (!Number.isFinite(tS) || !(tS > lastT || Number.isNaN(lastT))) return;
      if (pendingThresholds) {
        thresholds = pendingThresholds;
        pendingThresholds = undefined;
      }
      let dt = Number.isNaN(lastT) ? 0 : tS - lastT;
      if (dt > maxGapS) {
        if (catchUp >= 0) replayBuffered(replayN);
        if (state === 'ready' || state === 'in-set') gap(lastT, tS);
        dt = 0;
      }
      lastT = tS;
      const still = stillness.next(dt, gx, gy, gz, ax, ay, az);
      aBuf[0] = ax;
      aBuf[1] = ay;
      aBuf[2] = az;
      attitude.next(dt, gx, gy, gz, ax, ay, az);
      gBuf[0] = gx;
      gBuf[1] = gy;
      gBuf[2] = gz;
      if (state === 'calibrating') {
        aBuf[0] = ax;
        aBuf[1] = ay;
        aBuf[2] = az;
        calibrate(tS, dt, still, gBuf, aBuf);
        return;
      }
      if (state === 'calibrating-axis') {
        collectAxis(tS, dt, still);
        return;
      }
      const b = attitude.biasRadPerS;
      if (catchUp >= 0) {
        // Still analysing the samples buffered for the axis fit: queue this one behind them, replay a few.
        bufferSample(tS, still, gx - b[0]!, gy - b[1]!, gz - b[2]!, verticalAcc(ax, ay, az));
        replayBuffered(catchUpPerSample);
        state = setOpen ? 'in-set' : 'ready';
        return;
      }
      analyse(tS, attitude.q, tracker.rateDegPerS(gx - b[0]!, gy - b[1]!, gz - b[2]!), still, verticalAcc(ax, ay, az));
      state = setOpen ? 'in-set' : 'ready';
      if (restRefine && reps.atRest) {
        // Back at the rep's start pose: a heading twist since the start is drift, not movement (angleTracker).
        tracker.reanchorHeading(attitude.q, REST_REANCHOR_DEG);
        restStillS = still ? restStillS + dt : 0;
        if (restStillS >= REST_SETTLE_S) {
          // Lying still between reps the mean rate is zero: what the gyro reads is bias (it drifts with
          // temperature, and a sensor re-clipped between sets is a different one). Samples far from the bias
          // are breathing or a slow shift, not bias.
          const ex = gx - b[0]!;
          const ey = gy - b[1]!;
          const ez = gz - b[2]!;
          if (ex * ex + ey * ey + ez * ez < REST_BIAS_MAX_DEV * REST_BIAS_MAX_DEV) {
            const k = Math.min(1, dt / REST_BIAS_TAU_S);
            b[0] = b[0]! + k * ex;
            b[1] = b[1]! + k * ey;
            b[2] = b[2]! + k * ez;
          }
        }
      } else {
        restStillS = 0;
      }
    },
    drainEvents() {
      return events.splice(0, events.length);
    },
    setThresholds(t) {
      pendingThresholds = mergeThresholds(pendingThresholds ?? thresholds, t);
    },
    startSet() {
      if (setOpen) closeSet(lastT);
      openSet(Number.isNaN(lastT) ? 0 : lastT);
      manualSet = true;
    },
    endSet() {
      // A set shorter than the axis fit's appetite: fit from what was collected rather than lose its reps.
      if (state === 'calibrating-axis' && replayN > 0 && axisPathDeg >= cal.axisPathDeg / 3) fitAxis(lastT);
      if (catchUp >= 0) replayBuffered(replayN);
      closeSet(Number.isNaN(lastT) ? 0 : lastT);
    },
    flush() {
      if (catchUp >= 0) replayBuffered(replayN);
    },
    markGap(fromS, toS) {
      if (catchUp >= 0) replayBuffered(replayN);
      gap(fromS, toS);
    },
    reset() {
      restStillS = 0;
      anglesT = Number.NaN;
      catchUp = -1;
      stillness.reset();
      attitude.reset();
      hold.clear();
      reps.reset();
      checker.reset();
      fatigue.reset();
      events.length = 0;
      state = 'calibrating';
      calibration = undefined;
      holdResult = undefined;
      awaitingMotion = false;
      lastT = Number.NaN;
      lastProgressS = Number.NaN;
      repCount = 0;
      cleanN = 0;
      cleanHead = 0;
      setIndex = -1;
      setOpen = false;
      manualSet = false;
      lastRepEndS = Number.NaN;
      lastCueS = Number.NEGATIVE_INFINITY;
      pending = undefined;
      angles.tiltDeg = 0;
      angles.obliquityDeg = 0;
      angles.rotationDeg = 0;
    },
  };
}
