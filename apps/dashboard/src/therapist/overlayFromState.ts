import type { Exercise, Rep, Thresholds } from '@hipcue/messages';
import type { ChartOverlay } from '../lib/chartOverlay';
import { gaugeChannel } from '../lib/gaugeChannel';
import { SERIES_COLORS } from './seriesColors';

/** Builds the chart overlay (bands for the watched angle, rep spans, fault onsets) from discrete state. */
export function overlayFromState(
  exercise: Exercise,
  thresholds: Thresholds,
  reps: Rep[],
  cursorS: number | null = null,
): ChartOverlay {
  const g = gaugeChannel(exercise, thresholds);
  return {
    bands: [{ deg: g.bandDeg, color: SERIES_COLORS[g.channel], label: g.thresholdKey ?? 'band' }],
    reps: reps.map((r) => ({ startS: r.startS, endS: r.endS, index: r.index, faulty: r.faults.length > 0 })),
    faults: reps.flatMap((r) => r.faults.map((f) => ({ tS: f.beganS, code: f.code }))),
    cursorS,
  };
}
