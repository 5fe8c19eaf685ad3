import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AfterSet, type AfterSetProps } from './AfterSet';

afterEach(cleanup);

function setup(over: Partial<AfterSetProps> = {}) {
  const calls: { pain: number[]; fatigue: number[]; switched: string[] } = { pain: [], fatigue: [], switched: [] };
  const props: AfterSetProps = {
    exercise: 'hip-thrust',
    set: null,
    targetSets: 3,
    setsDone: 1,
    earlierRatings: [],
    restS: 90,
    readOnly: false,
    onPain: (r) => calls.pain.push(r),
    onFatigue: (r) => calls.fatigue.push(r),
    onSwitch: (e) => calls.switched.push(e),
    onNextSet: () => {},
    onFinish: () => {},
    ...over,
  };
  render(<AfterSet {...props} />);
  return calls;
}

describe('AfterSet discomfort → advice', () => {
  it('a rating of 3 on the bench thrust advises the floor bridge and offers the switch', () => {
    const calls = setup();
    fireEvent.click(screen.getByTestId('pain-3'));
    expect(calls.pain).toEqual([3]);
    const advice = screen.getByTestId('advice');
    expect(advice.getAttribute('data-advice')).toBe('regress');
    expect(advice.textContent).toMatch(/glute bridge/i);
    fireEvent.click(screen.getByRole('button', { name: /Switch to Single-leg glute bridge/ }));
    expect(calls.switched).toEqual(['glute-bridge']);
  });

  it('a rating of 1 says carry on, and offers no switch', () => {
    setup();
    fireEvent.click(screen.getByTestId('pain-1'));
    expect(screen.getByTestId('advice').getAttribute('data-advice')).toBe('ok');
    expect(screen.queryByRole('button', { name: /Switch to/ })).toBeNull();
  });

  it('a second high rating suggests stopping and contacting the therapist, and hides "Next set"', () => {
    setup({ exercise: 'side-plank-clamshell', earlierRatings: [2] });
    fireEvent.click(screen.getByTestId('pain-2'));
    expect(screen.getByTestId('advice').textContent).toMatch(/contact your therapist/);
    expect(screen.queryByRole('button', { name: /Next set/ })).toBeNull();
  });

  it('read-only viewers cannot rate', () => {
    const calls = setup({ readOnly: true });
    fireEvent.click(screen.getByTestId('pain-4'));
    expect(calls.pain).toEqual([]);
    expect(screen.queryByTestId('advice')).toBeNull();
  });
});
