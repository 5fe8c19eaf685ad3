import type { Exercise, Side } from '@hipcue/messages';
import { useState } from 'react';
import { EXERCISE_GUIDES, PROGRAM } from '../lib/exercises';

export function ChooseScreen({
  exercise,
  side,
  disabled,
  onChoose,
}: {
  exercise: Exercise;
  side: Side;
  disabled: boolean;
  onChoose(exercise: Exercise, side: Side): void;
}) {
  const [ex, setEx] = useState<Exercise>(exercise);
  const [sd, setSd] = useState<Side>(side);
  const g = EXERCISE_GUIDES[ex];
  return (
    <section className="panel" aria-labelledby="choose-title">
      <h2 id="choose-title">Choose today's exercise</h2>
      <div className="cards">
        {PROGRAM.map((e) => {
          const guide = EXERCISE_GUIDES[e];
          return (
            <button type="button" key={e} className="card" aria-pressed={ex === e} onClick={() => setEx(e)}>
              <h3>
                {ex === e ? '◉ ' : '○ '}
                {guide.title}
              </h3>
              <span className="muted">
                {guide.targetSets} · {guide.regression ? 'harder version' : 'easier version'}
              </span>
            </button>
          );
        })}
      </div>
      <fieldset style={{ border: 0, padding: 0, margin: '1rem 0 0' }}>
        <legend style={{ fontWeight: 700, fontSize: '1.1rem', marginBottom: '0.4rem' }}>Which leg works?</legend>
        <div className="row">
          {(['left', 'right'] as const).map((s) => (
            <button
              type="button"
              key={s}
              className={sd === s ? '' : 'secondary'}
              aria-pressed={sd === s}
              onClick={() => setSd(s)}
              style={{ flex: 1 }}
            >
              {sd === s ? '◉' : '○'} {s === 'left' ? 'Left' : 'Right'}
            </button>
          ))}
        </div>
      </fieldset>
      <div className="panel" style={{ background: 'var(--panel-2)', marginTop: '1rem' }}>
        <h3>{g.title}</h3>
        <p>
          <strong>Set up:</strong> {g.setup}
        </p>
        <p>
          <strong>What to feel:</strong> {g.feel}
        </p>
        <p>
          <strong>Avoid:</strong> {g.avoid}
        </p>
        <p>
          <strong>Target:</strong> {g.targetSets}. {g.fatigueText} Discomfort should stay below 2 out of 10.
        </p>
      </div>
      <button type="button" className="big" disabled={disabled} onClick={() => onChoose(ex, sd)}>
        Use this exercise
      </button>
    </section>
  );
}
