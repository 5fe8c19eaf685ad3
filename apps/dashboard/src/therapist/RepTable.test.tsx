import type { Fault } from '@hipcue/messages';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { rep } from '../testing/fixtures';
import { faultText, RepTable } from './RepTable';

afterEach(cleanup);

const fault = (
  code: Fault['code'],
  value: number,
  threshold: number,
  unit: Fault['unit'],
  over: Partial<Fault> = {},
) => ({
  code,
  beganS: 1,
  value,
  threshold,
  unit,
  ...over,
});

describe('RepTable', () => {
  it('puts each measured value on the side of the threshold it crossed', () => {
    expect(faultText(fault('lumbar_arch', 7.25, 5, 'deg'))).toBe('lumbar_arch 7.3° (>5.0°)');
    expect(faultText(fault('partial_range', 0.482, 0.67, 'ratio'))).toBe('partial_range 0.48 (<0.67)');
    expect(faultText(fault('rushed_tempo', 0.41, 0.6, 's'))).toBe('rushed_tempo 0.4s (<0.6s)');
  });

  it('shows a value just past its threshold to the digit that tells them apart', () => {
    expect(faultText(fault('lumbar_arch', 5.04, 5, 'deg'))).toBe('lumbar_arch 5.04° (>5.0°)');
    expect(faultText(fault('partial_range', 0.6681, 0.67, 'ratio'))).toBe('partial_range 0.668 (<0.67)');
    expect(faultText(fault('rushed_tempo', 0.596, 0.6, 's'))).toBe('rushed_tempo 0.596s (<0.6s)');
  });

  it('marks what the after-set review found and strikes through what it withdrew, saying if it was cued live', () => {
    const reps = [
      rep(1, {
        faults: [fault('partial_range', 0.5, 0.67, 'ratio', { source: 'review' })],
        clearedByReview: [fault('lumbar_arch', 12, 5, 'deg')],
        cueCode: 'lumbar_arch',
      }),
      rep(2, { faults: [fault('pelvic_drop', 6, 4, 'deg')] }),
    ];
    render(<RepTable reps={reps} cues={[]} />);
    const row1 = within(screen.getByTestId('rep-table'))
      .getAllByRole('row')
      .find((r) => r.dataset.rep === '1')!;
    expect(row1.textContent).toContain('⚠ partial_range 0.50 (<0.67) · after the set');
    const cleared = row1.querySelector('[data-cleared="lumbar_arch"]')!;
    expect(cleared.querySelector('s')?.textContent).toBe('lumbar_arch 12.0° (>5.0°)');
    expect(cleared.textContent).toContain('withdrawn after the set (cued live)');
    const row2 = within(screen.getByTestId('rep-table'))
      .getAllByRole('row')
      .find((r) => r.dataset.rep === '2')!;
    expect(row2.textContent).toContain('⚠ pelvic_drop 6.0° (>4.0°)');
    expect(row2.textContent).not.toContain('after the set');
  });

  it('shows a rep the review found was no rep, greyed and explained, its flags not as faults', () => {
    const reps = [rep(1), rep(2, { notARep: true, faults: [fault('rushed_tempo', 0.3, 0.6, 's')] })];
    render(<RepTable reps={reps} cues={[]} />);
    const row = document.querySelector('tr[data-rep="2"]')!;
    expect(row.hasAttribute('data-not-a-rep')).toBe(true);
    expect(row.textContent).toMatch(/not a rep: a movement unlike the set's reps, not counted/);
    expect(row.querySelector('.fault')).toBeNull();
    expect(document.querySelector('tr[data-rep="1"]')!.hasAttribute('data-not-a-rep')).toBe(false);
  });
});
