import { useEffect, useRef, useState } from 'react';
import type { ConnectionStatus } from '../lib/ReconnectingSocket';

const TEXT: Record<ConnectionStatus, { icon: string; text: string }> = {
  open: { icon: '●', text: 'Live' },
  connecting: { icon: '…', text: 'Connecting' },
  reconnecting: { icon: '↻', text: 'Reconnecting' },
  closed: { icon: '✗', text: 'Disconnected' },
};

/** Link state with icon + text, queued ratings, and a short "reconnected" notice after a drop. */
export function ConnectionBanner({
  status,
  detail,
  pendingCount,
}: {
  status: ConnectionStatus;
  detail: { retryInMs?: number; reason?: string };
  pendingCount: number;
}) {
  const [notice, setNotice] = useState<string | null>(null);
  const wasDown = useRef(false);
  useEffect(() => {
    if (status === 'reconnecting' || status === 'closed') wasDown.current = true;
    if (status === 'open' && wasDown.current) {
      wasDown.current = false;
      setNotice('Reconnected — your session continues.');
      const id = setTimeout(() => setNotice(null), 5000);
      return () => clearTimeout(id);
    }
    return undefined;
  }, [status]);
  const t = TEXT[status];
  return (
    <div className="row" role="status" aria-live="polite" data-testid="conn" data-status={status}>
      <span className={`conn ${status}`}>
        <span aria-hidden="true">{t.icon}</span> {t.text}
        {status === 'reconnecting' &&
          detail.retryInMs !== undefined &&
          ` (retry in ${Math.ceil(detail.retryInMs / 1000)} s)`}
      </span>
      {status === 'closed' && detail.reason && <span className="muted">{detail.reason}</span>}
      {pendingCount > 0 && (
        <span className="badge" data-testid="pending">
          {pendingCount} rating{pendingCount > 1 ? 's' : ''} waiting to send
        </span>
      )}
      {notice && <span className="muted">{notice}</span>}
    </div>
  );
}
