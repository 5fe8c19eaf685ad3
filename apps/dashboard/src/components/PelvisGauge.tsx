import { useEffect, useRef } from 'react';
import type { GaugeChannel } from '../lib/gaugeChannel';
import type { RingBuffer } from '../lib/RingBuffer';

/**
 * A horizontal needle for one pelvis angle with the target band. Reads the ring buffer on each
 * animation frame and moves the needle through a ref: no React render per sample.
 */
export function PelvisGauge({ chart, gauge }: { chart: RingBuffer; gauge: GaugeChannel }) {
  const needle = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLParagraphElement>(null);
  const spanDeg = Math.max(15, gauge.bandDeg * 3);
  useEffect(() => {
    let raf = 0;
    let lastText = '';
    const tick = () => {
      const series = chart.ordered(chart.lastTimeS() - 0.2);
      const values = series[gauge.channel + 1];
      const v = values && values.length > 0 ? values[values.length - 1]! : 0;
      const x = 50 + (Math.max(-spanDeg, Math.min(spanDeg, v)) / spanDeg) * 50;
      if (needle.current) needle.current.style.left = `${x}%`;
      const outside = Math.abs(v) > gauge.bandDeg;
      const text = `${v >= 0 ? '+' : ''}${v.toFixed(1)}° ${outside ? '— outside the band' : '— in the band'}`;
      if (readout.current && text !== lastText) {
        readout.current.textContent = text;
        lastText = text;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [chart, gauge, spanDeg]);

  const bandPct = (gauge.bandDeg / spanDeg) * 50;
  return (
    <div>
      <p style={{ fontWeight: 700 }}>{gauge.label}</p>
      <div className="gauge" role="img" aria-label={`${gauge.label}: target within ±${gauge.bandDeg}°`}>
        <div className="band" style={{ left: `${50 - bandPct}%`, width: `${2 * bandPct}%` }} />
        <div className="needle" ref={needle} style={{ left: '50%' }} />
      </div>
      <div className="gauge-labels">
        <span>−{spanDeg}°</span>
        <span>0°</span>
        <span>+{spanDeg}°</span>
      </div>
      <p ref={readout} data-testid="gauge-readout" style={{ textAlign: 'center', fontWeight: 700 }} />
    </div>
  );
}
