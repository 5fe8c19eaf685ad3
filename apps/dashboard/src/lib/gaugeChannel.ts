import type { Exercise, Thresholds } from '@hipcue/messages';

/** Which pelvis angle the patient keeps steady in each exercise, and the threshold bounding it. */
export interface GaugeChannel {
  /** Index into the chart ring buffer channels: 0 tilt, 1 obliquity, 2 rotation. */
  channel: 0 | 1 | 2;
  label: string;
  /** Half-width of the target band, degrees. */
  bandDeg: number;
  thresholdKey: string | null;
}

const SPEC: Record<Exercise, { channel: 0 | 1 | 2; label: string; keyPattern: RegExp; fallbackDeg: number }> = {
  'hip-thrust': { channel: 1, label: 'Keep the hips level side to side', keyPattern: /drop/i, fallbackDeg: 5 },
  'glute-bridge': { channel: 1, label: 'Keep the hips level side to side', keyPattern: /drop/i, fallbackDeg: 5 },
  clamshell: { channel: 2, label: 'Keep the pelvis from rolling back', keyPattern: /roll/i, fallbackDeg: 8 },
  'side-plank-clamshell': { channel: 1, label: 'Keep the hips up in line', keyPattern: /sag/i, fallbackDeg: 6 },
};

/** Picks the gauge angle and its band from the active thresholds (keys as packages/dsp names them, in degrees). */
export function gaugeChannel(exercise: Exercise, thresholds: Thresholds): GaugeChannel {
  const s = SPEC[exercise];
  const key = Object.keys(thresholds).find((k) => s.keyPattern.test(k) && /Deg$/.test(k)) ?? null;
  const v = key === null ? undefined : thresholds[key];
  return {
    channel: s.channel,
    label: s.label,
    bandDeg: v !== undefined && v > 0 ? v : s.fallbackDeg,
    thresholdKey: key,
  };
}
