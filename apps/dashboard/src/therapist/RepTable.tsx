import type { Fault, Rep } from '@hipcue/messages';
import type { CueEvent } from '../lib/sessionState';

const f1 = (v: number) => v.toFixed(1);

/** `partial_range 0.48 (<0.67)`: the measured value on the side of the threshold it crossed (ratio and tempo: below). */
export function faultText(f: Fault): string {
  const below = f.unit === 'ratio' || f.code === 'rushed_tempo';
  const digits = f.unit === 'ratio' ? 2 : 1;
  const threshold = f.threshold.toFixed(digits);
  // A value just past the threshold would round onto it ("5.0° (>5.0°)"): show it to the digit that tells them apart.
  let value = f.value.toFixed(digits);
  for (let d = digits + 1; Number(value) === Number(threshold) && d <= digits + 2; d++) value = f.value.toFixed(d);
  const unit = f.unit === 'deg' ? '°' : f.unit === 's' ? 's' : '';
  return `${f.code} ${value}${unit} (${below ? '<' : '>'}${threshold}${unit})`;
}

/**
 * Per-rep table: range, tempo, peaks, faults, and the cue the patient saw. In a recorded session's review, faults
 * the after-set review found are marked, and live ones it withdrew are shown struck through.
 */
export function RepTable({ reps, cues, max = 50 }: { reps: Rep[]; cues: readonly CueEvent[]; max?: number }) {
  const rows = reps.slice(-max).reverse();
  const cueText = (r: Rep) => {
    if (!r.cueCode) return '—';
    const c = cues.findLast((c) => c.repIndex === r.index && c.code === r.cueCode);
    return c ? c.text : r.cueCode;
  };
  return (
    <div className="table-wrap">
      <table data-testid="rep-table">
        <caption className="sr-only">Repetitions, newest first</caption>
        <thead>
          <tr>
            <th>#</th>
            <th>In set</th>
            <th>Range °</th>
            <th>Tempo up/hold/down s</th>
            <th>Peak tilt/obl/rot °</th>
            <th>Peak °/s</th>
            <th>Faults</th>
            <th>Cue shown</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                No reps yet.
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr
              key={r.index}
              data-rep={r.index}
              data-start-s={r.startS}
              data-end-s={r.endS}
              data-faults={r.faults.map((f) => f.code).join(' ')}
              {...(r.notARep ? { 'data-not-a-rep': '', className: 'muted' } : {})}
            >
              <td>{r.index}</td>
              <td>{r.indexInSet}</td>
              <td>{f1(r.rangeDeg)}</td>
              <td>
                {f1(r.tempoS.up)}/{f1(r.tempoS.hold)}/{f1(r.tempoS.down)}
              </td>
              <td>
                {f1(r.peakTiltDeg)}/{f1(r.peakObliquityDeg)}/{f1(r.peakRotationDeg)}
              </td>
              <td>{r.peakAngularVelocityDegPerS.toFixed(0)}</td>
              <td>
                {r.notARep && (
                  <span>
                    not a rep: a movement unlike the set's reps, not counted
                    <br />
                  </span>
                )}
                <span className={r.faults.length && !r.notARep ? 'fault' : ''}>
                  {r.faults.length === 0
                    ? '✓ none'
                    : r.faults
                        .map((f) => `⚠ ${faultText(f)}${f.source === 'review' ? ' · after the set' : ''}`)
                        .join(', ')}
                </span>
                {r.clearedByReview?.map((f) => (
                  <span key={f.code} className="muted" data-cleared={f.code}>
                    <br />
                    <s>{faultText(f)}</s> withdrawn after the set{r.cueCode === f.code ? ' (cued live)' : ''}
                  </span>
                ))}
              </td>
              <td>{cueText(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
