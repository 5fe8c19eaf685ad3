import type { SessionReview } from '@hipcue/messages';
import { useEffect, useMemo, useRef } from 'react';
import { LiveChart } from '../components/LiveChart';
import { exerciseTitle } from '../lib/exercises';
import { formatSessionTime } from '../lib/format';
import { RingBuffer } from '../lib/RingBuffer';
import { overlayFromState } from './overlayFromState';

/** One printable page: header, whole-session plot, per-set table. Print CSS hides everything else. */
export function Report({ review, onDone }: { review: SessionReview; onDone(): void }) {
  const c = review.chart;
  const ring = useMemo(() => {
    const rb = new RingBuffer(Math.max(1, c.tS.length), 3);
    for (let i = 0; i < c.tS.length; i++) rb.push(c.tS[i]!, [c.tiltDeg[i]!, c.obliquityDeg[i]!, c.rotationDeg[i]!]);
    return rb;
  }, [c]);
  const overlay = useRef(overlayFromState(review.session.exercise, review.thresholds, review.reps));
  const durationS = Math.max(1, c.tS.at(-1) ?? review.session.durationS);
  useEffect(() => {
    const after = () => onDone();
    window.addEventListener('afterprint', after);
    return () => window.removeEventListener('afterprint', after);
  }, [onDone]);
  const s = review.session;
  return (
    <article className="panel report" data-testid="report">
      <div className="row no-print">
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Back
        </button>
      </div>
      <h1>hipcue session report</h1>
      <p>
        Patient {s.patientLabel} · {exerciseTitle(s.exercise)} ({s.side}) · {new Date(s.startedAt).toLocaleString()} ·{' '}
        {formatSessionTime(s.durationS)} {s.simulated ? '· SIMULATED' : ''}
      </p>
      <LiveChart chart={ring} overlay={overlay} windowS={durationS} height={220} />
      <table>
        <thead>
          <tr>
            <th>Set</th>
            <th>Reps</th>
            <th>Faults</th>
            <th>Discomfort</th>
            <th>Perceived fatigue</th>
            <th>Fatigue estimate</th>
          </tr>
        </thead>
        <tbody>
          {review.sets.map((set) => (
            <tr key={set.setId}>
              <td>{set.index}</td>
              <td>{set.reps}</td>
              <td>{set.faults}</td>
              <td>{set.painRating ?? '—'}</td>
              <td>{set.perceivedFatigue ?? '—'}</td>
              <td>{set.fatigueEstimate === null ? '—' : `${Math.round(set.fatigueEstimate * 100)} %`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Thresholds:{' '}
        {Object.entries(review.thresholds)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · ')}
      </p>
      <p className="muted">
        Fatigue estimate: from rep velocity and range loss within the set; an estimate, not a measurement.
      </p>
    </article>
  );
}
