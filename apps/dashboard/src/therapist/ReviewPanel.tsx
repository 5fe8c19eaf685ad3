import {
  isCounted,
  type SessionListItem,
  type SessionReview,
  sessionListSchema,
  sessionReviewSchema,
  type Thresholds,
} from '@hipcue/messages';
import { useEffect, useMemo, useRef, useState } from 'react';
import { LiveChart } from '../components/LiveChart';
import { exerciseTitle } from '../lib/exercises';
import { formatSessionTime } from '../lib/format';
import { apiGet } from '../lib/gatewayUrl';
import { RingBuffer } from '../lib/RingBuffer';
import type { CueEvent } from '../lib/sessionState';
import { overlayFromState } from './overlayFromState';
import { Report } from './Report';
import { RepTable } from './RepTable';
import { ThresholdEditor } from './ThresholdEditor';
import { TrendsPanel } from './TrendsPanel';
import { timelineItems } from './timeline';
import { WhatIf } from './WhatIf';

/** Session list, then one session: scrubbable timeline, what-if, CSV export and printable report. */
export function ReviewPanel({ token }: { token: string }) {
  const [list, setList] = useState<SessionListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  useEffect(() => {
    void apiGet('/api/sessions', token, (v) => sessionListSchema.safeParse(v)).then((r) => {
      if (r.ok) setList(r.value.sessions);
      else setError(r.error);
    });
  }, [token]);
  if (openId) return <SessionView id={openId} token={token} onBack={() => setOpenId(null)} />;
  return (
    <>
      <section className="panel" aria-labelledby="list-title">
        <h2 id="list-title">Recorded sessions</h2>
        {error && <p className="fault">{error}</p>}
        {list === null && !error && <p>Loading…</p>}
        {list && (
          <div className="table-wrap">
            <table data-testid="session-list">
              <thead>
                <tr>
                  <th>Started</th>
                  <th>Patient</th>
                  <th>Exercise</th>
                  <th>Sets</th>
                  <th>Reps</th>
                  <th>Faults</th>
                  <th>Max discomfort</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {new Date(s.startedAt).toLocaleString()} {s.live && <span className="badge">LIVE</span>}{' '}
                      {s.simulated && <span className="muted">(simulated)</span>}
                    </td>
                    <td>{s.patientLabel}</td>
                    <td>
                      {exerciseTitle(s.exercise)} ({s.side})
                    </td>
                    <td>{s.sets}</td>
                    <td>{s.reps}</td>
                    <td>{s.faults}</td>
                    <td>{s.maxPainRating === null ? '—' : `${s.maxPainRating}/10`}</td>
                    <td>
                      <button type="button" className="secondary" onClick={() => setOpenId(s.id)}>
                        Open
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {list && <TrendsPanel sessions={list} />}
    </>
  );
}

function SessionView({ id, token, onBack }: { id: string; token: string; onBack(): void }) {
  const [review, setReview] = useState<SessionReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cursorS, setCursorS] = useState(0);
  const [whatIf, setWhatIf] = useState<Thresholds | null>(null);
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    void apiGet(`/api/sessions/${encodeURIComponent(id)}`, token, (v) => sessionReviewSchema.safeParse(v)).then((r) => {
      if (r.ok) setReview(r.value);
      else setError(r.error);
    });
  }, [id, token]);

  const durationS = review ? Math.max(review.session.durationS, review.chart.tS.at(-1) ?? 0) : 0;
  const windowS = Math.min(30, Math.max(5, durationS));
  // The review chart is a ring holding the whole recording; the window slides with the cursor.
  const ring = useMemo(() => {
    if (!review) return null;
    const rb = new RingBuffer(Math.max(1, review.chart.tS.length), 3);
    const c = review.chart;
    for (let i = 0; i < c.tS.length; i++) rb.push(c.tS[i]!, [c.tiltDeg[i]!, c.obliquityDeg[i]!, c.rotationDeg[i]!]);
    return rb;
  }, [review]);
  const overlay = useRef(overlayFromState('hip-thrust', {}, []));
  const windowRef = useRef<RingBuffer | null>(null);
  // A view of the ring ending at the cursor's window: copy the visible slice into a small ring.
  const view = useMemo(() => {
    if (!ring || !review) return null;
    const end = Math.min(durationS, Math.max(windowS, cursorS + windowS / 2));
    const [t, a, b, c] = ring.ordered(end - windowS);
    const rb = new RingBuffer(Math.max(1, t!.length), 3);
    for (let i = 0; i < t!.length && t![i]! <= end; i++) rb.push(t![i]!, [a![i]!, b![i]!, c![i]!]);
    return rb;
  }, [ring, review, cursorS, durationS, windowS]);
  windowRef.current = view;
  if (review) overlay.current = overlayFromState(review.session.exercise, review.thresholds, review.reps, cursorS);

  const items = useMemo(() => (review ? timelineItems(review) : []), [review]);
  const counted = useMemo(() => (review ? review.reps.filter(isCounted) : []), [review]);
  const reviewCues = useMemo(
    () => (review ? review.events.filter((e): e is CueEvent => e.type === 'cue') : []),
    [review],
  );
  const near = items.filter((it) => Math.abs(it.tS - cursorS) <= windowS / 2);

  async function downloadCsv() {
    const res = await fetch(`/api/sessions/${encodeURIComponent(id)}/export.csv`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      setError(`CSV export failed: HTTP ${res.status}`);
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `hipcue-${id}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  if (printing && review) return <Report review={review} onDone={() => setPrinting(false)} />;
  return (
    <section className="panel" aria-labelledby="review-title">
      <div className="row no-print" style={{ justifyContent: 'space-between' }}>
        <button type="button" className="secondary" onClick={onBack}>
          ← All sessions
        </button>
        <span className="row">
          <button type="button" className="secondary" onClick={() => void downloadCsv()} disabled={!review}>
            Export CSV
          </button>
          <button type="button" className="secondary" onClick={() => setPrinting(true)} disabled={!review}>
            Printable report
          </button>
        </span>
      </div>
      {error && <p className="fault">{error}</p>}
      {!review && !error && <p>Loading session…</p>}
      {review && view && (
        <>
          <h2 id="review-title">
            {review.session.patientLabel} · {exerciseTitle(review.session.exercise)} ({review.session.side}) ·{' '}
            {new Date(review.session.startedAt).toLocaleString()}
          </h2>
          <p>
            {review.sets.length} sets · <span data-testid="review-reps">{counted.length}</span> reps ·{' '}
            {counted.reduce((a, r) => a + r.faults.length, 0)} faults
          </p>
          <LiveChart chart={view} overlay={overlay} windowS={windowS} height={240} />
          <label htmlFor="scrub">
            Timeline: <strong>{formatSessionTime(cursorS)}</strong> of {formatSessionTime(durationS)}
          </label>
          <input
            id="scrub"
            type="range"
            min={0}
            max={durationS}
            step={0.1}
            value={cursorS}
            onChange={(e) => setCursorS(Number(e.target.value))}
            style={{ width: '100%' }}
          />
          <h3>Around {formatSessionTime(cursorS)}</h3>
          <ul data-testid="timeline">
            {near.length === 0 && <li className="muted">Nothing here — move the timeline.</li>}
            {near.map((it) => (
              <li key={it.key}>
                <button type="button" className="secondary" onClick={() => setCursorS(it.tS)} style={{ minHeight: 32 }}>
                  {formatSessionTime(it.tS)}
                </button>{' '}
                <span aria-hidden="true">{it.icon}</span> {it.text}
              </li>
            ))}
          </ul>
          <details>
            <summary>All reps ({review.reps.length})</summary>
            <RepTable reps={review.reps} cues={reviewCues} max={10_000} />
          </details>
          <details className="no-print">
            <summary>What if: re-run with other thresholds</summary>
            <ThresholdEditor
              current={review.thresholds}
              defaults={review.thresholds}
              readOnly={false}
              onApply={setWhatIf}
            />
            {whatIf && <WhatIf id={id} token={token} base={review} thresholds={{ ...review.thresholds, ...whatIf }} />}
          </details>
        </>
      )}
    </section>
  );
}
