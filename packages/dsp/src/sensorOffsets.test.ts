import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { analyzeSession } from './analyze.ts';

describe('a sensor that reads gravity 0.2 g high', () => {
  // The scorecard's "quick tempo" row draws, for seed 3's c053 (a rushed hip-thrust set on a high-noise sensor), an
  // accelerometer whose offsets put its resting |acc| at 11.7 m/s². Judged against standard gravity, every sample
  // failed the 1.5 m/s² acceleration rejection: the attitude ran on the gyro alone and each quick rep left ~1° of
  // tilt error, so the ranges shrank through the set (38 → 25° for 39–43° reps) and the after-set review saw arches.
  const base = corpusSpecs(3).find((s) => s.id?.startsWith('c053-'))!;
  const sim = simulateSession({ ...base, tempoScale: 0.6, seed: (base.seed ^ 0x5eed0000 ^ 6) >>> 0 });

  it('is the case described: resting |acc| more than 1.5 m/s² above standard gravity', () => {
    const s = sim.samples;
    let x = 0;
    let y = 0;
    let z = 0;
    let n = 0;
    for (let i = 0; s.tS[i]! < 1.5; i++, n++) {
      x += s.accMps2[3 * i]!;
      y += s.accMps2[3 * i + 1]!;
      z += s.accMps2[3 * i + 2]!;
    }
    expect(Math.hypot(x / n, y / n, z / n) - 9.80665).toBeGreaterThan(1.5);
  });

  it("measures every rep's range within 4° of the truth, and calls none arched", () => {
    const a = analyzeSession(sim.samples, { exercise: sim.meta.exercise, side: sim.meta.side });
    expect(a.reps).toHaveLength(sim.truth.reps.length);
    const errors = a.reps.map((r, k) => Math.abs(r.rangeDeg - sim.truth.reps[k]!.romDeg));
    expect(Math.max(...errors)).toBeLessThan(4);
    expect(a.reps.filter((r) => r.faults.includes('lumbar_arch'))).toEqual([]);
  });
});
