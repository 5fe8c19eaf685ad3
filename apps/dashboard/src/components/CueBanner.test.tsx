import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CueEvent } from '../lib/sessionState';
import { CueBanner } from './CueBanner';

afterEach(cleanup);

const cue = (seq: number, kind: CueEvent['kind'], text: string, code = 'x'): CueEvent => ({
  type: 'cue',
  seq,
  tS: seq,
  code,
  text,
  kind,
  repIndex: 1,
});

function recorder() {
  const said: { text: string; tone: string | null }[] = [];
  return { said, voice: { speak: (text: string, o: { tone: string | null }) => said.push({ text, tone: o.tone }) } };
}

describe('CueBanner', () => {
  it('shows a correction with an icon and a text label inside an assertive live region', () => {
    const { voice } = recorder();
    render(<CueBanner cue={cue(3, 'correction', 'Keep your back flat', 'lumbar_arch')} voice={voice} tone={false} />);
    const region = screen.getByTestId('cue');
    expect(region.getAttribute('aria-live')).toBe('assertive');
    expect(region.textContent).toContain('Keep your back flat');
    expect(region.textContent).toContain('Fix this');
    expect(region.textContent).toContain('⚠');
    expect(region.querySelector('[data-cue-code="lumbar_arch"]')).not.toBeNull();
  });

  it('labels a positive cue as a good rep, not by colour only', () => {
    render(<CueBanner cue={cue(4, 'positive', 'Nice and level')} voice={null} tone={false} />);
    expect(screen.getByTestId('cue').textContent).toMatch(/✓.*Good rep.*Nice and level/);
  });

  it('speaks each new cue exactly once, with the tone only when enabled', () => {
    const { said, voice } = recorder();
    const { rerender } = render(<CueBanner cue={null} voice={voice} tone={true} />);
    rerender(<CueBanner cue={cue(1, 'correction', 'Hips level')} voice={voice} tone={true} />);
    rerender(<CueBanner cue={cue(1, 'correction', 'Hips level')} voice={voice} tone={true} />);
    rerender(<CueBanner cue={cue(2, 'positive', 'Good rep')} voice={voice} tone={false} />);
    expect(said).toEqual([
      { text: 'Hips level', tone: 'warn' },
      { text: 'Good rep', tone: null },
    ]);
  });

  it('does not repeat a cue that was already on screen when mounted (e.g. after a snapshot restore)', () => {
    const { said, voice } = recorder();
    render(<CueBanner cue={cue(9, 'correction', 'Old cue')} voice={voice} tone={false} />);
    expect(said).toEqual([]);
  });

  it('shows but does not speak a cue for history analysed late (backfilled after a link drop)', () => {
    const { said, voice } = recorder();
    const { rerender } = render(<CueBanner cue={null} voice={voice} tone={true} />);
    rerender(<CueBanner cue={{ ...cue(5, 'correction', 'Hips level'), late: true }} voice={voice} tone={true} />);
    expect(screen.getByTestId('cue').textContent).toContain('Hips level');
    rerender(<CueBanner cue={cue(6, 'correction', 'Keep your back flat')} voice={voice} tone={true} />);
    expect(said).toEqual([{ text: 'Keep your back flat', tone: 'warn' }]);
  });
});
