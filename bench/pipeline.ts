// Whole-pipeline throughput: stillness → attitude → calibration → angles → reps → faults → cues → sets, on one core.
// Run: node_modules/.bin/tsx bench/pipeline.ts   (from the repository root)
// Side by side in the same run on the same samples: a plain loop that only reads the samples (memory floor), our
// attitude tracker alone, and the full-accuracy orientation filter alone; ratios are printed. Target: the pipeline
// ≥ 1,000,000 samples/s (5,000× real time at 200 Hz).
import { createAttitude, createOrientationFilter, createPipeline, type Exercise } from '@hipcue/dsp';
import { simulateSession } from '@hipcue/sim';

const ROUNDS = 9;
const exercises: Exercise[] = ['hip-thrust', 'glute-bridge', 'clamshell', 'side-plank-clamshell'];
const sessions = exercises.map((exercise, i) =>
  simulateSession({ seed: 100 + i, exercise, side: i % 2 ? 'right' : 'left', sets: 3, reps: 12, noise: 'typical' }),
);
const total = sessions.reduce((n, s) => n + s.samples.tS.length, 0);

type Runner = { name: string; run: () => number };

function cpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const runners: Runner[] = [
  {
    name: 'plain loop (read samples)',
    run: () => {
      let acc = 0;
      for (const s of sessions) {
        const { tS, gyrRadPerS: g, accMps2: a } = s.samples;
        for (let i = 0; i < tS.length; i++) acc += tS[i]! + g[3 * i]! + a[3 * i + 2]!;
      }
      return acc;
    },
  },
  {
    name: 'attitude tracker alone',
    run: () => {
      let acc = 0;
      for (const s of sessions) {
        const att = createAttitude();
        const { tS, gyrRadPerS: g, accMps2: a } = s.samples;
        for (let i = 1; i < tS.length; i++) {
          att.next(
            tS[i]! - tS[i - 1]!,
            g[3 * i]!,
            g[3 * i + 1]!,
            g[3 * i + 2]!,
            a[3 * i]!,
            a[3 * i + 1]!,
            a[3 * i + 2]!,
          );
        }
        acc += att.q[0]!;
      }
      return acc;
    },
  },
  {
    name: 'orientation filter alone (VQF-style)',
    run: () => {
      let acc = 0;
      for (const s of sessions) {
        const f = createOrientationFilter();
        const { tS, gyrRadPerS: g, accMps2: a } = s.samples;
        for (let i = 1; i < tS.length; i++) {
          f.next(tS[i]! - tS[i - 1]!, g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!, a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!);
        }
        acc += f.q[0]!;
      }
      return acc;
    },
  },
  {
    name: 'whole pipeline',
    run: () => {
      let acc = 0;
      for (const s of sessions) {
        const p = createPipeline({ exercise: s.meta.exercise, side: s.meta.side });
        const { tS, gyrRadPerS: g, accMps2: a } = s.samples;
        for (let i = 0; i < tS.length; i++) {
          p.next(tS[i]!, g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!, a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!);
          if ((i & 255) === 0) acc += p.drainEvents().length;
        }
        acc += p.drainEvents().length;
      }
      return acc;
    },
  },
];

const times = new Map<string, number[]>(runners.map((r) => [r.name, []]));
let sink = 0;
for (let round = 0; round < ROUNDS + 1; round++) {
  const order = round % 2 === 0 ? runners : [...runners].reverse();
  for (const r of order) {
    const t0 = cpuS();
    sink += r.run();
    const dt = cpuS() - t0;
    if (round > 0) times.get(r.name)!.push(dt); // round 0 warms up the JIT
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const rate = new Map(runners.map((r) => [r.name, total / median(times.get(r.name)!)]));
const pipeline = rate.get('whole pipeline')!;
console.log(
  `pipeline benchmark: ${sessions.length} simulated sessions, ${total.toLocaleString('en')} samples at 200 Hz`,
);
console.log(`median of ${ROUNDS} rounds of process CPU time (order alternating), Node ${process.version}\n`);
console.log('| Stage | samples/s | × real time (200 Hz) | pipeline ÷ this |');
console.log('|---|---|---|---|');
for (const r of runners) {
  const v = rate.get(r.name)!;
  console.log(
    `| ${r.name} | ${Math.round(v).toLocaleString('en')} | ${Math.round(v / 200).toLocaleString('en')} | ${(pipeline / v).toFixed(3)} |`,
  );
}
console.log(`\ntarget ≥ 1,000,000 samples/s: ${pipeline >= 1e6 ? 'met' : 'NOT met'}   (checksum ${sink.toFixed(3)})`);
