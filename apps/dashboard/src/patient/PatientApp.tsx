import type { Exercise, SessionListItem, Side } from '@hipcue/messages';
import { sessionListSchema } from '@hipcue/messages';
import { useEffect, useMemo, useRef, useState } from 'react';
import { EXERCISE_GUIDES, exerciseTitle } from '../lib/exercises';
import { apiGet } from '../lib/gatewayUrl';
import { browserVoice } from '../lib/speech';
import type { Gateway } from '../lib/useGateway';
import { AfterSet } from './AfterSet';
import { CalibrateScreen } from './CalibrateScreen';
import { ChooseScreen } from './ChooseScreen';
import { ConnectScreen } from './ConnectScreen';
import { SetScreen } from './SetScreen';
import { SummaryScreen } from './SummaryScreen';

type Step = 'connect' | 'choose' | 'calibrate' | 'set' | 'after' | 'summary';
const STEPS: { step: Step; label: string }[] = [
  { step: 'connect', label: '1 Connect' },
  { step: 'choose', label: '2 Choose' },
  { step: 'calibrate', label: '3 Calibrate' },
  { step: 'set', label: '4 Set' },
  { step: 'after', label: '5 Rate' },
  { step: 'summary', label: '6 Summary' },
];
const REST_S = 90;

export function PatientApp({ gw, token }: { gw: Gateway; token: string }) {
  const { state } = gw;
  const snap = state.snapshot;
  const [step, setStep] = useState<Step>('connect');
  const [voiceOn, setVoiceOn] = useState(true);
  const [toneOn, setToneOn] = useState(true);
  const [history, setHistory] = useState<SessionListItem[] | null>(null);
  /** Ratings entered here, by set id: shown (and advised on) at once, even while offline. */
  const [localPain, setLocalPain] = useState<Record<string, number>>({});
  const phase = snap?.phase ?? 'idle';
  const prevPhase = useRef(phase);

  useEffect(() => {
    if (prevPhase.current === 'in-set' && phase !== 'in-set') setStep('after');
    if (phase === 'in-set') setStep('set');
    prevPhase.current = phase;
  }, [phase]);

  useEffect(() => {
    if (step !== 'summary') return;
    let live = true;
    void apiGet('/api/sessions', token, (v) => sessionListSchema.safeParse(v)).then((r) => {
      if (live) setHistory(r.ok ? r.value.sessions : []);
    });
    return () => {
      live = false;
    };
  }, [step, token]);

  const exercise: Exercise = snap?.exercise ?? 'hip-thrust';
  const side: Side = snap?.side ?? 'left';
  const view: Step = phase === 'in-set' ? 'set' : phase === 'calibrating' ? 'calibrate' : step;
  // a set that counted no rep (the review found its one movement was no rep) is no set done
  const finished = state.sets.filter((s) => s.endS !== null && s.reps > 0);
  const currentSetId = snap?.currentSetId ?? null;
  const setReps = state.reps.filter((r) => currentSetId !== null && r.setId === currentSetId);
  const lastSet = finished.at(-1) ?? null;
  const targetSets = snap?.targetSets ?? 3;
  const cue = state.cues.at(-1) ?? null;
  const simulated = state.sensors.some((s) => s.simulated);

  const ratingFor = (setId: string) =>
    localPain[setId] ?? state.sets.find((s) => s.setId === setId)?.painRating ?? null;
  const earlierRatings = useMemo(
    () =>
      finished
        .filter((s) => s.setId !== lastSet?.setId)
        .map((s) => localPain[s.setId] ?? s.painRating)
        .filter((r): r is number => r !== null),
    [finished, lastSet, localPain],
  );

  return (
    <div className="patient">
      <div className="row no-print" style={{ justifyContent: 'space-between', marginBottom: '0.5rem' }}>
        <span>
          {simulated && <span className="badge">SIMULATED SENSOR</span>} {exerciseTitle(exercise)} · {side} leg
        </span>
        <span className="row">
          <label className="row">
            <input type="checkbox" checked={voiceOn} onChange={(e) => setVoiceOn(e.target.checked)} /> Voice
          </label>
          <label className="row">
            <input type="checkbox" checked={toneOn} onChange={(e) => setToneOn(e.target.checked)} /> Tone
          </label>
        </span>
      </div>
      {phase !== 'in-set' && (
        <nav className="steps no-print" aria-label="Session steps">
          {STEPS.map((s) => (
            <button
              type="button"
              key={s.step}
              aria-current={view === s.step ? 'step' : undefined}
              onClick={() => setStep(s.step)}
            >
              {s.label}
            </button>
          ))}
        </nav>
      )}
      {view === 'connect' && (
        <ConnectScreen sensors={state.sensors} link={gw.status} onContinue={() => setStep('choose')} />
      )}
      {view === 'choose' && (
        <ChooseScreen
          exercise={exercise}
          side={side}
          disabled={false}
          onChoose={(e, s) => {
            gw.send({ type: 'select-exercise', exercise: e, side: s });
            setStep('calibrate');
          }}
        />
      )}
      {view === 'calibrate' && (
        <CalibrateScreen
          calibration={state.calibration}
          setupText={EXERCISE_GUIDES[exercise].setup}
          disabled={gw.status !== 'open'}
          onStart={() => gw.send({ type: 'calibrate' })}
          onContinue={() => gw.send({ type: 'start-set' })}
        />
      )}
      {view === 'set' && (
        <SetScreen
          exercise={exercise}
          state={state}
          reps={setReps}
          setNumber={finished.length + 1}
          targetSets={targetSets}
          cue={cue}
          chart={gw.chart}
          voice={voiceOn ? browserVoice : null}
          tone={toneOn}
          readOnly={false}
          linkDown={gw.status !== 'open'}
          onEndSet={() => gw.send({ type: 'end-set' })}
        />
      )}
      {view === 'after' && (
        <AfterSet
          key={lastSet?.setId ?? 'none'}
          exercise={exercise}
          set={lastSet ? { ...lastSet, painRating: ratingFor(lastSet.setId) } : null}
          reps={lastSet ? state.reps.filter((r) => r.setId === lastSet.setId) : []}
          targetSets={targetSets}
          setsDone={finished.length}
          earlierRatings={earlierRatings}
          restS={REST_S}
          readOnly={false}
          onPain={(r) => {
            const id = lastSet?.setId ?? null;
            if (id) setLocalPain((m) => ({ ...m, [id]: r }));
            gw.ratePain(id, r);
          }}
          onFatigue={(r) => gw.rateFatigue(lastSet?.setId ?? null, r)}
          onSwitch={(e) => {
            gw.send({ type: 'select-exercise', exercise: e, side });
            setStep('calibrate');
          }}
          onNextSet={() => gw.send({ type: 'start-set' })}
          onFinish={() => setStep('summary')}
        />
      )}
      {view === 'summary' && (
        <SummaryScreen
          sets={finished}
          history={history}
          currentSessionId={snap?.sessionId ?? null}
          onAgain={() => setStep('choose')}
        />
      )}
    </div>
  );
}
