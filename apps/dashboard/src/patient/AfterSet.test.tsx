import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { rep } from '../testing/fixtures';
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

  it('once the target sets are done it says so and offers the summary, not another set', () => {
    setup({ setsDone: 3 });
    expect(screen.getByTestId('target-done').textContent).toMatch(/today's 3 sets/);
    expect(screen.queryByRole('button', { name: /Next set/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Finish and see summary/ })).toBeTruthy();
    cleanup();
    setup({ setsDone: 2 });
    expect(screen.queryByTestId('target-done')).toBeNull();
    expect(screen.getByRole('button', { name: 'Next set (3 of 3)' })).toBeTruthy();
  });

  it('read-only viewers cannot rate', () => {
    const calls = setup({ readOnly: true });
    fireEvent.click(screen.getByTestId('pain-4'));
    expect(calls.pain).toEqual([]);
    expect(screen.queryByTestId('advice')).toBeNull();
  });
});

describe('AfterSet: looking back at the whole set', () => {
  const arch = { code: 'lumbar_arch', beganS: 5, value: 12, threshold: 8, unit: 'deg' } as const;
  const short = {
    code: 'partial_range',
    beganS: 9,
    value: 0.5,
    threshold: 0.67,
    unit: 'ratio',
    source: 'review',
  } as const;

  it('tells what the review found and which heard cue was a false alarm', () => {
    setup({
      exercise: 'clamshell',
      reps: [
        rep(1, { faults: [short] }),
        rep(2, { faults: [short] }),
        rep(3, { clearedByReview: [arch], cueCode: 'lumbar_arch' }),
        rep(4),
      ],
    });
    const items = screen.getByTestId('after-review').querySelectorAll('li');
    expect([...items].map((li) => [li.dataset.kind, li.dataset.code])).toEqual([
      ['found', 'partial_range'],
      ['withdrawn', 'lumbar_arch'],
    ]);
    expect(items[0]!.textContent).toMatch(/^2 reps opened less than your best reps — next set, open the knee/);
    expect(items[1]!.textContent).toMatch(/"Don't arch" on rep 3 was a false alarm/);
  });

  it('says nothing of a withdrawn flag the patient never heard, nor of a set the review left alone', () => {
    setup({ reps: [rep(1, { clearedByReview: [arch], cueCode: 'good_rep' }), rep(2, { faults: [arch] })] });
    expect(screen.queryByTestId('after-review')).toBeNull();
  });

  it('says nothing counted when the review found the one movement of a set was no rep', () => {
    setup({ exercise: 'clamshell', reps: [rep(1, { notARep: true })] });
    const items = screen.getByTestId('after-review').querySelectorAll('li');
    expect(items[0]!.textContent).toBe('Nothing counted: that movement in your rest was not a rep.');
  });

  it('says what was counted when the review took a movement after the set out of the count', () => {
    setup({ exercise: 'clamshell', reps: [rep(1), rep(2), rep(3), rep(4, { notARep: true, faults: [short] })] });
    const items = screen.getByTestId('after-review').querySelectorAll('li');
    expect([...items].map((li) => li.dataset.kind)).toEqual(['not-a-rep']);
    expect(items[0]!.textContent).toBe('3 reps counted: the small quick movement after your last rep was not a rep.');
  });
});
