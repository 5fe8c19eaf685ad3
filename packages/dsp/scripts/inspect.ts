// Inspect one corpus set: `tsx packages/dsp/scripts/inspect.ts <corpus index>` — calibration, reps vs truth.
import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { analyzeSession } from '../src/index.ts';

const spec = corpusSpecs()[Number(process.argv[2] ?? 0)]!;
const sim = simulateSession(spec);
const a = analyzeSession(sim.samples, { exercise: sim.meta.exercise, side: sim.meta.side, keepEvents: true });
const out = (x: unknown) => process.stdout.write(`${typeof x === 'string' ? x : JSON.stringify(x)}\n`);
out(sim.meta.id);
out(a.calibration);
out(
  a.events?.filter((e) => e.type === 'calibration-failed' || e.type === 'calibration-done').map((e) => [e.type, e.tS]),
);
out(`truth cal ${JSON.stringify(sim.truth.calibration)}`);
for (const r of sim.truth.reps)
  out(
    `T ${r.startS.toFixed(2)} ${r.peakS.toFixed(2)} ${r.endS.toFixed(2)} rom ${r.romDeg.toFixed(1)} ${r.faults.map((f) => `${f.code}@${f.startS.toFixed(2)}:${f.magnitude.toFixed(1)}`).join(',')}`,
  );
for (const r of a.reps)
  out(
    `D ${r.startS.toFixed(2)} ${r.peakS.toFixed(2)} ${r.endS.toFixed(2)} rng ${r.rangeDeg.toFixed(1)} up ${r.upS.toFixed(2)} dn ${r.downS.toFixed(2)} ${r.faults.join(',')}`,
  );
for (const c of a.cues) out(`C ${c.tS.toFixed(2)} ${c.code}`);
for (const r of a.reps.slice(0, 3)) out(`lift ${r.liftM?.toFixed(3)} m`);
