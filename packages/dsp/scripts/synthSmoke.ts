import { analyzeSession, quatFromAxisAngle } from '../src/index.ts';
import { regularReps, synthSession } from '../src/testing/synth.ts';

for (const [exercise, peak] of [
  ['glute-bridge', { tiltDeg: 25 }],
  ['hip-thrust', { tiltDeg: 30 }],
  ['clamshell', { rotationDeg: 4 }],
  ['side-plank-clamshell', { obliquityDeg: 20 }],
] as const) {
  for (const side of ['left', 'right'] as const) {
    const s = side === 'left' ? 1 : -1;
    const p = { ...peak } as Record<string, number>;
    if (exercise !== 'glute-bridge' && exercise !== 'hip-thrust') for (const k in p) p[k] = p[k]! * s;
    const spec = {
      exercise,
      side,
      qPS: quatFromAxisAngle([0.3, -0.5, 0.8], 2.1),
      rateHz: 200,
      durationS: 40,
      reps: regularReps(10, 4, 3.5, p),
      noise: { gyrRadPerS: 0.003, accMps2: 0.02, seed: 3 },
    };
    const r = analyzeSession(synthSession(spec), { exercise, side });
    process.stdout.write(
      `${[
        exercise,
        side,
        r.summary.reps,
        r.sets.length,
        JSON.stringify(r.summary.faultCounts),
        'cal' in r.calibration ? '' : JSON.stringify(r.calibration).slice(0, 200),
        r.cues.length,
      ].join(' ')}\n`,
    );
  }
}
