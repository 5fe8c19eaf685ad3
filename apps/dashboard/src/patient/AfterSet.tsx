import type { Exercise, Rep, SetSummary } from '@hipcue/messages';
import { useEffect, useState } from 'react';
import { Scale } from '../components/Scale';
import { discomfortAdvice } from '../lib/advice';
import { afterSetReviewLines } from '../lib/afterSetReview';
import { exerciseTitle } from '../lib/exercises';

export interface AfterSetProps {
  exercise: Exercise;
  set: SetSummary | null;
  /** The set's reps, with the after-set review's verdicts (sent before the set's end). */
  reps?: readonly Rep[];
  targetSets: number;
  setsDone: number;
  /** Discomfort ratings given earlier in this session, oldest first (not including this set's). */
  earlierRatings: readonly number[];
  restS: number;
  readOnly: boolean;
  onPain(rating: number): void;
  onFatigue(rating: number): void;
  onSwitch(exercise: Exercise): void;
  onNextSet(): void;
  onFinish(): void;
}

/** After each set: discomfort 0–10 with the seed's rule, perceived fatigue, a rest timer. */
export function AfterSet(p: AfterSetProps) {
  const [pain, setPain] = useState<number | null>(p.set?.painRating ?? null);
  const [fatigue, setFatigue] = useState<number | null>(p.set?.perceivedFatigue ?? null);
  const [restLeft, setRestLeft] = useState(p.restS);
  useEffect(() => {
    const id = setInterval(() => setRestLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(id);
  }, []);

  const advice = pain === null ? null : discomfortAdvice(p.exercise, [...p.earlierRatings, pain]);
  const done = p.setsDone >= p.targetSets;
  const review = afterSetReviewLines(p.exercise, p.reps ?? []);
  return (
    <section className="panel" aria-labelledby="after-title">
      <h2 id="after-title">Set {p.set?.index ?? p.setsDone} done</h2>
      {p.set && (
        <p data-testid="after-summary">
          {p.set.reps} reps ·{' '}
          {p.set.faults === 0 ? 'no corrections' : p.set.faults === 1 ? '1 correction' : `${p.set.faults} corrections`}
        </p>
      )}
      {done && (
        <p className="advice ok" data-testid="target-done">
          ✓ That is today's {p.targetSets} sets. Rate this one, then see your summary.
        </p>
      )}
      {review.length > 0 && (
        <div data-testid="after-review">
          <p className="muted">Looking back at the whole set</p>
          <ul>
            {review.map((l) => (
              <li key={`${l.kind}-${l.code}`} data-kind={l.kind} data-code={l.code}>
                {l.kind === 'withdrawn' ? '✓ ' : ''}
                {l.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Scale
        name="pain"
        label="How much discomfort did you feel? (0–10)"
        value={pain}
        lowText="none"
        highText="worst imaginable"
        onChange={(v) => {
          if (p.readOnly) return;
          setPain(v);
          p.onPain(v);
        }}
      />
      {advice && (
        <p className={`advice ${advice.kind}`} role="alert" data-testid="advice" data-advice={advice.kind}>
          {advice.kind === 'stop' ? '⛔ ' : advice.kind === 'ok' ? '✓ ' : '⚠ '}
          {advice.text}
        </p>
      )}
      {advice?.kind === 'regress' && !p.readOnly && (
        <button type="button" className="secondary" onClick={() => p.onSwitch(advice.regressTo)}>
          Switch to {exerciseTitle(advice.regressTo)}
        </button>
      )}
      <div style={{ marginTop: '1rem' }}>
        <Scale
          name="fatigue"
          label="How tired do the working muscles feel? (0–10)"
          value={fatigue}
          lowText="not at all"
          highText="can't do another"
          onChange={(v) => {
            if (p.readOnly) return;
            setFatigue(v);
            p.onFatigue(v);
          }}
        />
      </div>
      <div className="panel" style={{ background: 'var(--panel-2)', marginTop: '1rem' }}>
        <p className="muted">Rest</p>
        <p className="countdown" aria-live="off" data-testid="rest-timer">
          {Math.floor(restLeft / 60)}:{String(restLeft % 60).padStart(2, '0')}
        </p>
        <p className="muted">{restLeft === 0 ? 'Ready when you are.' : 'Breathe, shake the legs out.'}</p>
      </div>
      <div className="row">
        {!done && advice?.kind !== 'stop' && (
          <button type="button" className="big" onClick={p.onNextSet} disabled={p.readOnly}>
            Next set ({p.setsDone + 1} of {p.targetSets})
          </button>
        )}
        <button
          type="button"
          className={done || advice?.kind === 'stop' ? 'big' : 'big secondary'}
          onClick={p.onFinish}
        >
          Finish and see summary
        </button>
      </div>
    </section>
  );
}
