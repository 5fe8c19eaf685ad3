import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionState } from '../lib/sessionState';
import { CalibrateScreen } from './CalibrateScreen';

afterEach(cleanup);

function show(calibration: SessionState['calibration'], calls: string[] = []) {
  render(
    <CalibrateScreen
      calibration={calibration}
      setupText="Lie on your back."
      disabled={false}
      onStart={() => calls.push('start')}
      onContinue={() => calls.push('continue')}
    />,
  );
  return calls;
}

describe('CalibrateScreen', () => {
  it('while holding: countdown and stillness in words and numbers, no buttons to press', () => {
    show({ state: 'holding', progress: 0.4, stillness: 0.55, remainingS: 1.8 });
    expect(screen.getByTestId('cal-countdown').textContent).toBe('2');
    expect(screen.getByText('Stillness: 55 %')).toBeTruthy();
    expect(screen.getByText(/Too much movement/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it.each([
    ['moved', /You moved during the hold/],
    ['flipped', /upside down/],
    ['wrong-start-pose', /does not look like the start position/],
  ])('explains a failure because of %s and offers to try again', (reason, text) => {
    const calls = show({ state: 'failed', progress: 0.5, stillness: 0.2, remainingS: 0, reason });
    expect(screen.getByTestId('cal-failed').textContent).toMatch(text);
    fireEvent.click(screen.getByRole('button', { name: 'Calibrate again' }));
    expect(calls).toEqual(['start']);
  });

  it('falls back to the gateway message for an unknown failure reason', () => {
    show({ state: 'failed', progress: 0, stillness: 0, remainingS: 0, reason: 'odd', message: 'Sensor saturated.' });
    expect(screen.getByTestId('cal-failed').textContent).toMatch(/Sensor saturated\./);
  });

  it('once done, continues to the set', () => {
    const calls = show({ state: 'done', progress: 1, stillness: 1, remainingS: 0 });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(calls).toEqual(['continue']);
  });
});
