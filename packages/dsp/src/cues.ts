import type { CueCode } from './types.ts';

/** Short patient-facing texts, plain language, one per stable cue code. */
export const cueTexts: Record<CueCode, string> = {
  lumbar_arch: "Ribs down — don't arch your back at the top.",
  pelvic_drop: 'Keep your hips level.',
  pelvic_roll: "Keep your hips stacked — don't roll back.",
  hip_sag: "Keep your hips up — don't let them sag.",
  partial_range: 'Go a little further each rep.',
  rushed_tempo: 'Slow down — lift and lower with control.',
  good_rep: 'Good rep!',
};
