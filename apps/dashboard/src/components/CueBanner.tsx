import { useEffect, useRef } from 'react';
import type { CueEvent } from '../lib/sessionState';
import type { CueVoice } from '../lib/speech';

/** Icon and spoken/visible label per cue kind, so no information is carried by colour alone. */
export const CUE_STYLE: Record<CueEvent['kind'], { icon: string; label: string; tone: 'good' | 'warn' | null }> = {
  correction: { icon: '⚠', label: 'Fix this', tone: 'warn' },
  positive: { icon: '✓', label: 'Good rep', tone: 'good' },
  info: { icon: 'ℹ', label: 'Note', tone: null },
};

export interface CueBannerProps {
  /** The latest cue, or null before the first one. */
  cue: CueEvent | null;
  voice: CueVoice | null;
  tone: boolean;
}

/**
 * Shows one cue at a time in large text with an icon and a kind label, inside an ARIA live region,
 * and speaks each new cue once (keyed by its event `seq`, so a re-render or a snapshot never repeats it).
 */
export function CueBanner({ cue, voice, tone }: CueBannerProps) {
  const spoken = useRef<number>(cue?.seq ?? 0);
  useEffect(() => {
    if (!cue || cue.seq <= spoken.current) return;
    spoken.current = cue.seq;
    // Cues for data analysed late (backfilled after a link drop) are history: shown, not spoken.
    if (cue.late) return;
    voice?.speak(cue.text, { tone: tone ? CUE_STYLE[cue.kind].tone : null });
  }, [cue, voice, tone]);

  const style = cue ? CUE_STYLE[cue.kind] : null;
  return (
    <div aria-live="assertive" aria-atomic="true" data-testid="cue">
      {cue && style ? (
        <div className={`cue ${cue.kind}`} data-cue-code={cue.code} data-rep-index={cue.repIndex ?? undefined}>
          <span className="icon" aria-hidden="true">
            {style.icon}
          </span>
          <span>
            <span className="kind">{style.label}</span>
            {cue.text}
          </span>
        </div>
      ) : (
        <div className="cue none">Cues appear here and are spoken aloud.</div>
      )}
    </div>
  );
}
