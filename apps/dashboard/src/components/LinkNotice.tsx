import { useEffect, useState } from 'react';
import type { LinkNotice as Notice } from '../lib/sessionState';

/** How long a link notice stays up, ms. */
export const LINK_NOTICE_MS = 10_000;

/**
 * The sensor link's last drop (issue 8): "recovering", then "nothing lost" or how much could not be recovered.
 * Calm, in words and an icon (never colour alone), announced politely; gone after 10 s.
 */
export function LinkNotice({ notice }: { notice: Notice | null }) {
  const [shown, setShown] = useState<Notice | null>(null);
  useEffect(() => {
    if (!notice) return undefined;
    setShown(notice);
    const id = setTimeout(() => setShown(null), LINK_NOTICE_MS);
    return () => clearTimeout(id);
  }, [notice]);
  if (!shown) return null;
  const icon = shown.state === 'recovered' ? '✓' : '⚠';
  return (
    <p
      className={`hint link-notice ${shown.state}`}
      role="status"
      aria-live="polite"
      data-testid="link-notice"
      data-state={shown.state}
    >
      <span aria-hidden="true">{icon}</span> {shown.text}
    </p>
  );
}
