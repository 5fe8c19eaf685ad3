import type { Thresholds } from '@hipcue/messages';
import { useEffect, useState } from 'react';

/** Human label from a dsp threshold key: `lumbarArchDeg` → "lumbar arch (°)". */
export function thresholdLabel(key: string): string {
  const unit = key.endsWith('Deg') ? '°' : key.endsWith('S') ? 's' : key.endsWith('Ratio') ? 'ratio' : '';
  const stem = key
    .replace(/(Deg|S|Ratio)$/, '')
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase();
  return unit ? `${stem} (${unit})` : stem;
}

/**
 * Edits the live thresholds. Sends only changed keys; the gateway applies them to the running set
 * and records a `thresholds` event, which comes back and updates `current`.
 */
export function ThresholdEditor({
  current,
  defaults,
  readOnly,
  onApply,
}: {
  current: Thresholds;
  defaults: Thresholds;
  readOnly: boolean;
  onApply(changed: Thresholds): void;
}) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  useEffect(() => setDraft({}), [current]);
  const keys = Object.keys(current).sort();
  const changed: Thresholds = {};
  for (const [k, v] of Object.entries(draft)) {
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n) && n !== current[k]) changed[k] = n;
  }
  const invalid = Object.entries(draft).filter(([, v]) => v.trim() !== '' && !Number.isFinite(Number(v)));
  return (
    <form
      data-testid="threshold-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(changed).length) onApply(changed);
      }}
    >
      {keys.length === 0 && <p className="muted">The gateway has not sent thresholds yet.</p>}
      <div className="table-wrap">
        <table>
          <tbody>
            {keys.map((k) => (
              <tr key={k}>
                <th>
                  <label htmlFor={`th-${k}`}>{thresholdLabel(k)}</label>
                </th>
                <td>
                  <input
                    id={`th-${k}`}
                    name={k}
                    inputMode="decimal"
                    size={6}
                    disabled={readOnly}
                    value={draft[k] ?? String(current[k])}
                    onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
                    aria-invalid={invalid.some(([ik]) => ik === k)}
                  />
                </td>
                <td className="muted">default {defaults[k] ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {invalid.length > 0 && (
        <p className="fault">Not a number: {invalid.map(([k]) => thresholdLabel(k)).join(', ')}</p>
      )}
      {!readOnly && (
        <div className="row">
          <button type="submit" disabled={Object.keys(changed).length === 0 || invalid.length > 0}>
            Apply to the live set
          </button>
          <button type="button" className="secondary" onClick={() => onApply(defaults)}>
            Reset to defaults
          </button>
        </div>
      )}
    </form>
  );
}
