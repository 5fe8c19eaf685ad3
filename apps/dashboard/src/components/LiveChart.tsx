import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type ChartOverlay, drawOverlay } from '../lib/chartOverlay';
import type { RingBuffer } from '../lib/RingBuffer';
import { SERIES_COLORS } from '../therapist/seriesColors';

export const SERIES = [
  { label: 'Tilt °', stroke: SERIES_COLORS[0] },
  { label: 'Obliquity °', stroke: SERIES_COLORS[1] },
  { label: 'Rotation °', stroke: SERIES_COLORS[2] },
] as const;

/** Per-frame cost of this chart, for the browser test and the console's own health line. */
export interface ChartFrameStats {
  frames: number;
  maxUpdateMs: number;
  totalUpdateMs: number;
}

/**
 * Live pelvis-angle traces: uPlot on canvas, fed from a ring buffer on each animation frame.
 * Nothing here goes through React state; `overlay` is a ref the parent mutates on discrete events.
 */
export function LiveChart({
  chart,
  overlay,
  windowS = 10,
  height = 280,
  stats,
}: {
  chart: RingBuffer;
  overlay: { current: ChartOverlay };
  windowS?: number;
  height?: number;
  stats?: { current: ChartFrameStats };
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const xRange: [number, number] = [0, windowS];
    const u = new uPlot(
      {
        width: el.clientWidth || 600,
        height,
        pxAlign: false,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: () => xRange },
          y: { range: (_u, min, max) => [Math.min(-10, min - 2), Math.max(10, max + 2)] },
        },
        axes: [
          { stroke: '#b9c0cf', grid: { stroke: '#2d3442' }, label: 'session time (s)' },
          { stroke: '#b9c0cf', grid: { stroke: '#2d3442' }, label: 'degrees' },
        ],
        series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5, points: { show: false } }))],
        hooks: { draw: [(self) => drawOverlay(self, overlay.current)] },
      },
      [[], [], [], []],
      el,
    );
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    let raf = 0;
    let lastDrawnT = Number.NaN;
    let lastOverlay: ChartOverlay | null = null;
    const tick = () => {
      raf = requestAnimationFrame(tick);
      const t = chart.lastTimeS();
      // Redraw only when there are new samples or markers: an idle session costs nothing.
      if (t === lastDrawnT && overlay.current === lastOverlay) return;
      const t0 = performance.now();
      lastDrawnT = t;
      lastOverlay = overlay.current;
      const end = Number.isNaN(t) ? windowS : Math.max(windowS, t);
      xRange[0] = end - windowS;
      xRange[1] = end;
      u.setData(chart.ordered(end - windowS) as uPlot.AlignedData);
      if (stats) {
        const dt = performance.now() - t0;
        stats.current.frames++;
        stats.current.totalUpdateMs += dt;
        if (dt > stats.current.maxUpdateMs) stats.current.maxUpdateMs = dt;
      }
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      ro.disconnect();
      u.destroy();
    };
  }, [chart, overlay, windowS, height, stats]);
  return <div ref={host} className="chart" data-testid="live-chart" />;
}
