import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ThresholdEditor, thresholdLabel } from './ThresholdEditor';

afterEach(cleanup);

const current = { lumbarArchDeg: 8, pelvicDropDeg: 6, minRepDurationS: 1.2 };

describe('ThresholdEditor', () => {
  it('labels keys with their unit', () => {
    expect(thresholdLabel('lumbarArchDeg')).toBe('lumbar arch (°)');
    expect(thresholdLabel('minRepDurationS')).toBe('min rep duration (s)');
  });

  it('sends only the keys that changed', () => {
    const applied: Record<string, number>[] = [];
    render(<ThresholdEditor current={current} defaults={current} readOnly={false} onApply={(t) => applied.push(t)} />);
    fireEvent.change(screen.getByLabelText('pelvic drop (°)'), { target: { value: '3.5' } });
    fireEvent.change(screen.getByLabelText('lumbar arch (°)'), { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: /Apply/ }));
    expect(applied).toEqual([{ pelvicDropDeg: 3.5 }]);
  });

  it('refuses a value that is not a number', () => {
    const applied: unknown[] = [];
    render(<ThresholdEditor current={current} defaults={current} readOnly={false} onApply={(t) => applied.push(t)} />);
    fireEvent.change(screen.getByLabelText('pelvic drop (°)'), { target: { value: 'abc' } });
    expect((screen.getByRole('button', { name: /Apply/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Not a number/)).toBeTruthy();
  });

  it('is read-only for viewers: inputs disabled, no buttons', () => {
    render(<ThresholdEditor current={current} defaults={current} readOnly={true} onApply={() => {}} />);
    expect((screen.getByLabelText('pelvic drop (°)') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
