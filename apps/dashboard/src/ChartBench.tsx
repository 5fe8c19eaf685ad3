import { useEffect, useMemo, useRef } from 'react';
import { type ChartFrameStats, LiveChart, newChartFrameStats } from './components/LiveChart';
import { emptyOverlay } from './lib/chartOverlay';
import { RingBuffer } from './lib/RingBuffer';

/**
 * `?bench=chart`: the live chart fed at 200 Hz with synthetic pelvis angles (no gateway), for the browser
 * frame-time test. Samples arrive in 25 Hz batches of 8, as the gateway sends them.
 */
export function ChartBench({ withChart }: { withChart: boolean }) {
  const chart = useMemo(() => new RingBuffer(4096, 3), []);
  const overlay = useRef(emptyOverlay());
  const stats = useRef<ChartFrameStats>(newChartFrameStats());
  useEffect(() => {
    (window as unknown as { chartStats?: ChartFrameStats }).chartStats = stats.current;
    const t0 = performance.now();
    let n = 0;
    const v = [0, 0, 0];
    const id = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * 200);
      for (; n < due; n++) {
        const t = n / 200;
        v[0] = 20 * Math.max(0, Math.sin(t * 1.3)) + Math.sin(t * 37) * 0.3;
        v[1] = 4 * Math.sin(t * 0.7) + Math.sin(t * 23) * 0.2;
        v[2] = 3 * Math.sin(t * 0.4 + 1) + Math.sin(t * 29) * 0.2;
        chart.push(t, v);
      }
      const tNow = n / 200;
      overlay.current = {
        bands: [{ deg: 5, color: '#fbbf24', label: 'band' }],
        reps: [
          {
            startS: Math.floor(tNow / 5) * 5,
            endS: Math.floor(tNow / 5) * 5 + 3,
            index: Math.floor(tNow / 5) + 1,
            faulty: false,
          },
        ],
        faults: [{ tS: Math.floor(tNow / 7) * 7, code: 'lumbar_arch' }],
        cursorS: null,
      };
    }, 40);
    return () => clearInterval(id);
  }, [chart]);
  return (
    <div className="app console">
      <h1>{withChart ? 'Chart at 200 Hz, 10 s window' : 'Baseline: 200 Hz feed, no chart'}</h1>
      {withChart && <LiveChart chart={chart} overlay={overlay} stats={stats} />}
    </div>
  );
}
