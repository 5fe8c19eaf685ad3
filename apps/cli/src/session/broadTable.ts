import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { orientationErrorRmse, orientBatch, parseImuCsv } from '@hipcue/dsp';

export interface BroadRow {
  trial: string;
  samples: number;
  inclination6dDeg: number;
  inclination9dDeg: number;
  heading9dDeg: number;
}

/** Published/measured anchors per trial (inclination RMSE, 6D) from ../shared/data/broad/README.md. */
const ANCHORS: Record<string, { vqf: number; madgwick: number; fusion: number }> = {
  '01_undisturbed_slow_rotation_A': { vqf: 0.6, madgwick: 0.9, fusion: 0.58 },
  '10_undisturbed_slow_translation_A': { vqf: 0.3, madgwick: 3.26, fusion: 2.41 },
  '24_disturbed_tapping_A': { vqf: 0.61, madgwick: 1.24, fusion: 0.8 },
};

/** Our orientation filter on the BROAD trials found in `dir`, scored with the dataset's metric (dsp). */
export function broadRows(dir: string): BroadRow[] {
  const rows: BroadRow[] = [];
  for (const trial of Object.keys(ANCHORS)) {
    const path = join(dir, `${trial}.csv.gz`);
    if (!existsSync(path)) continue;
    const parsed = parseImuCsv(gunzipSync(readFileSync(path)).toString('utf8'));
    if (parsed.type !== 'ok' || !parsed.data.truthQ) continue;
    const d = parsed.data;
    const q6 = orientBatch(d.tS, d.gyrRadPerS, d.accMps2);
    const e6 = orientationErrorRmse(q6, d.truthQ!, d.movement);
    const q9 = d.magUt ? orientBatch(d.tS, d.gyrRadPerS, d.accMps2, d.magUt) : undefined;
    const e9 = q9 ? orientationErrorRmse(q9, d.truthQ!, d.movement) : undefined;
    rows.push({
      trial,
      samples: d.tS.length,
      inclination6dDeg: e6.inclinationDeg,
      inclination9dDeg: e9?.inclinationDeg ?? Number.NaN,
      heading9dDeg: e9?.headingDeg ?? Number.NaN,
    });
  }
  return rows;
}

export function broadMarkdown(rows: readonly BroadRow[]): string {
  if (rows.length === 0) return '_BROAD data not found; run `hipcue eval --broad <dir>`._\n';
  const f = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}°` : '–');
  const lines = [
    '| BROAD trial | hipcue 6D inclination | VQF 6D | Madgwick β=0.12 6D | Fusion 6D | hipcue 9D inclination | hipcue 9D heading |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const a = ANCHORS[r.trial]!;
    lines.push(
      `| ${r.trial} | **${f(r.inclination6dDeg)}** | ${f(a.vqf)} | ${f(a.madgwick)} | ${f(a.fusion)} | ${f(r.inclination9dDeg)} | ${f(r.heading9dDeg)} |`,
    );
  }
  const mean = (k: (r: BroadRow) => number) => rows.reduce((s, r) => s + k(r), 0) / rows.length;
  const anchorMean = (k: 'vqf' | 'madgwick' | 'fusion') => mean((r) => ANCHORS[r.trial]![k]);
  lines.push(
    `| **mean** | **${f(mean((r) => r.inclination6dDeg))}** | ${f(anchorMean('vqf'))} | ${f(anchorMean('madgwick'))} | ${f(anchorMean('fusion'))} | ${f(mean((r) => r.inclination9dDeg))} | ${f(mean((r) => r.heading9dDeg))} |`,
  );
  return `${lines.join('\n')}\n`;
}
