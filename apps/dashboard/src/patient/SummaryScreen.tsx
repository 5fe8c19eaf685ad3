import type { SessionListItem, SetSummary } from '@hipcue/messages';
import { exerciseTitle } from '../lib/exercises';

export function SummaryScreen({
  sets,
  history,
  currentSessionId,
  onAgain,
}: {
  sets: SetSummary[];
  history: SessionListItem[] | null;
  currentSessionId: string | null;
  onAgain(): void;
}) {
  const totalReps = sets.reduce((a, s) => a + s.reps, 0);
  const totalFaults = sets.reduce((a, s) => a + s.faults, 0);
  const previous = (history ?? []).filter((s) => s.id !== currentSessionId && s.reps > 0).slice(0, 5);
  const prevAvgReps = previous.length ? previous.reduce((a, s) => a + s.reps, 0) / previous.length : null;
  const prevFaultRate = previous.length
    ? previous.reduce((a, s) => a + s.faults, 0) /
      Math.max(
        1,
        previous.reduce((a, s) => a + s.reps, 0),
      )
    : null;
  const faultRate = totalReps ? totalFaults / totalReps : 0;
  return (
    <section className="panel" aria-labelledby="sum-title">
      <h2 id="sum-title">Today's session</h2>
      <p className="muted">Fixes = corrections the coach gave; pain = your discomfort rating (0–10).</p>
      <div className="table-wrap">
        <table data-testid="summary-table">
          <thead>
            <tr>
              <th>Set</th>
              <th>Reps</th>
              <th>Fixes</th>
              <th>Pain</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.setId}>
                <td>
                  {s.index}
                  <span className="muted" style={{ display: 'block', fontSize: '0.85rem' }}>
                    {exerciseTitle(s.exercise)} ({s.side})
                  </span>
                </td>
                <td>{s.reps}</td>
                <td>{s.faults}</td>
                <td>{s.painRating === null ? '—' : `${s.painRating}/10`}</td>
              </tr>
            ))}
            <tr>
              <th>All</th>
              <th>{totalReps}</th>
              <th>{totalFaults}</th>
              <th />
            </tr>
          </tbody>
        </table>
      </div>
      <h3 style={{ marginTop: '1rem' }}>Compared with your last sessions</h3>
      {history === null && <p className="muted">Loading your history…</p>}
      {history !== null && previous.length === 0 && <p className="muted">This is your first recorded session.</p>}
      {prevAvgReps !== null && prevFaultRate !== null && (
        <ul data-testid="trend">
          <li>
            Reps: {totalReps} today vs {prevAvgReps.toFixed(0)} on average (
            {totalReps >= prevAvgReps ? '▲ more' : '▼ fewer'})
          </li>
          <li>
            Corrections per rep: {faultRate.toFixed(2)} today vs {prevFaultRate.toFixed(2)} (
            {faultRate <= prevFaultRate ? '✓ cleaner' : '⚠ more corrections'})
          </li>
        </ul>
      )}
      <button type="button" className="big secondary" onClick={onAgain}>
        Back to the start
      </button>
    </section>
  );
}
