import type uPlot from 'uplot';

/** What the chart draws over the traces; kept in a ref and read by the uPlot draw hook. */
export interface ChartOverlay {
  /** Horizontal threshold bands, degrees, drawn as ±value around zero with the channel colour. */
  bands: { deg: number; color: string; label: string }[];
  /** Rep spans (start..end, seconds). */
  reps: { startS: number; endS: number; index: number; faulty: boolean }[];
  /** Fault onsets (seconds). */
  faults: { tS: number; code: string }[];
  /** A vertical cursor (review scrubbing), seconds, or null. */
  cursorS: number | null;
}

export const emptyOverlay = (): ChartOverlay => ({ bands: [], reps: [], faults: [], cursorS: null });

/** uPlot draw hook: bands, rep spans, fault ticks and cursor, clipped to the plot area. */
export function drawOverlay(u: uPlot, o: ChartOverlay): void {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const xMin = u.scales.x?.min ?? 0;
  const xMax = u.scales.x?.max ?? 0;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  for (const r of o.reps) {
    if (r.endS < xMin || r.startS > xMax) continue;
    const x0 = u.valToPos(r.startS, 'x', true);
    const x1 = u.valToPos(r.endS, 'x', true);
    ctx.fillStyle = r.faulty ? 'rgba(248,113,113,0.12)' : 'rgba(74,222,128,0.10)';
    ctx.fillRect(x0, top, x1 - x0, height);
    ctx.fillStyle = '#b9c0cf';
    ctx.font = `${12 * devicePixelRatio}px system-ui`;
    ctx.fillText(`#${r.index}`, x0 + 3, top + 14 * devicePixelRatio);
  }
  ctx.lineWidth = 1.5 * devicePixelRatio;
  for (const b of o.bands) {
    ctx.strokeStyle = b.color;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    for (const v of [b.deg, -b.deg]) {
      const y = u.valToPos(v, 'y', true);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
    }
  }
  ctx.setLineDash([]);
  ctx.strokeStyle = '#f87171';
  ctx.lineWidth = 2 * devicePixelRatio;
  for (const f of o.faults) {
    if (f.tS < xMin || f.tS > xMax) continue;
    const x = u.valToPos(f.tS, 'x', true);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillStyle = '#f87171';
    ctx.fillText('▲', x - 5 * devicePixelRatio, top + height - 4 * devicePixelRatio);
  }
  if (o.cursorS !== null) {
    const x = u.valToPos(o.cursorS, 'x', true);
    ctx.strokeStyle = '#ffd84d';
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  }
  ctx.restore();
}
