import type { SessionState } from '../lib/sessionState';

const FAILURE_HELP: Record<string, string> = {
  moved: 'You moved during the hold. Get into the start position and stay completely still for 3 seconds.',
  flipped: 'The sensor seems to be upside down. Clip it on with the logo facing out and the arrow pointing up.',
  'wrong-start-pose': 'That does not look like the start position for this exercise. Check the set-up and try again.',
  'no-data': 'No data is arriving from the sensor. Go back to Connect.',
};

export function CalibrateScreen({
  calibration,
  setupText,
  disabled,
  onStart,
  onContinue,
}: {
  calibration: SessionState['calibration'];
  setupText: string;
  disabled: boolean;
  onStart(): void;
  onContinue(): void;
}) {
  const { state, stillness, remainingS, reason, message } = calibration;
  return (
    <section className="panel" aria-labelledby="cal-title">
      <h2 id="cal-title">Hold still in the start position</h2>
      <p>{setupText}</p>
      {state === 'holding' && (
        <>
          <p className="countdown" data-testid="cal-countdown">
            {Math.ceil(remainingS)}
          </p>
          <p style={{ fontWeight: 700 }}>Stillness: {Math.round(stillness * 100)} %</p>
          <div className="meter" aria-hidden="true">
            <div
              style={{
                width: `${Math.round(stillness * 100)}%`,
                background: stillness > 0.8 ? 'var(--good)' : 'var(--warn)',
              }}
            />
          </div>
          <p className="muted">
            {stillness > 0.8 ? 'Good — keep still.' : 'Too much movement — relax and stay still.'}
          </p>
        </>
      )}
      {state === 'failed' && (
        <p className="advice stop" role="alert" data-testid="cal-failed">
          ✗ Calibration failed. {FAILURE_HELP[reason ?? ''] ?? message ?? 'Please try again.'}
        </p>
      )}
      {state === 'done' && (
        <p className="advice" role="status" data-testid="cal-done">
          ✓ Calibrated. You are ready to start.
        </p>
      )}
      <div className="row" style={{ marginTop: '1rem' }}>
        {state !== 'holding' && (
          <button
            type="button"
            className={state === 'done' ? 'big secondary' : 'big'}
            onClick={onStart}
            disabled={disabled}
          >
            {state === 'none' ? 'Start calibration' : 'Calibrate again'}
          </button>
        )}
        {state === 'done' && (
          <button type="button" className="big" onClick={onContinue}>
            Continue
          </button>
        )}
      </div>
    </section>
  );
}
