import { type Thresholds as DspThresholds, defaultThresholds, frameRollCorrectionDeg } from '@hipcue/dsp';
import {
  type Exercise,
  exerciseSchema,
  type Fault,
  type Rep,
  type SessionEvent,
  type SetSummary,
  type Side,
  sideSchema,
} from '@hipcue/messages';
import type { Recording } from '@hipcue/recording';
import { controlsOf } from '../sources/ReplaySource.ts';
import { type ReviewedSession, withFinalVerdicts } from './afterSetReview.ts';
import { ControlReplayer } from './replayControls.ts';
import { CONTROL_NOTE_AUTHOR, SessionCore } from './SessionCore.ts';
import type { LiveSample, SessionListener } from './types.ts';

export interface RecordingAnalysis {
  core: SessionCore;
  exercise: Exercise;
  side: Side;
  /** The reps and sets with their final verdicts (after the set review, and a side plank's second look). */
  reps: Rep[];
  sets: SetSummary[];
  /** Every wire event the pipeline derived (after the review), plus the recorded ratings and notes, in time order. */
  events: SessionEvent[];
  chart: { tS: number[]; tiltDeg: number[]; obliquityDeg: number[]; rotationDeg: number[] };
  durationS: number;
}

/**
 * Re-derives a recorded session through the same decoder and pipeline as live (raw notifications in file
 * order, recorded commands re-applied in place), synchronously. `onSample` sees every decoded sample (CSV export).
 */
export interface AnalyzeRecordingOptions {
  onSample?: (s: LiveSample) => void;
  /** Each sample's angles at its own time (SessionListener.angles); `onSample`'s angles may be an older sample's. */
  onAngles?: SessionListener['angles'];
  /** "What if": these thresholds from the start, and the recorded threshold changes are not re-applied. */
  thresholds?: Partial<DspThresholds>;
}

/**
 * A side plank is looked at twice, as `hipcue analyze` does (packages/dsp analyze.ts, frameRollCorrectionDeg): when
 * later reps read as rolling forward, the frame absorbed the first reps' roll back, and the recording is run again
 * with the axis turned off it. The reps and cues stay the live pass's (what the patient heard); their verdicts, the
 * chart, `onSample` and `onAngles` are the second pass's, and a verdict that differs from the live one is marked as
 * the review's (afterSetReview.ts withFinalVerdicts).
 */
export function analyzeRecording(rec: Recording, id: string, options: AnalyzeRecordingOptions = {}): RecordingAnalysis {
  const exercise = exerciseSchema.safeParse(rec.meta?.exercise).data;
  // the pipeline reviews each set as it ends and the session sends its verdicts (SessionCore, afterSetReview.ts
  // reviewedWireReps), as it did live
  const reviewed = (p: Pass): ReviewedSession => ({
    reps: p.core.state.reps,
    sets: p.core.state.sets,
    events: [...p.derived],
    lastSeq: p.core.state.lastSeq,
  });
  if (exercise !== 'side-plank-clamshell') {
    const p = derive(rec, id, options, undefined);
    return withRecorded(rec, p, reviewed(p), p.chart);
  }
  const first = derive(rec, id, { ...(options.thresholds ? { thresholds: options.thresholds } : {}) }, undefined);
  const correctionDeg = frameRollCorrectionDeg(
    first.core.dspReps,
    first.core.state.thresholds.pelvicRollDeg ?? defaultThresholds.pelvicRollDeg,
  );
  if (correctionDeg <= 0) {
    const p = options.onSample || options.onAngles ? derive(rec, id, options, undefined) : first;
    return withRecorded(rec, p, reviewed(p), p.chart);
  }
  const second = derive(rec, id, options, correctionDeg);
  const secondReps = reviewed(second).reps;
  const final = new Map<number, Fault[]>();
  for (const r of first.core.state.reps) {
    const mid = (r.startS + r.endS) / 2;
    const m = secondReps.find((x) => x.startS <= mid && mid <= x.endS);
    if (m)
      final.set(
        r.index,
        m.faults.map(({ source: _, ...f }) => f),
      );
  }
  return withRecorded(
    rec,
    first,
    withFinalVerdicts(first.core, first.derived, first.core.state.lastSeq, final),
    second.chart,
  );
}

const CHART_POINTS_PER_S = 50;

/** One pass of a recording through the live decoder and pipeline. */
interface Pass {
  core: SessionCore;
  exercise: Exercise;
  side: Side;
  /** The wire events the pipeline derived, live verdicts. */
  derived: SessionEvent[];
  chart: RecordingAnalysis['chart'];
}

function derive(
  rec: Recording,
  id: string,
  options: AnalyzeRecordingOptions,
  faultSideCorrectionDeg: number | undefined,
): Pass {
  const { onSample, onAngles, thresholds } = options;
  const meta = rec.meta;
  const exercise = exerciseSchema.safeParse(meta?.exercise).data ?? 'hip-thrust';
  const side = sideSchema.safeParse(meta?.side).data ?? 'left';
  const pelvis = meta?.sensors.find((s) => s.role === 'pelvis') ?? meta?.sensors[0];
  const core = new SessionCore({
    sessionId: id,
    patientLabel: meta?.patient ?? '',
    source: meta?.source === 'sim' ? 'sim' : meta?.source === 'replay' ? 'replay' : 'ble',
    simulated: meta?.source === 'sim' || meta?.extra.simulated === 'true',
    exercise,
    side,
    startedAt: meta?.startedAt ?? '',
    sensorId: pelvis?.sensorId ?? 'pelvis',
    profile: pelvis?.profile ?? 'hipcue',
    // as live: a BLE session from hipcue firmware held samples behind gaps for the sensor's backfill
    backfill: meta?.source === 'live' && (pelvis?.profile ?? 'hipcue') === 'hipcue',
    segments: (meta?.sensors ?? []).flatMap((x) =>
      x !== pelvis && (x.role === 'thigh' || x.role === 'lumbar')
        ? [{ sensorId: x.sensorId, role: x.role, profile: x.profile }]
        : [],
    ),
    chartFramesPerS: 5,
    chartPointsPerS: CHART_POINTS_PER_S,
    ...(thresholds ? { thresholds } : {}),
    ...(faultSideCorrectionDeg ? { calibration: { faultSideCorrectionDeg } } : {}),
  });
  const derived: SessionEvent[] = [];
  // The chart from each sample's angles at its own time (the live chart shows the first reps replayed fast, once the
  // movement axis is known), CHART_POINTS_PER_S at most, 0.01° like live.
  const chart: RecordingAnalysis['chart'] = { tS: [], tiltDeg: [], obliquityDeg: [], rotationDeg: [] };
  let nextPointS = Number.NEGATIVE_INFINITY;
  const round2 = (x: number) => Math.round(x * 100) / 100;
  core.subscribe({
    events: (es) => derived.push(...es),
    angles: (tS, tilt, obliquity, rotation) => {
      onAngles?.(tS, tilt, obliquity, rotation);
      if (tS < nextPointS) return;
      // on the schedule, so sample jitter does not drift the rate; resync after a gap
      const step = 1 / CHART_POINTS_PER_S;
      nextPointS = nextPointS + step > tS ? nextPointS + step : tS + step;
      chart.tS.push(Math.round(tS * 1000) / 1000);
      chart.tiltDeg.push(round2(tilt));
      chart.obliquityDeg.push(round2(obliquity));
      chart.rotationDeg.push(round2(rotation));
    },
    ...(onSample ? { samples: (ss) => ss.forEach(onSample) } : {}),
  });
  const controls = controlsOf(rec).filter((c) => !(thresholds && c.type === 'threshold'));
  const replayer = new ControlReplayer(controls);
  for (const n of rec.notifications) {
    core.ingest(n);
    replayer.applyDue(core);
  }
  core.finish();
  return { core, exercise, side, derived, chart };
}

/** The reviewed pass with the recording's ratings and notes, which are not derived from samples, in time order. */
function withRecorded(
  rec: Recording,
  { core, exercise, side }: Pass,
  reviewed: ReviewedSession,
  chart: RecordingAnalysis['chart'],
): RecordingAnalysis {
  const events = reviewed.events;
  let extraSeq = reviewed.lastSeq;
  rec.events.forEach(({ event }, i) => {
    if (event.type === 'pain') {
      const set = core.state.sets.findLast((s) => s.startS <= event.tS);
      events.push({
        type: 'pain-rating',
        seq: ++extraSeq,
        tS: event.tS,
        setId: set?.setId ?? null,
        rating: Math.max(0, Math.min(10, Math.round(event.rating))),
        clientRatingId: `recorded-${i}`,
        by: 'patient',
      });
    } else if (event.type === 'note' && event.author !== CONTROL_NOTE_AUTHOR) {
      const by = event.author === 'patient' || event.author === 'viewer' ? event.author : 'therapist';
      events.push({
        type: 'note',
        seq: ++extraSeq,
        tS: event.tS,
        note: { id: `n${i}`, tS: event.tS, text: event.text.slice(0, 2000), by },
      });
    }
  });
  // In time order; at one time in the order they were derived (a set's rep-reviews before its set-end, as live), and
  // numbered in that order: the review's rep-reviews and the recorded ratings were numbered after the live pass.
  events.sort((a, b) => a.tS - b.tS);
  const ordered = events.map((e, i) => ({ ...e, seq: i + 1 }));
  return {
    core,
    exercise,
    side,
    reps: reviewed.reps,
    sets: reviewed.sets,
    events: ordered,
    chart,
    durationS: core.nowS,
  };
}
