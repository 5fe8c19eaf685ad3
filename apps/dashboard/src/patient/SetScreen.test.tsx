import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RingBuffer } from '../lib/RingBuffer';
import { initialSessionState, sessionReducer } from '../lib/sessionState';
import { events, rep, snapshot } from '../testing/fixtures';
import { SetScreen } from './SetScreen';

afterEach(cleanup);

function stateWith(targetReached: boolean) {
  const st = sessionReducer(initialSessionState, snapshot({ phase: 'in-set', currentSetId: 'set1' }));
  return sessionReducer(
    st,
    events({ type: 'fatigue', seq: 1, tS: 20, estimate: 0.6, level: 'moderate', targetReached }),
  );
}

function renderSet(targetReached: boolean, linkDown = false, setNumber = 2) {
  const chart = new RingBuffer(16, 3);
  chart.push(1, [10, 2, 0]);
  render(
    <SetScreen
      exercise="hip-thrust"
      state={stateWith(targetReached)}
      reps={[rep(1), rep(2), rep(3)]}
      setNumber={setNumber}
      targetSets={3}
      cue={null}
      chart={chart}
      voice={null}
      tone={false}
      readOnly={false}
      linkDown={linkDown}
      onEndSet={() => {}}
    />,
  );
}

describe('SetScreen', () => {
  it('shows the rep count and which set of how many', () => {
    renderSet(false);
    expect(screen.getByTestId('rep-count').textContent).toBe('3');
    expect(screen.getByTestId('set-line').textContent).toBe('Set 2 of 3');
    expect(screen.queryByTestId('fatigue-hint')).toBeNull();
  });

  it('past the target says the target is done instead of "Set 4 of 3"', () => {
    renderSet(false, false, 4);
    expect(screen.getByTestId('set-line').textContent).toBe("Extra set · today's 3 sets are done");
    cleanup();
    renderSet(false, false, 6);
    expect(screen.getByTestId('set-line').textContent).toBe("Extra set 3 · today's 3 sets are done");
    cleanup();
    renderSet(false, false, 3);
    expect(screen.getByTestId('set-line').textContent).toBe('Set 3 of 3');
  });

  it('hints to finish the set once the fatigue estimate reaches the target, saying it is an estimate', () => {
    renderSet(true);
    expect(screen.getByTestId('fatigue-hint').textContent).toMatch(/moderate fatigue, estimated/);
  });

  it('says the counter is frozen while the connection is down', () => {
    renderSet(false, true);
    expect(screen.getByText(/Connection lost/)).toBeTruthy();
  });
});
