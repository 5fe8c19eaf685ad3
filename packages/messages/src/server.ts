import { z } from 'zod';
import {
  calibrationStateSchema,
  exerciseSchema,
  fatigueLevelSchema,
  idSchema,
  PROTOCOL_VERSION,
  phaseSchema,
  roleSchema,
  sensorStatusSchema,
  sideSchema,
  sourceKindSchema,
  thresholdsSchema,
} from './domain.ts';
import { noteSchema, repSchema, sessionEventSchema, setSummarySchema } from './events.ts';

/**
 * First message on every connection and after every reconnect: the whole state a client needs to
 * render, so nothing depends on having seen earlier events. `lastSeq` is the `seq` of the newest
 * event folded into it; live `events` follow with `seq > lastSeq`.
 */
export const snapshotSchema = z.object({
  type: z.literal('snapshot'),
  protocolVersion: z.literal(PROTOCOL_VERSION),
  sessionId: idSchema,
  /** Pseudonymous label (never a name). */
  patientLabel: z.string().max(64),
  /** This connection. */
  clientId: idSchema,
  role: roleSchema,
  source: sourceKindSchema,
  /** Wall-clock start of the session, ISO 8601. */
  startedAt: z.string(),
  /** Session time now (seconds). */
  nowS: z.number().finite(),
  exercise: exerciseSchema,
  side: sideSchema,
  phase: phaseSchema,
  sensors: z.array(sensorStatusSchema),
  calibration: z.object({
    state: calibrationStateSchema,
    progress: z.number().min(0).max(1),
    reason: z.string().max(64).optional(),
    message: z.string().max(500).optional(),
  }),
  thresholds: thresholdsSchema,
  /** Defaults for the current exercise, so a UI can offer "reset". */
  defaultThresholds: thresholdsSchema,
  reps: z.array(repSchema),
  sets: z.array(setSummarySchema),
  /** The set in progress, or null between sets. Also present (last element) in `sets`. */
  currentSetId: idSchema.nullable(),
  /** Target number of sets for this exercise (seed: 2–3). */
  targetSets: z.number().int().positive(),
  fatigue: z
    .object({
      estimate: z.number().min(0).max(1),
      level: fatigueLevelSchema,
      target: fatigueLevelSchema,
      targetReached: z.boolean(),
    })
    .nullable(),
  notes: z.array(noteSchema),
  /** Newest events last (cues, faults, ratings…), at most a few hundred. */
  recentEvents: z.array(sessionEventSchema),
  lastSeq: z.number().int().min(0),
  /** Client-side ids of pain/fatigue ratings already applied (so a resent queue can be pruned). */
  appliedRatingIds: z.array(idSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const eventsMessageSchema = z.object({ type: z.literal('events'), events: z.array(sessionEventSchema) });
export type EventsMessage = z.infer<typeof eventsMessageSchema>;

/**
 * Decimated pelvis angles (degrees, relative to the calibrated start; see docs/frames.md), batched:
 * columns of equal length. `frame` counts chart messages per session, so a gap in `frame` on one client
 * shows frames dropped for it. Angles are null-free: before calibration they are 0.
 */
export const chartMessageSchema = z
  .object({
    type: z.literal('chart'),
    frame: z.number().int().min(0),
    tS: z.array(z.number()),
    tiltDeg: z.array(z.number()),
    obliquityDeg: z.array(z.number()),
    rotationDeg: z.array(z.number()),
  })
  .refine(
    (m) =>
      m.tiltDeg.length === m.tS.length && m.obliquityDeg.length === m.tS.length && m.rotationDeg.length === m.tS.length,
    { message: 'chart columns must have equal length', path: ['tS'] },
  );
export type ChartMessage = z.infer<typeof chartMessageSchema>;

export const ERROR_CODES = [
  'bad-json',
  'bad-message',
  'too-large',
  'unauthorized',
  'forbidden',
  'rate-limited',
  'invalid-state',
  'not-found',
  'internal',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorMessageSchema = z.object({
  type: z.literal('error'),
  code: errorCodeSchema,
  /** Human-readable, names what was wrong (path and value). */
  message: z.string(),
  /** JSON path into the offending message, e.g. `rating`. */
  path: z.string().optional(),
  /** The `id` of the client message this answers, if it had one. */
  id: idSchema.optional(),
});
export type ErrorMessage = z.infer<typeof errorMessageSchema>;

/** Positive answer to a client message that carried an `id`. */
export const ackMessageSchema = z.object({ type: z.literal('ack'), id: idSchema });
export type AckMessage = z.infer<typeof ackMessageSchema>;

export const pongMessageSchema = z.object({
  type: z.literal('pong'),
  id: idSchema.optional(),
  /** Echo of the ping's `clientTimeMs`, for round-trip latency. */
  clientTimeMs: z.number().optional(),
  serverTimeMs: z.number(),
});
export type PongMessage = z.infer<typeof pongMessageSchema>;

/** Sent every few seconds: per-client delivery health. Counts are cumulative for the connection. */
export const statsMessageSchema = z.object({
  type: z.literal('stats'),
  you: z.object({ clientId: idSchema, droppedChartFrames: z.number().int().min(0), queuedBytes: z.number().min(0) }),
  clients: z.array(
    z.object({
      clientId: idSchema,
      role: roleSchema,
      droppedChartFrames: z.number().int().min(0),
      queuedBytes: z.number().min(0),
    }),
  ),
  /** Pipeline latency, notification in → message handed to the socket, over the last stats period. */
  latencyMs: z.object({ p50: z.number(), p99: z.number() }).nullable(),
});
export type StatsMessage = z.infer<typeof statsMessageSchema>;

export const serverMessageSchema = z.union([
  snapshotSchema,
  eventsMessageSchema,
  chartMessageSchema,
  errorMessageSchema,
  ackMessageSchema,
  pongMessageSchema,
  statsMessageSchema,
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
