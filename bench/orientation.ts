// Orientation filter benchmark: hipcue's filter vs npm `ahrs` Madgwick, same data, same run.
// Run: node_modules/.bin/tsx bench/orientation.ts   (from the repository root; data at <repo>/../shared/data/broad/)
// Prints BROAD accuracy (dataset metric, 6D inclination RMSE over movement phases) and throughput of both.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type ImuCsv, orientationErrorRmse, orientBatch, parseImuCsv } from '@hipcue/dsp';
import AHRS from 'ahrs';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const broadDir = resolve(repoRoot, '../shared/data/broad');
const trials = ['01_undisturbed_slow_rotation_A', '10_undisturbed_slow_translation_A', '24_disturbed_tapping_A'];
/** Published per-trial anchors (BROAD README): VQF 6D and Madgwick β = 0.12 6D. */
const anchors: Record<string, { vqf: number; madgwick: number }> = {
  '01_undisturbed_slow_rotation_A': { vqf: 0.6, madgwick: 0.9 },
  '10_undisturbed_slow_translation_A': { vqf: 0.3, madgwick: 3.26 },
  '24_disturbed_tapping_A': { vqf: 0.61, madgwick: 1.24 },
};
const MADGWICK_BETA = 0.12;
const ROUNDS = 9;

function load(name: string): ImuCsv {
  const r = parseImuCsv(gunzipSync(readFileSync(resolve(broadDir, `${name}.csv.gz`))).toString('utf8'));
  if (r.type !== 'ok') throw new Error(`${name}: ${r.message}`);
  return r.data;
}

/** Madgwick (6D) over a recording, with the actual sample intervals; 4n quaternions out like orientBatch. */
function madgwickBatch(d: ImuCsv): Float64Array {
  const n = d.tS.length;
  const m = new AHRS({
    sampleInterval: 1000 * ((d.tS[n - 1]! - d.tS[0]!) / (n - 1)),
    algorithm: 'Madgwick',
    beta: MADGWICK_BETA,
  });
  const out = new Float64Array(4 * n);
  const g = d.gyrRadPerS;
  const a = d.accMps2;
  for (let i = 0; i < n; i++) {
    const j = 3 * i;
    const dt = i > 0 ? d.tS[i]! - d.tS[i - 1]! : undefined;
    m.update(g[j]!, g[j + 1]!, g[j + 2]!, a[j]!, a[j + 1]!, a[j + 2]!, undefined, undefined, undefined, dt);
    const q = m.getQuaternion();
    out[4 * i] = q.w;
    out[4 * i + 1] = q.x;
    out[4 * i + 2] = q.y;
    out[4 * i + 3] = q.z;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[s.length >> 1]!;
}

const data = trials.map((name) => ({ name, d: load(name) }));
const total = data.reduce((acc, { d }) => acc + d.tS.length, 0);

console.log('BROAD 6D inclination RMSE (deg), dataset metric, movement phases');
console.log('trial                               ours   Madgwick(ahrs)  | anchors: VQF  Madgwick');
let sumOurs = 0;
let sumMadg = 0;
for (const { name, d } of data) {
  const ours = orientationErrorRmse(orientBatch(d.tS, d.gyrRadPerS, d.accMps2), d.truthQ!, d.movement).inclinationDeg;
  const madg = orientationErrorRmse(madgwickBatch(d), d.truthQ!, d.movement).inclinationDeg;
  sumOurs += ours;
  sumMadg += madg;
  const a = anchors[name]!;
  console.log(
    `${name.padEnd(35)} ${ours.toFixed(3)}  ${madg.toFixed(3).padStart(8)}        | ${a.vqf.toFixed(2).padStart(12)}  ${a.madgwick.toFixed(2).padStart(8)}`,
  );
}
const anchorVqf = Object.values(anchors).reduce((s, a) => s + a.vqf, 0) / 3;
const anchorMadg = Object.values(anchors).reduce((s, a) => s + a.madgwick, 0) / 3;
console.log(
  `${'mean'.padEnd(35)} ${(sumOurs / 3).toFixed(3)}  ${(sumMadg / 3).toFixed(3).padStart(8)}        | ${anchorVqf.toFixed(2).padStart(12)}  ${anchorMadg.toFixed(2).padStart(8)}`,
);

// Throughput: each round runs both filters over all three trials (outputs kept so nothing is optimised away),
// alternating which goes first; the median round per filter is reported. Time is process CPU time, not wall time:
// on a shared, loaded machine wall time mostly measures the neighbours.
const oursMs: number[] = [];
const madgMs: number[] = [];
let sink = 0;
for (let round = 0; round < ROUNDS + 1; round++) {
  const runs: [number[], (d: ImuCsv) => Float64Array][] = [
    [oursMs, (d) => orientBatch(d.tS, d.gyrRadPerS, d.accMps2)],
    [madgMs, madgwickBatch],
  ];
  if (round % 2 === 1) runs.reverse();
  for (const [times, run] of runs) {
    const c0 = process.cpuUsage();
    for (const { d } of data) sink += run(d)[4 * d.tS.length - 4]!;
    const c1 = process.cpuUsage(c0);
    const ms = (c1.user + c1.system) / 1000;
    if (round > 0) times.push(ms); // round 0 is JIT warm-up
  }
}
const oursRate = total / (median(oursMs) / 1000);
const madgRate = total / (median(madgMs) / 1000);
// Per-round ratios: both filters ran back to back, so each ratio saw about the same machine load.
const ratios = oursMs.map((ms, i) => madgMs[i]! / ms).sort((x, y) => x - y);
console.log(`\nThroughput, ${total} samples x ${ROUNDS} rounds, median CPU time (node ${process.version}):`);
console.log(`  hipcue orientation (VQF-style 6D): ${(oursRate / 1e6).toFixed(2)} M samples/s`);
console.log(`  ahrs Madgwick 6D (beta ${MADGWICK_BETA}):     ${(madgRate / 1e6).toFixed(2)} M samples/s`);
console.log(`  ratio ours / Madgwick: ${(oursRate / madgRate).toFixed(2)}x  (target >= 3x)`);
const oursBest = total / (Math.min(...oursMs) / 1000);
const madgBest = total / (Math.min(...madgMs) / 1000);
console.log(
  `  best round (least disturbed by other load): ours ${(oursBest / 1e6).toFixed(2)} M/s, Madgwick ${(madgBest / 1e6).toFixed(2)} M/s, ratio ${(oursBest / madgBest).toFixed(2)}x`,
);
console.log(
  `  per-round ratios: min ${ratios[0]!.toFixed(2)}x, median ${median(ratios).toFixed(2)}x, max ${ratios.at(-1)!.toFixed(2)}x`,
);
if (!Number.isFinite(sink)) console.log('(non-finite output)');
