import { describe, expect, it } from 'vitest';
import type { ScorecardResult } from './evaluate.ts';
import { renderScorecardMarkdown } from './scorecard.ts';

const result: ScorecardResult = {
  sets: 2,
  repCountExactPct: 50,
  repCountWithinOnePct: 100,
  faults: {
    pelvic_roll: {
      truePositive: 3,
      falseNegative: 1,
      trueNegative: 10,
      falsePositive: 0,
      sensitivity: 0.75,
      specificity: 1,
    },
  },
  liveFaults: {
    pelvic_roll: {
      truePositive: 2,
      falseNegative: 2,
      trueNegative: 9,
      falsePositive: 1,
      sensitivity: 0.5,
      specificity: 0.9,
      falseCues: 1,
    },
  },
  cueLatencyMs: { n: 3, p50: 20, p95: 90 },
  cueLatencyByFaultMs: { pelvic_roll: { n: 3, p50: 20, p95: 90 } },
  angleRmseDeg: { tilt: 1, obliquity: 0.5, rotation: 0.25 },
  perExercise: { clamshell: { sets: 2, exactPct: 50, withinOnePct: 100 } },
  misses: [{ id: 'c1', truth: 10, detected: 9 }],
};

describe('renderScorecardMarkdown', () => {
  it('tables the figures and marks targets met or not', () => {
    const md = renderScorecardMarkdown(result, '| a | b |\n|---|---|');
    expect(md).toContain('| Exact count | 50.0 % | ≥ 98 % | **not met** |');
    expect(md).toContain('| Within ±1 | 100.0 % | 100 % | met |');
    expect(md).toContain('| `pelvic_roll` | 3 | 1 | 10 | 0 | 0.750 | 1.000 | **not met** |');
    expect(md).toContain('## Faults as judged live (what the cues came from)');
    expect(md).toContain('| `pelvic_roll` | 2 | 2 | 9 | 1 | 0.500 | 0.900 | 1 |');
    expect(md).toContain('| 3 | 20 ms | 90 ms | ≤ 150 ms (met) |');
    expect(md).toContain('| c1 | 10 | 9 |');
    expect(md).toContain('| `pelvic_roll` | 3 | 20 ms | 90 ms |');
    expect(md).toContain('## Orientation on BROAD');
  });

  it('gives each variant run its own row with the faults it scored', () => {
    const md = renderScorecardMarkdown(result, undefined, {
      secondSensor: [{ name: 'thigh · clamshell', how: 'thigh sensor', result }],
      offDefaults: [{ name: '100 Hz', how: 'IMU at 100 Hz', result: { ...result, repCountExactPct: 100 } }],
    });
    expect(md).toContain('## With a second sensor');
    expect(md).toContain('| thigh · clamshell | 2 | 50.0 % | 100.0 % | `pelvic_roll` 0.750 / 1.000 | 90 ms |');
    expect(md).toContain('## Off the corpus defaults');
    expect(md).toContain('| 100 Hz | 2 | 100.0 % | 100.0 % |');
    expect(md).toContain('- 100 Hz: IMU at 100 Hz');
    expect(md).not.toContain('## Orientation on BROAD');
  });
});
