import { FAULT_CODES, isCounted, type SessionReview, sessionReviewSchema, type Thresholds } from '@hipcue/messages';
import { useEffect, useState } from 'react';

/** Path of the re-run endpoint this UI expects from the gateway (not yet in @hipcue/messages). */
export const RERUN_PATH = (id: string) => `/api/sessions/${encodeURIComponent(id)}/rerun`;

/** Per-fault counts, for the side-by-side table. */
export function faultCounts(review: Pick<SessionReview, 'reps'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of review.reps.filter(isCounted)) for (const f of r.faults) out[f.code] = (out[f.code] ?? 0) + 1;
  return out;
}

/**
 * Asks the gateway to re-run the recording through the pipeline with `thresholds` and compares reps and
 * faults with the recorded run. The gateway must do the re-run: only it holds the raw notifications.
 */
export function WhatIf({
  id,
  token,
  base,
  thresholds,
}: {
  id: string;
  token: string;
  base: SessionReview;
  thresholds: Thresholds;
}) {
  const [result, setResult] = useState<SessionReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setResult(null);
    setError(null);
    void (async () => {
      try {
        const res = await fetch(RERUN_PATH(id), {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ thresholds }),
        });
        const body: unknown = await res.json().catch(() => null);
        if (!live) return;
        if (res.status === 404) {
          setError(
            'This gateway has no re-run API yet (POST /api/sessions/:id/rerun), so a what-if cannot be computed.',
          );
          return;
        }
        const r = sessionReviewSchema.safeParse(body);
        if (!res.ok || !r.success) setError(`Re-run failed: HTTP ${res.status}`);
        else setResult(r.data);
      } catch (e) {
        if (live) setError(`Re-run failed: ${(e as Error).message}`);
      }
    })();
    return () => {
      live = false;
    };
  }, [id, token, thresholds]);
  if (error) return <p className="hint">{error}</p>;
  if (!result) return <p>Re-running…</p>;
  const a = faultCounts(base);
  const b = faultCounts(result);
  return (
    <table data-testid="whatif">
      <thead>
        <tr>
          <th />
          <th>Recorded</th>
          <th>What if</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th>Reps</th>
          <td>{base.reps.filter(isCounted).length}</td>
          <td>{result.reps.filter(isCounted).length}</td>
        </tr>
        {FAULT_CODES.map((c) => (
          <tr key={c}>
            <th>{c}</th>
            <td>{a[c] ?? 0}</td>
            <td>{b[c] ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
