import { z } from 'zod';
import { exerciseSchema, idSchema, roleSchema, sideSchema, sourceKindSchema, thresholdsSchema } from './domain.ts';
import { repSchema, sessionEventSchema, setSummarySchema } from './events.ts';

/**
 * HTTP JSON API of the gateway (same port as the WebSocket). Every request needs a token:
 * `Authorization: Bearer <token>` or `?token=<token>`. Errors come back as {@link httpErrorSchema}.
 *
 * | Method | Path | Body → Response |
 * |---|---|---|
 * | GET | /api/whoami | → {@link whoamiSchema} |
 * | POST | /api/ticket | → {@link ticketResponseSchema} (single use, expires in 30 s) |
 * | GET | /api/sessions | → {@link sessionListSchema} |
 * | GET | /api/sessions/:id | → {@link sessionReviewSchema} |
 * | GET | /api/sessions/:id/export.csv | → text/csv, see README |
 * | POST | /api/sessions/:id/rerun | {@link rerunRequestSchema} → {@link sessionReviewSchema} ("what if") |
 */
export const httpErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type HttpError = z.infer<typeof httpErrorSchema>;

export const whoamiSchema = z.object({ role: roleSchema, liveSessionId: idSchema.nullable() });
export type Whoami = z.infer<typeof whoamiSchema>;

export const ticketResponseSchema = z.object({
  ticket: z.string(),
  role: roleSchema,
  /** ISO 8601. */
  expiresAt: z.string(),
});
export type TicketResponse = z.infer<typeof ticketResponseSchema>;

export const sessionListItemSchema = z.object({
  id: idSchema,
  patientLabel: z.string().max(64),
  /** ISO 8601 wall-clock start. */
  startedAt: z.string(),
  durationS: z.number().min(0),
  exercise: exerciseSchema,
  side: sideSchema,
  source: sourceKindSchema,
  simulated: z.boolean(),
  /** True for the session this gateway is recording now. */
  live: z.boolean(),
  reps: z.number().int().min(0),
  sets: z.number().int().min(0),
  faults: z.number().int().min(0),
  /** Highest discomfort rating in the session, or null if none was given. */
  maxPainRating: z.number().int().min(0).max(10).nullable(),
  sizeBytes: z.number().int().min(0),
});
export type SessionListItem = z.infer<typeof sessionListItemSchema>;

export const sessionListSchema = z.object({ sessions: z.array(sessionListItemSchema) });
export type SessionList = z.infer<typeof sessionListSchema>;

/**
 * A recorded session re-derived from its raw notifications (same decoder and pipeline as live), for
 * the review timeline. `chart` is decimated to at most ~50 Hz.
 */
export const sessionReviewSchema = z.object({
  session: sessionListItemSchema,
  thresholds: thresholdsSchema,
  reps: z.array(repSchema),
  sets: z.array(setSummarySchema),
  events: z.array(sessionEventSchema),
  chart: z.object({
    tS: z.array(z.number()),
    tiltDeg: z.array(z.number()),
    obliquityDeg: z.array(z.number()),
    rotationDeg: z.array(z.number()),
  }),
});
export type SessionReview = z.infer<typeof sessionReviewSchema>;

/**
 * "What if": re-run a recording through the pipeline with these thresholds from the start (the thresholds the
 * therapist changed during the recorded session are not re-applied). Unknown threshold names are refused (400).
 */
export const rerunRequestSchema = z.strictObject({ thresholds: thresholdsSchema });
export type RerunRequest = z.infer<typeof rerunRequestSchema>;

/** Columns of `export.csv`: one row per decoded sample, events as rows with `event` set. */
export const EXPORT_CSV_COLUMNS = [
  't_s',
  'gyr_x',
  'gyr_y',
  'gyr_z',
  'acc_x',
  'acc_y',
  'acc_z',
  'tilt_deg',
  'obliquity_deg',
  'rotation_deg',
  'event',
  'detail',
] as const;
