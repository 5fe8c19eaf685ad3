/**
 * How fast the simulator generates sessions, measured on the evaluation corpus (not a test).
 * Run: node_modules/.bin/tsx packages/sim/bench/generate.ts [count]
 * Prints CPU ms per simulated minute and the speed-up over real time, per noise level side by side
 * (the sensor model's share), and for the whole corpus. CPU time, not wall time: the machine is shared.
 */
import { corpusSpecs, type NoiseLevel, simulateSession } from '../src/index.ts';

const count = Number(process.argv[2] ?? 232);
const specs = corpusSpecs().slice(0, count);
// warm up the JIT
for (const s of specs.slice(0, 5)) simulateSession(s);

const rows: Array<{ noise: NoiseLevel | 'all'; sets: number; simulatedS: number; cpuMs: number; samples: number }> = [];
for (const noise of ['none', 'typical', 'high', 'all'] as const) {
  const sel = noise === 'all' ? specs : specs.filter((s) => s.noise === noise);
  const c0 = process.cpuUsage();
  let simulatedS = 0;
  let samples = 0;
  for (const s of sel) {
    const r = simulateSession(s);
    simulatedS += r.meta.durationS;
    samples += r.samples.tS.length;
  }
  rows.push({ noise, sets: sel.length, simulatedS, cpuMs: process.cpuUsage(c0).user / 1000, samples });
}
const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
print('noise     sets  simulated_s  cpu_ms  cpu_ms_per_sim_min  x_real_time  samples_per_s');
for (const r of rows) {
  print(
    [
      r.noise.padEnd(8),
      String(r.sets).padStart(5),
      r.simulatedS.toFixed(0).padStart(12),
      r.cpuMs.toFixed(0).padStart(7),
      ((r.cpuMs / r.simulatedS) * 60).toFixed(1).padStart(19),
      ((r.simulatedS * 1000) / r.cpuMs).toFixed(0).padStart(12),
      ((r.samples * 1000) / r.cpuMs).toExponential(2).padStart(14),
    ].join(' '),
  );
}
