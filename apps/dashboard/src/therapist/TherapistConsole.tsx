import { useState } from 'react';
import type { Gateway } from '../lib/useGateway';
import { LivePanel } from './LivePanel';
import { ReviewPanel } from './ReviewPanel';

/** Therapist (and read-only viewer) console: live co-view and review. */
export function TherapistConsole({ gw, token, readOnly }: { gw: Gateway; token: string; readOnly: boolean }) {
  const [tab, setTab] = useState<'live' | 'review'>('live');
  return (
    <div className="console">
      <nav className="steps no-print" aria-label="Console">
        <button type="button" aria-current={tab === 'live' ? 'step' : undefined} onClick={() => setTab('live')}>
          Live
        </button>
        <button type="button" aria-current={tab === 'review' ? 'step' : undefined} onClick={() => setTab('review')}>
          Review &amp; trends
        </button>
        {readOnly && <span className="badge">Viewer — read-only</span>}
      </nav>
      {tab === 'live' ? <LivePanel gw={gw} readOnly={readOnly} /> : <ReviewPanel token={token} />}
    </div>
  );
}
