import type { Exercise, Rep } from '@hipcue/messages';
import { CueBanner } from '../components/CueBanner';
import { PelvisGauge } from '../components/PelvisGauge';
import { gaugeChannel } from '../lib/gaugeChannel';
import type { RingBuffer } from '../lib/RingBuffer';
import type { CueEvent, SessionState } from '../lib/sessionState';
import type { CueVoice } from '../lib/speech';

/**
 * "Set 2 of 3" while the target is ahead. Past it (the patient, or the endless demo sensor, kept going) the count is
 * not read as "Set 4 of 3": it says the target is done, so an extra set is a choice rather than a miscount.
 */
export function setLineText(setNumber: number, targetSets: number): string {
  if (setNumber <= targetSets) return `Set ${setNumber} of ${targetSets}`;
  const extra = setNumber - targetSets;
  return `Extra set${extra > 1 ? ` ${extra}` : ''} · today's ${targetSets} sets are done`;
}

export function SetScreen({
  exercise,
  state,
  reps,
  setNumber,
  targetSets,
  cue,
  chart,
  voice,
  tone,
  readOnly,
  linkDown,
  onEndSet,
}: {
  exercise: Exercise;
  state: SessionState;
  reps: Rep[];
  setNumber: number;
  targetSets: number;
  cue: CueEvent | null;
  chart: RingBuffer;
  voice: CueVoice | null;
  tone: boolean;
  readOnly: boolean;
  /** The connection is down: the counter is frozen until the snapshot after reconnecting. */
  linkDown: boolean;
  onEndSet(): void;
}) {
  const thresholds = state.snapshot?.thresholds ?? {};
  const fatigue = state.fatigue;
  return (
    <section className="panel" aria-labelledby="set-title">
      <h2 id="set-title" className="sr-only">
        During the set
      </h2>
      <p className="setline" data-testid="set-line">
        {setLineText(setNumber, targetSets)}
      </p>
      <p className="repcount" data-testid="rep-count">
        {reps.length}
      </p>
      <p className="setline">reps</p>
      {linkDown && (
        <p className="hint" role="status">
          ↻ Connection lost — keep going; the count catches up when it is back.
        </p>
      )}
      <CueBanner cue={cue} voice={voice} tone={tone} />
      <div style={{ marginTop: '1rem' }}>
        <PelvisGauge chart={chart} gauge={gaugeChannel(exercise, thresholds)} />
      </div>
      {fatigue?.targetReached && (
        <p className="hint" role="status" data-testid="fatigue-hint" style={{ marginTop: '1rem' }}>
          ‖ Your reps are slowing down ({fatigue.level} fatigue, estimated). That is today's target — finish this rep
          and end the set.
        </p>
      )}
      <button type="button" className="big danger" style={{ marginTop: '1rem' }} onClick={onEndSet} disabled={readOnly}>
        End set
      </button>
    </section>
  );
}
