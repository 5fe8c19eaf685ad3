import type { PipelineEvent } from '@hipcue/dsp';
import {
  type CalibrationState,
  type Exercise,
  type FatigueLevel,
  isCounted,
  type Note,
  type Phase,
  PROTOCOL_VERSION,
  type Rep,
  type Role,
  type SensorStatus,
  type SessionEvent,
  type SessionEventInput,
  type SetSummary,
  type Side,
  type Snapshot,
  type SourceKind,
  type Thresholds,
} from '@hipcue/messages';

export interface SessionStateInit {
  sessionId: string;
  patientLabel: string;
  source: SourceKind;
  simulated: boolean;
  exercise: Exercise;
  side: Side;
  startedAt: string;
  sensorId: string;
  profile: string;
  thresholds: Thresholds;
  defaultThresholds: Thresholds;
  targetSets: number;
  fatigueTarget: FatigueLevel;
  haptics?: boolean;
}

export interface ApplyContext {
  /** Session set id for the pipeline's set index (created on set start). */
  setIdFor(dspIndex: number, create: boolean): string | null;
  /** Peak (largest magnitude, signed) pelvis angles over a time window. */
  peaks(fromS: number, toS: number): { tilt: number; obliquity: number; rotation: number };
  endReason: 'command' | 'rest';
}

const RECENT_EVENTS = 200;
const CALIBRATION_REASONS: Record<string, string> = {
  moved: 'moved',
  flipped: 'flipped',
  wrong_pose: 'wrong-start-pose',
  no_gravity: 'no-data',
  no_movement_axis: 'no-movement-axis',
};

/**
 * Everything a snapshot holds, updated by committing session events in order (one place per event type),
 * plus the mapping from dsp pipeline events to wire events.
 */
export class SessionState {
  nowS = 0;
  lastSeq = 0;
  thresholds: Thresholds;
  sensor: SensorStatus;
  /** Thigh and upper-lumbar sensors, in the order they were declared. */
  readonly extraSensors: SensorStatus[] = [];
  calibration: Snapshot['calibration'] = { state: 'holding', progress: 0 };
  fatigue: Snapshot['fatigue'] = null;
  readonly reps: Rep[] = [];
  readonly sets: SetSummary[] = [];
  currentSetId: string | null = null;
  readonly notes: Note[] = [];
  readonly recent: SessionEvent[] = [];
  readonly appliedRatingIds = new Set<string>();
  private repsAssigned = 0;
  private cueByRep = new Map<number, string>();

  constructor(readonly init: SessionStateInit) {
    this.thresholds = init.thresholds;
    this.sensor = {
      sensorId: init.sensorId,
      position: 'pelvis',
      state: 'connecting',
      simulated: init.simulated,
      profile: init.profile,
      batteryPct: null,
      lossPct: 0,
      rateHz: 0,
      ...(init.haptics ? { haptics: true } : {}),
    };
  }

  get phase(): Phase {
    const c: CalibrationState = this.calibration.state;
    if (c === 'holding') return 'calibrating';
    if (c === 'failed' || c === 'none') return 'idle';
    if (this.currentSetId !== null) return 'in-set';
    return this.sets.length > 0 ? 'resting' : 'ready';
  }

  snapshot(clientId: string, role: Role): Snapshot {
    const i = this.init;
    return {
      type: 'snapshot',
      protocolVersion: PROTOCOL_VERSION,
      sessionId: i.sessionId,
      patientLabel: i.patientLabel,
      clientId,
      role,
      source: i.source,
      startedAt: i.startedAt,
      nowS: this.nowS,
      exercise: i.exercise,
      side: i.side,
      phase: this.phase,
      sensors: [this.sensor, ...this.extraSensors],
      calibration: this.calibration,
      thresholds: this.thresholds,
      defaultThresholds: i.defaultThresholds,
      reps: this.reps,
      sets: this.sets,
      currentSetId: this.currentSetId,
      targetSets: i.targetSets,
      fatigue: this.fatigue,
      notes: this.notes,
      recentEvents: this.recent,
      lastSeq: this.lastSeq,
      appliedRatingIds: [...this.appliedRatingIds],
    };
  }

  /** Maps one dsp pipeline event to wire events (without seq). */
  apply(ev: PipelineEvent, ctx: ApplyContext): SessionEventInput[] {
    const tS = ev.tS;
    switch (ev.type) {
      case 'calibration-progress': {
        const progress = ev.requiredS > 0 ? Math.min(1, ev.stillS / ev.requiredS) : 0;
        const remainingS = Math.max(0, ev.requiredS - ev.stillS);
        return [{ type: 'calibration', tS, state: 'holding', progress, stillness: clamp01(ev.stillness), remainingS }];
      }
      case 'calibration-done':
        return [
          {
            type: 'calibration',
            tS,
            state: 'done',
            progress: 1,
            stillness: 1,
            remainingS: 0,
            message:
              ev.stage === 'hold'
                ? 'Start position captured. Begin your first rep.'
                : 'Movement axis found; angles are now relative to your start position.',
          },
        ];
      case 'calibration-failed':
        return [
          {
            type: 'calibration',
            tS,
            state: 'failed',
            progress: 0,
            stillness: 0,
            remainingS: 0,
            reason: CALIBRATION_REASONS[ev.failure.reason] ?? ev.failure.reason,
            message: ev.message,
          },
        ];
      case 'rep-start':
      case 'gap':
        // Gaps come from the stream reconstructor, with sample counts.
        return [];
      case 'set-start': {
        const setId = ctx.setIdFor(ev.setIndex, true)!;
        // numbered among the sets that counted reps: a set the review found held no rep (one movement in a rest)
        // was no set, and the next one takes its number
        const index = this.sets.filter((s) => s.endS === null || s.reps > 0).length + 1;
        return [{ type: 'set-start', tS, setId, index }];
      }
      case 'set-end': {
        const setId = ctx.setIdFor(ev.set.index, false);
        const summary = this.sets.find((s) => s.setId === setId);
        if (!summary) return [];
        // the pipeline's count already leaves out what its after-set review found was no rep
        const set: SetSummary = {
          ...summary,
          endS: ev.set.endS,
          reps: ev.set.reps,
          fatigueEstimate: clamp01(ev.set.fatigueEstimate),
        };
        return [{ type: 'set-end', tS, set, reason: ctx.endReason }];
      }
      case 'rep': {
        const r = ev.rep;
        const setId = ctx.setIdFor(r.setIndex, false);
        this.repsAssigned++;
        const inSet = this.reps.filter((x) => x.setId === setId).length + 1;
        const peaks = ctx.peaks(r.startS, r.endS);
        const rep: Rep = {
          index: this.repsAssigned,
          indexInSet: inSet,
          setId,
          startS: r.startS,
          endS: r.endS,
          rangeDeg: r.rangeDeg,
          tempoS: { up: Math.max(0, r.upS), hold: Math.max(0, r.holdS), down: Math.max(0, r.downS) },
          peakTiltDeg: peaks.tilt,
          peakObliquityDeg: peaks.obliquity,
          peakRotationDeg: peaks.rotation,
          peakAngularVelocityDegPerS: r.peakAngularVelocityDegPerS,
          faults: [],
          cueCode: this.cueByRep.get(this.repsAssigned) ?? null,
        };
        return [{ type: 'rep', tS, rep }];
      }
      case 'fault': {
        const f = ev.fault;
        const fault = { code: f.code, beganS: f.tS, value: f.value, threshold: f.threshold, unit: f.unit };
        return [{ type: 'fault', tS, repIndex: this.repsAssigned + 1, fault }];
      }
      case 'cue': {
        const repIndex = this.repsAssigned + (ev.cue.code === 'good_rep' ? 0 : 1);
        if (repIndex > 0) this.cueByRep.set(repIndex, ev.cue.code);
        const kind = ev.cue.code === 'good_rep' ? 'positive' : 'correction';
        return [
          { type: 'cue', tS, code: ev.cue.code, text: ev.cue.text, kind, repIndex: repIndex > 0 ? repIndex : null },
        ];
      }
      case 'fatigue':
        return [
          { type: 'fatigue', tS, estimate: clamp01(ev.estimate), level: ev.level, targetReached: ev.targetReached },
        ];
      default:
        return [];
    }
  }

  /** Assigns the next `seq` and folds the event into the snapshot state. */
  commit(input: SessionEventInput): SessionEvent {
    const e = { ...input, seq: ++this.lastSeq } as SessionEvent;
    switch (e.type) {
      case 'calibration':
        this.calibration = {
          state: e.state,
          progress: e.progress,
          ...(e.reason ? { reason: e.reason } : {}),
          ...(e.message ? { message: e.message } : {}),
        };
        break;
      case 'set-start':
        this.currentSetId = e.setId;
        this.fatigue = null;
        this.sets.push({
          setId: e.setId,
          index: e.index,
          exercise: this.init.exercise,
          side: this.init.side,
          startS: e.tS,
          endS: null,
          reps: 0,
          faults: 0,
          painRating: null,
          perceivedFatigue: null,
          fatigueEstimate: null,
        });
        break;
      case 'set-end': {
        const i = this.sets.findIndex((s) => s.setId === e.set.setId);
        if (i >= 0) this.sets[i] = { ...this.sets[i]!, ...e.set, faults: this.sets[i]!.faults };
        if (this.currentSetId === e.set.setId) this.currentSetId = null;
        break;
      }
      case 'rep': {
        const prior = this.faultsOfRep(e.rep.index);
        e.rep.faults = prior;
        this.reps.push(e.rep);
        const set = this.sets.find((s) => s.setId === e.rep.setId);
        if (set) set.reps = e.rep.indexInSet;
        break;
      }
      case 'fault': {
        const set = this.sets.find((s) => s.setId === this.currentSetId);
        if (set) set.faults++;
        break;
      }
      case 'rep-review': {
        const k = this.reps.findIndex((r) => r.index === e.rep.index);
        if (k < 0) break;
        const set = this.sets.find((s) => s.setId === e.rep.setId);
        const counted = (r: Rep) => (isCounted(r) ? r.faults.length : 0);
        if (set) set.faults = Math.max(0, set.faults + counted(e.rep) - counted(this.reps[k]!));
        if (set && isCounted(e.rep) !== isCounted(this.reps[k]!)) {
          set.reps = Math.max(0, set.reps + (isCounted(e.rep) ? 1 : -1));
        }
        this.reps[k] = e.rep;
        break;
      }
      case 'fatigue':
        this.fatigue = {
          estimate: e.estimate,
          level: e.level,
          target: this.init.fatigueTarget,
          targetReached: e.targetReached,
        };
        break;
      case 'thresholds':
        this.thresholds = e.thresholds;
        break;
      case 'note':
        this.notes.push(e.note);
        break;
      case 'pain-rating':
      case 'perceived-fatigue': {
        const set = this.sets.find((s) => s.setId === e.setId);
        if (set && e.type === 'pain-rating') set.painRating = e.rating;
        if (set && e.type === 'perceived-fatigue') set.perceivedFatigue = e.rating;
        break;
      }
      case 'sensor': {
        if (e.sensor.sensorId === this.sensor.sensorId) {
          this.sensor = e.sensor;
          break;
        }
        const k = this.extraSensors.findIndex((x) => x.sensorId === e.sensor.sensorId);
        if (k >= 0) this.extraSensors[k] = e.sensor;
        else this.extraSensors.push(e.sensor);
        break;
      }
      case 'cue': {
        // Reinforcement arrives after its rep was committed: attach it there.
        const rep = e.repIndex === null ? undefined : this.reps.find((r) => r.index === e.repIndex);
        if (rep && rep.cueCode === null) rep.cueCode = e.code;
        break;
      }
      default:
        break;
    }
    if (e.type !== 'calibration' || e.state !== 'holding' || e.progress === 0) {
      this.recent.push(e);
      if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
    }
    return e;
  }

  private faultsOfRep(repIndex: number): Rep['faults'] {
    const out: Rep['faults'] = [];
    for (const e of this.recent) if (e.type === 'fault' && e.repIndex === repIndex) out.push(e.fault);
    return out;
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
