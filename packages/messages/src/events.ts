import { z } from 'zod';
import {
  calibrationStateSchema,
  exerciseSchema,
  fatigueLevelSchema,
  faultCodeSchema,
  idSchema,
  roleSchema,
  sensorStatusSchema,
  sideSchema,
  thresholdsSchema,
} from './domain.ts';

/**
 * Every session event carries `seq` (strictly increasing per session, starting at 1, so a client that
 * reconnects can drop what it already has) and `tS`, the session time in seconds (0 = session start,
 * on the sensor's clock once streaming).
 */
const base = { seq: z.number().int().positive(), tS: z.number().finite() };

export const faultSchema = z.object({
  code: faultCodeSchema,
  /** Time the deviation began (session seconds). */
  beganS: z.number().finite(),
  /** Measured value and the threshold it crossed, in `unit`. */
  value: z.number().finite(),
  threshold: z.number().finite(),
  unit: z.enum(['deg', 's', 'ratio']),
  /**
   * `review`: found by the after-set review, which judges each rep against its whole set once the set is over
   * (packages/dsp review.ts, reviewSets); the patient got no cue for it during the rep. Absent: found live.
   */
  source: z.enum(['live', 'review']).optional(),
});
export type Fault = z.infer<typeof faultSchema>;

export const repSchema = z.object({
  /** 1-based within the session. */
  index: z.number().int().positive(),
  /** 1-based within its set. */
  indexInSet: z.number().int().positive(),
  setId: idSchema.nullable(),
  startS: z.number().finite(),
  endS: z.number().finite(),
  /** Range of the primary angle for this exercise (tilt for thrust/bridge, rotation/obliquity for clamshells). */
  rangeDeg: z.number().finite(),
  /** Up, hold and down durations. */
  tempoS: z.object({ up: z.number().min(0), hold: z.number().min(0), down: z.number().min(0) }),
  /**
   * Peak (largest magnitude, signed) pelvis angles within the rep. 0 for reps counted before the movement axis
   * was known (the first reps after calibration), when the pipeline reports no angles yet.
   */
  peakTiltDeg: z.number().finite(),
  peakObliquityDeg: z.number().finite(),
  peakRotationDeg: z.number().finite(),
  peakAngularVelocityDegPerS: z.number().finite(),
  faults: z.array(faultSchema),
  /** Live findings the after-set review withdrew (their cue, if any, was given live). */
  clearedByReview: z.array(faultSchema).optional(),
  /**
   * The after-set review found this was no rep: a small, quick movement after the set's last rep, late for its rhythm
   * (packages/dsp review.ts trailingMovement). Left out of the set's rep and fault counts.
   */
  notARep: z.literal(true).optional(),
  /** Code of the cue the patient got for this rep, if any. */
  cueCode: z.string().max(64).nullable(),
});
export type Rep = z.infer<typeof repSchema>;

/** A rep that counts: not one the after-set review found was no rep (`notARep`). */
export function isCounted(r: Rep): boolean {
  return r.notARep !== true;
}

export const setSummarySchema = z.object({
  setId: idSchema,
  /** 1-based within the session. */
  index: z.number().int().positive(),
  exercise: exerciseSchema,
  side: sideSchema,
  startS: z.number().finite(),
  endS: z.number().finite().nullable(),
  reps: z.number().int().min(0),
  faults: z.number().int().min(0),
  painRating: z.number().int().min(0).max(10).nullable(),
  perceivedFatigue: z.number().int().min(0).max(10).nullable(),
  fatigueEstimate: z.number().min(0).max(1).nullable(),
});
export type SetSummary = z.infer<typeof setSummarySchema>;

export const noteSchema = z.object({
  id: idSchema,
  tS: z.number().finite(),
  text: z.string().max(2000),
  by: roleSchema,
});
export type Note = z.infer<typeof noteSchema>;

export const sessionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('rep'), ...base, rep: repSchema }),
  z.object({ type: z.literal('fault'), ...base, repIndex: z.number().int().positive(), fault: faultSchema }),
  /**
   * A rep of the set that just ended, as the after-set review judged it: the whole rep again, its found faults marked
   * `source: 'review'` and the withdrawn ones in `clearedByReview`. Sent before that set's `set-end`, whose fault count
   * includes it. Not a cue: nothing is spoken for it.
   */
  z.object({ type: z.literal('rep-review'), ...base, rep: repSchema }),
  z.object({
    type: z.literal('cue'),
    ...base,
    /** Stable code from packages/dsp, e.g. `lumbar_arch` or `good_rep`. */
    code: z.string().max(64),
    /** Short patient-facing text, ready to show and speak. */
    text: z.string().max(200),
    kind: z.enum(['correction', 'positive', 'info']),
    repIndex: z.number().int().positive().nullable(),
    /** For history analysed late (samples backfilled after a link drop): show in lists, do not speak or buzz. */
    late: z.boolean().optional(),
  }),
  z.object({ type: z.literal('set-start'), ...base, setId: idSchema, index: z.number().int().positive() }),
  z.object({
    type: z.literal('set-end'),
    ...base,
    set: setSummarySchema,
    /** `command`: a client ended it; `rest`: the detector saw a long rest; `exercise-changed`. */
    reason: z.enum(['command', 'rest', 'exercise-changed', 'source-ended']),
  }),
  z.object({
    type: z.literal('calibration'),
    ...base,
    state: calibrationStateSchema,
    /** 0..1 of the hold completed. */
    progress: z.number().min(0).max(1),
    /** 0..1, 1 = perfectly still (for the live stillness meter). */
    stillness: z.number().min(0).max(1),
    remainingS: z.number().min(0),
    /** On failure: a code the UI can branch on (`moved`, `flipped`, `wrong-start-pose`, `no-data`) and a message. */
    reason: z.string().max(64).optional(),
    message: z.string().max(500).optional(),
  }),
  z.object({
    type: z.literal('fatigue'),
    ...base,
    /** Estimate, 0..1 (velocity and range loss within the set). */
    estimate: z.number().min(0).max(1),
    level: fatigueLevelSchema,
    /** True once the estimate reached the exercise's target (seed: moderate for thrusts/bridges). */
    targetReached: z.boolean(),
  }),
  z.object({ type: z.literal('thresholds'), ...base, thresholds: thresholdsSchema, by: roleSchema }),
  z.object({ type: z.literal('note'), ...base, note: noteSchema }),
  z.object({
    type: z.literal('pain-rating'),
    ...base,
    setId: idSchema.nullable(),
    rating: z.number().int().min(0).max(10),
    clientRatingId: idSchema,
    by: roleSchema,
  }),
  z.object({
    type: z.literal('perceived-fatigue'),
    ...base,
    setId: idSchema.nullable(),
    rating: z.number().int().min(0).max(10),
    clientRatingId: idSchema,
  }),
  z.object({ type: z.literal('exercise'), ...base, exercise: exerciseSchema, side: sideSchema }),
  z.object({ type: z.literal('sensor'), ...base, sensor: sensorStatusSchema }),
  z.object({
    type: z.literal('gap'),
    ...base,
    sensorId: z.string().max(64),
    fromS: z.number().finite(),
    toS: z.number().finite(),
    samplesLost: z.number().int().min(0),
  }),
  z.object({
    type: z.literal('backfill'),
    ...base,
    sensorId: z.string().max(64),
    fromS: z.number().finite(),
    toS: z.number().finite(),
    samplesRecovered: z.number().int().min(0),
    samplesLost: z.number().int().min(0),
  }),
]);
export type SessionEvent = z.infer<typeof sessionEventSchema>;
export type SessionEventType = SessionEvent['type'];
/** A session event before the gateway assigns `seq`. */
export type SessionEventInput = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'seq'>
    : never
  : never;
