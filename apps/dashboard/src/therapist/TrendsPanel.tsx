import type { SessionListItem } from '@hipcue/messages';

/** A small inline SVG line for a handful of sessions (uPlot is for the high-rate traces). */
function Spark({ values, label, max }: { values: (number | null)[]; label: string; max: number }) {
  const w = 240;
  const h = 60;
  const pts = values
    .map((v, i) =>
      v === null ? null : [(i / Math.max(1, values.length - 1)) * (w - 10) + 5, h - 5 - (v / max) * (h - 10)],
    )
    .filter((p): p is number[] => p !== null);
  const known = values.filter((v): v is number => v !== null);
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
  const summary =
    known.length === 0 ? 'no data yet' : `first ${fmt(known[0]!)} → latest ${fmt(known.at(-1)!)} (max ${fmt(max)})`;
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>
        {label}: <span className="muted">{summary}</span>
      </figcaption>
      <svg width={w} height={h} role="img" aria-label={`${label}: ${values.map((v) => v ?? '—').join(', ')}`}>
        <rect x={0} y={0} width={w} height={h} fill="none" stroke="#2d3442" />
        <polyline points={pts.map((p) => p.join(',')).join(' ')} fill="none" stroke="#6cb6ff" strokeWidth={2} />
        {pts.map((p) => (
          <circle key={p.join(',')} cx={p[0]} cy={p[1]} r={3} fill="#6cb6ff" />
        ))}
      </svg>
    </figure>
  );
}

/** Reps, fault rate and discomfort across sessions, oldest first. */
export function TrendsPanel({ sessions }: { sessions: SessionListItem[] }) {
  const s = [...sessions].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(-20);
  const reps = s.map((x) => x.reps);
  const rate = s.map((x) => (x.reps ? x.faults / x.reps : null));
  const pain = s.map((x) => x.maxPainRating);
  return (
    <section className="panel" aria-labelledby="trends-title" data-testid="trends">
      <h2 id="trends-title">Trends ({s.length} sessions)</h2>
      {s.length < 2 ? (
        <p className="muted">Trends appear after two sessions.</p>
      ) : (
        <div className="row" style={{ alignItems: 'flex-start' }}>
          <Spark values={reps} label="Reps per session" max={Math.max(1, ...reps)} />
          <Spark values={rate} label="Faults per rep" max={Math.max(0.1, ...rate.map((v) => v ?? 0))} />
          <Spark values={pain} label="Highest discomfort (0–10)" max={10} />
        </div>
      )}
    </section>
  );
}
