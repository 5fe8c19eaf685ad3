import { join } from 'node:path';
import { corpusSpecs, type SessionSpec, simulateSession } from '@hipcue/sim';
import { type Command, numberValue, requiredString } from '../command.ts';
import { makeDir, writeOutput } from '../files.ts';
import { progressBar } from '../progress.ts';
import { writeSimRecording } from '../session/simToRecording.ts';

export const corpus: Command = {
  name: 'corpus',
  summary: 'generate the labeled evaluation corpus',
  options: {
    out: { type: 'string', valueName: 'dir', description: 'directory to write into (required)' },
    seed: { type: 'string', description: 'corpus seed (corpusSpecs of @hipcue/sim)', default: '1' },
    'labels-only': { type: 'boolean', description: 'write index.json with specs and labels, no recordings' },
    'truth-hz': {
      type: 'string',
      description: 'truth angles kept per second in each recording, 0 = all',
      default: '20',
    },
    limit: { type: 'string', description: 'only the first N sets (quick looks)' },
  },
  details: [
    'Writes <id>.mcap per set (notifications as the simulated link delivered them + truth) and index.json:',
    '[{ id, file, spec, durationS, notifications, reps, faultyReps, faults: {code: n} }]. Deterministic from --seed.',
  ].join('\n'),
  async run(values, io) {
    const dir = requiredString(values, 'out');
    const seed = numberValue(values, 'seed', 1, { integer: true, min: 0, max: 2 ** 32 - 1 });
    const truthHz = numberValue(values, 'truth-hz', 20, { min: 0, max: 1000 });
    const all = corpusSpecs(seed);
    const limit = numberValue(values, 'limit', all.length, { integer: true, min: 1, max: all.length });
    const specs: SessionSpec[] = all.slice(0, limit);
    const labelsOnly = values['labels-only'] === true;
    await makeDir(dir);
    const bar = progressBar(io, specs.length, 'corpus');
    const index: object[] = [];
    for (const [i, spec] of specs.entries()) {
      const sim = simulateSession(spec);
      const id = sim.meta.id;
      const file = labelsOnly ? undefined : `${id}.mcap`;
      if (file) await writeSimRecording(join(dir, file), sim, { truthHz, fsync: false });
      const faults: Record<string, number> = {};
      for (const r of sim.truth.reps) for (const f of r.faults) faults[f.code] = (faults[f.code] ?? 0) + 1;
      index.push({
        id,
        file,
        spec,
        durationS: sim.meta.durationS,
        notifications: sim.notifications.length,
        reps: sim.truth.reps.length,
        faultyReps: sim.truth.reps.filter((r) => r.faults.length > 0).length,
        faults,
      });
      bar.update(i + 1, id);
    }
    bar.stop();
    await writeOutput(join(dir, 'index.json'), `${JSON.stringify({ seed, sets: index }, null, 1)}\n`);
    io.stderr.write(`wrote ${specs.length} sets to ${dir} (corpus seed ${seed})\n`);
  },
};
