/** A 0–10 rating as a row of toggle buttons (keyboard: Tab + Enter/Space). */
export function Scale({
  label,
  value,
  onChange,
  name,
  lowText,
  highText,
}: {
  label: string;
  value: number | null;
  onChange: (v: number) => void;
  name: string;
  lowText: string;
  highText: string;
}) {
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 700, marginBottom: '0.4rem' }}>{label}</legend>
      <div className="scale">
        {Array.from({ length: 11 }, (_, i) => (
          <button
            type="button"
            key={i}
            aria-pressed={value === i}
            data-testid={`${name}-${i}`}
            onClick={() => onChange(i)}
          >
            {i}
          </button>
        ))}
      </div>
      <div className="gauge-labels">
        <span>0 = {lowText}</span>
        <span>10 = {highText}</span>
      </div>
    </fieldset>
  );
}
