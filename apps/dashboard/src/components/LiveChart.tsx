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

/**
 * Per-frame cost of this chart (setData through the end of uPlot's canvas draw), for the browser test.
 * `updateMs` keeps the last 1,000 frame costs for percentiles.
 */
export interface ChartFrameStats {
  frames: number;
  maxUpdateMs: number;
  totalUpdateMs: number;
  updateMs: number[];
}

export const newChartFrameStats = (): ChartFrameStats => ({
  frames: 0,
  maxUpdateMs: 0,
  totalUpdateMs: 0,
  updateMs: [],
});

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
    let frameStart = -1;
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
          // Mid-grey axes and translucent grid read on the dark screen theme and on a printed page.
          { stroke: '#8b93a3', grid: { stroke: 'rgba(139,147,163,0.3)', width: 1 }, label: 'session time (s)' },
          { stroke: '#8b93a3', grid: { stroke: 'rgba(139,147,163,0.3)', width: 1 }, label: 'degrees' },
        ],
        series: [{}, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5, points: { show: false } }))],
        hooks: {
          draw: [
            (self) => {
              drawOverlay(self, overlay.current);
              // uPlot draws in a microtask after setData; the frame's cost ends here.
              if (stats && frameStart >= 0) {
                const dt = performance.now() - frameStart;
                frameStart = -1;
                const s = stats.current;
                s.frames++;
                s.totalUpdateMs += dt;
                if (dt > s.maxUpdateMs) s.maxUpdateMs = dt;
                if (s.updateMs.length >= 1000) s.updateMs.shift();
                s.updateMs.push(dt);
              }
            },
          ],
        },
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
      frameStart = performance.now();
      lastDrawnT = t;
      lastOverlay = overlay.current;
      const end = Number.isNaN(t) ? windowS : Math.max(windowS, t);
      xRange[0] = end - windowS;
      xRange[1] = end;
      u.setData(chart.ordered(end - windowS) as uPlot.AlignedData);
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
