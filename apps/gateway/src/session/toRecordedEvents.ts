import type { SessionEventInput } from '@hipcue/messages';
import type { SessionEvent as RecordedEvent } from '@hipcue/recording';

/** What of a session event the recording format can hold (its event table is narrower than the wire's). */
export function toRecordedEvents(events: SessionEventInput[]): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'rep':
        out.push({
          type: 'rep',
          tS: e.tS,
          set: setNumber(e.rep.setId),
          rep: e.rep.index,
          startS: e.rep.startS,
          endS: e.rep.endS,
          faults: e.rep.faults.map((f) => f.code),
        });
        break;
      case 'fault':
        out.push({
          type: 'fault',
          tS: e.tS,
          rep: e.repIndex,
          code: e.fault.code,
          value: e.fault.value,
          threshold: e.fault.threshold,
        });
        break;
      case 'cue':
        out.push({ type: 'cue', tS: e.tS, code: e.code, text: e.text });
        break;
      case 'set-start':
        out.push({ type: 'set_start', tS: e.tS, set: e.index });
        break;
      case 'set-end':
        out.push({ type: 'set_end', tS: e.tS, set: e.set.index, reps: e.set.reps });
        break;
      case 'calibration':
        if (e.state === 'done' || e.state === 'failed') {
          out.push({ type: 'calibration', tS: e.tS, ok: e.state === 'done', message: e.message ?? e.state });
        }
        break;
      default:
        break;
    }
  }
  return out;
}

function setNumber(setId: string | null): number {
  const m = setId === null ? null : /(\d+)$/.exec(setId);
  return m ? Number(m[1]) : 0;
}
