import { isCounted } from '@hipcue/messages';
import { useEffect, useRef } from 'react';
import { type ChartFrameStats, LiveChart, newChartFrameStats } from '../components/LiveChart';
import { emptyOverlay } from '../lib/chartOverlay';
import { exerciseTitle } from '../lib/exercises';
import { formatSessionTime } from '../lib/format';
import type { Gateway } from '../lib/useGateway';
import { NotesPanel } from './NotesPanel';
import { overlayFromState } from './overlayFromState';
import { RepTable } from './RepTable';
import { ThresholdEditor } from './ThresholdEditor';

/** Live co-view: traces with bands and markers, reps, thresholds, notes, connection quality. */
/** What the live view needs: the gateway's WebSocket (useGateway) or the clinic relay (useRelay). */
export type LiveFeed = Pick<Gateway, 'state' | 'chart' | 'send'>;

export function LivePanel({ gw, readOnly }: { gw: LiveFeed; readOnly: boolean }) {
  const { state } = gw;
  const snap = state.snapshot;
  const overlay = useRef(emptyOverlay());
  const stats = useRef<ChartFrameStats>(newChartFrameStats());
  const exercise = snap?.exercise ?? 'hip-thrust';
  const thresholds = snap?.thresholds ?? {};
  useEffect(() => {
    overlay.current = overlayFromState(exercise, thresholds, state.reps);
  }, [exercise, thresholds, state.reps]);

  const cue = state.cues.at(-1);
  const pelvis = state.sensors.find((s) => s.position === 'pelvis') ?? state.sensors[0];
  const lat = state.stats?.latencyMs;
  return (
    <div className="grid2">
      <section className="panel" style={{ gridColumn: '1 / -1' }} aria-labelledby="live-title">
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h2 id="live-title">
            Live · {snap?.patientLabel ?? '…'} · {exerciseTitle(exercise)} ({snap?.side ?? '…'})
          </h2>
          <span className="row">
            <span data-testid="phase">Phase: {snap?.phase ?? '…'}</span>
            <span>
              Reps: <strong data-testid="th-rep-count">{state.reps.filter(isCounted).length}</strong>
            </span>
          </span>
        </div>
        <LiveChart chart={gw.chart} overlay={overlay} stats={stats} />
        <p className="muted">
          Dashed lines: active band for the watched angle. Shaded: reps (red = with a fault). ▲ fault onset.
        </p>
        <p aria-live="polite" data-testid="th-cue">
          Patient's last cue:{' '}
          {cue ? (
            <strong>
              {cue.kind === 'positive' ? '✓' : cue.kind === 'correction' ? '⚠' : 'ℹ'} {cue.text} (
              {formatSessionTime(cue.tS)})
            </strong>
          ) : (
            '—'
          )}
        </p>
      </section>
      <section className="panel" aria-labelledby="reps-title" style={{ gridColumn: '1 / -1' }}>
        <h2 id="reps-title">Reps</h2>
        <RepTable reps={state.reps} cues={state.cues} />
      </section>
      <section className="panel" aria-labelledby="thr-title">
        <h2 id="thr-title">Thresholds {readOnly && <span className="badge">read-only</span>}</h2>
        <ThresholdEditor
          current={thresholds}
          defaults={snap?.defaultThresholds ?? {}}
          readOnly={readOnly}
          onApply={(t) => gw.send({ type: 'set-thresholds', thresholds: t })}
        />
        {state.thresholdChanges.length > 0 && (
          <details>
            <summary>Threshold changes ({state.thresholdChanges.length})</summary>
            <ul>
              {state.thresholdChanges.map((c) => (
                <li key={c.seq}>
                  {formatSessionTime(c.tS)} by {c.by}:{' '}
                  {Object.entries(c.thresholds)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ')}
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <section className="panel" aria-labelledby="notes-title">
        <h2 id="notes-title">Notes</h2>
        <NotesPanel notes={state.notes} readOnly={readOnly} onAdd={(text) => gw.send({ type: 'note', text })} />
        <h3 style={{ marginTop: '1rem' }}>Connection quality</h3>
        <ul data-testid="quality">
          {pelvis ? (
            <li>
              Sensor {pelvis.simulated ? '(simulated)' : pelvis.profile}: {pelvis.state}, loss{' '}
              {pelvis.lossPct.toFixed(1)} %, {pelvis.rateHz.toFixed(0)} Hz, battery{' '}
              {pelvis.batteryPct === null ? '—' : `${Math.round(pelvis.batteryPct)} %`}
            </li>
          ) : (
            <li>No sensor.</li>
          )}
          {state.sensors
            .filter((s) => s !== pelvis)
            .map((s) => (
              <li key={s.sensorId} data-testid="extra-sensor">
                {s.position === 'thigh' ? 'Thigh' : 'Upper-lumbar'} sensor {s.simulated ? '(simulated)' : s.profile}:{' '}
                {s.state}, {s.rateHz.toFixed(0)} Hz{s.message ? ` — ${s.message}` : ''}
              </li>
            ))}
          <li>Pipeline latency: {lat ? `p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms` : '—'}</li>
          <li>
            Chart frames dropped for this screen: {state.stats?.you.droppedChartFrames ?? 0}; viewers connected:{' '}
            {state.stats?.clients.length ?? '—'}
          </li>
          {state.painRatings.length > 0 && (
            <li>Discomfort ratings: {state.painRatings.map((p) => `${p.rating}/10`).join(', ')}</li>
          )}
        </ul>
      </section>
    </div>
  );
}
