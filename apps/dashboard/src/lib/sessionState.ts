import type {
  CalibrationState,
  ErrorMessage,
  Note,
  Rep,
  SensorStatus,
  ServerMessage,
  SessionEvent,
  SetSummary,
  Snapshot,
  StatsMessage,
} from '@hipcue/messages';

export type CueEvent = Extract<SessionEvent, { type: 'cue' }>;
export type PainEvent = Extract<SessionEvent, { type: 'pain-rating' }>;
export type ThresholdEvent = Extract<SessionEvent, { type: 'thresholds' }>;

/** Everything discrete the UI renders. Chart samples never go here (they live in a RingBuffer). */
export interface SessionState {
  snapshot: Snapshot | null;
  reps: Rep[];
  sets: SetSummary[];
  sensors: SensorStatus[];
  notes: Note[];
  cues: CueEvent[];
  painRatings: PainEvent[];
  thresholdChanges: ThresholdEvent[];
  calibration: {
    state: CalibrationState;
    progress: number;
    stillness: number;
    remainingS: number;
    reason?: string;
    message?: string;
  };
  fatigue: Snapshot['fatigue'];
  lastSeq: number;
  stats: StatsMessage | null;
  errors: ErrorMessage[];
  /** Events that fed this state, newest last (capped), for timelines. */
  events: SessionEvent[];
  /** The last sensor link drop and what became of its data (issue 8), for a calm notice. */
  linkNotice: LinkNotice | null;
}

export interface LinkNotice {
  /** Event seq, so a view can show each notice once. */
  seq: number;
  state: 'recovering' | 'recovered' | 'lost';
  /** Seconds of data that will never come back (0 when all was recovered). */
  lostS: number;
  text: string;
}

/** Gaps shorter than this are single lost notifications: counted in the loss %, not announced. */
export const LINK_NOTICE_MIN_GAP_S = 0.5;

/** Patient-facing text for a link drop, recovered by the sensor's backfill or not. */
export function linkNoticeFor(e: SessionEvent): LinkNotice | null {
  if (e.type === 'gap') {
    const s = e.toS - e.fromS;
    if (s < LINK_NOTICE_MIN_GAP_S) return null;
    return {
      seq: e.seq,
      state: 'lost',
      lostS: s,
      text: `Sensor signal lost for ${s.toFixed(1)} s — keep going, it reconnects by itself.`,
    };
  }
  if (e.type === 'backfill') {
    const total = e.samplesRecovered + e.samplesLost;
    const lostS = total > 0 ? ((e.toS - e.fromS) * e.samplesLost) / total : 0;
    if (e.samplesLost === 0)
      return { seq: e.seq, state: 'recovered', lostS: 0, text: 'Sensor reconnected — nothing lost.' };
    return {
      seq: e.seq,
      state: 'lost',
      lostS,
      text: `Sensor reconnected — ${lostS.toFixed(1)} s of data could not be recovered; reps in it are not counted.`,
    };
  }
  return null;
}

const MAX_EVENTS = 2000;
const MAX_CUES = 200;

export const initialSessionState: SessionState = {
  snapshot: null,
  reps: [],
  sets: [],
  sensors: [],
  notes: [],
  cues: [],
  painRatings: [],
  thresholdChanges: [],
  calibration: { state: 'none', progress: 0, stillness: 0, remainingS: 0 },
  fatigue: null,
  lastSeq: 0,
  stats: null,
  errors: [],
  events: [],
  linkNotice: null,
};

function upsertBy<T>(list: T[], item: T, same: (a: T) => boolean): T[] {
  const i = list.findIndex(same);
  if (i < 0) return [...list, item];
  const copy = list.slice();
  copy[i] = item;
  return copy;
}

function fromSnapshot(s: Snapshot, prev: SessionState): SessionState {
  const base: SessionState = {
    ...initialSessionState,
    stats: prev.stats,
    snapshot: s,
    reps: s.reps,
    sets: s.sets,
    sensors: s.sensors,
    notes: s.notes,
    calibration: { ...s.calibration, stillness: 0, remainingS: 0 },
    fatigue: s.fatigue,
    lastSeq: 0,
  };
  // Replay recentEvents for the cue/rating/threshold history; reps/sets/notes already come whole.
  let st = base;
  for (const e of s.recentEvents) st = applyEvent(st, e, false);
  return { ...st, reps: s.reps, sets: s.sets, notes: s.notes, sensors: s.sensors, lastSeq: s.lastSeq };
}

/** Folds one event in. `structural` false: only histories (used when replaying a snapshot's recent events). */
function applyEvent(st: SessionState, e: SessionEvent, structural = true): SessionState {
  const events = st.events.length >= MAX_EVENTS ? [...st.events.slice(1), e] : [...st.events, e];
  const next: SessionState = { ...st, events, lastSeq: Math.max(st.lastSeq, e.seq) };
  switch (e.type) {
    case 'rep':
    case 'rep-review':
      if (structural) next.reps = upsertBy(st.reps, e.rep, (r) => r.index === e.rep.index);
      return next;
    case 'fault':
      if (structural)
        next.reps = st.reps.map((r) =>
          r.index === e.repIndex && !r.faults.some((f) => f.code === e.fault.code)
            ? { ...r, faults: [...r.faults, e.fault] }
            : r,
        );
      return next;
    case 'cue':
      next.cues = st.cues.length >= MAX_CUES ? [...st.cues.slice(1), e] : [...st.cues, e];
      return next;
    case 'set-start':
      if (structural && st.snapshot) next.snapshot = { ...st.snapshot, currentSetId: e.setId, phase: 'in-set' };
      next.fatigue = null;
      return next;
    case 'set-end':
      if (structural) {
        next.sets = upsertBy(st.sets, e.set, (s) => s.setId === e.set.setId);
        if (st.snapshot) next.snapshot = { ...st.snapshot, currentSetId: null, phase: 'resting' };
      }
      return next;
    case 'calibration': {
      const { state, progress, stillness, remainingS, reason, message } = e;
      next.calibration = { state, progress, stillness, remainingS };
      if (reason !== undefined) next.calibration.reason = reason;
      if (message !== undefined) next.calibration.message = message;
      if (structural && st.snapshot) {
        const phase = state === 'holding' ? 'calibrating' : state === 'done' ? 'ready' : 'idle';
        next.snapshot = { ...st.snapshot, phase, calibration: { state, progress, ...(reason ? { reason } : {}) } };
      }
      return next;
    }
    case 'fatigue':
      next.fatigue = {
        estimate: e.estimate,
        level: e.level,
        targetReached: e.targetReached,
        target: st.fatigue?.target ?? st.snapshot?.fatigue?.target ?? 'moderate',
      };
      return next;
    case 'thresholds':
      next.thresholdChanges = [...st.thresholdChanges, e];
      if (structural && st.snapshot)
        next.snapshot = { ...st.snapshot, thresholds: { ...st.snapshot.thresholds, ...e.thresholds } };
      return next;
    case 'note':
      if (structural) next.notes = upsertBy(st.notes, e.note, (n) => n.id === e.note.id);
      return next;
    case 'pain-rating':
      if (!st.painRatings.some((p) => p.clientRatingId === e.clientRatingId)) next.painRatings = [...st.painRatings, e];
      if (structural && e.setId)
        next.sets = st.sets.map((s) => (s.setId === e.setId ? { ...s, painRating: e.rating } : s));
      return next;
    case 'perceived-fatigue':
      if (structural && e.setId)
        next.sets = st.sets.map((s) => (s.setId === e.setId ? { ...s, perceivedFatigue: e.rating } : s));
      return next;
    case 'exercise':
      if (structural && st.snapshot) next.snapshot = { ...st.snapshot, exercise: e.exercise, side: e.side };
      return next;
    case 'gap':
    case 'backfill': {
      const notice = linkNoticeFor(e);
      if (structural && notice) next.linkNotice = notice;
      return next;
    }
    case 'sensor':
      if (structural) next.sensors = upsertBy(st.sensors, e.sensor, (s) => s.sensorId === e.sensor.sensorId);
      return next;
    default:
      return next;
  }
}

/** Reducer for every non-chart server message. Events already folded in (seq ≤ lastSeq) are ignored. */
export function sessionReducer(st: SessionState, msg: ServerMessage): SessionState {
  switch (msg.type) {
    case 'snapshot':
      return fromSnapshot(msg, st);
    case 'events': {
      let next = st;
      for (const e of msg.events) if (e.seq > next.lastSeq) next = applyEvent(next, e);
      return next;
    }
    case 'stats':
      return { ...st, stats: msg };
    case 'error':
      return { ...st, errors: [...st.errors.slice(-9), msg] };
    default:
      return st;
  }
}
