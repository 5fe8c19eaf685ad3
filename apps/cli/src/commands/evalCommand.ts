import { join, resolve } from 'node:path';
import { evaluateCorpus, renderScorecardMarkdown, type ScorecardVariant } from '@hipcue/dsp';
import { corpusSpecs, type SessionSpec, simulateSession } from '@hipcue/sim';
import { type Command, numberValue, stringValue } from '../command.ts';
import { writeOutput } from '../files.ts';
import { progressBar } from '../progress.ts';
import { broadMarkdown, broadRows } from '../session/broadTable.ts';

/** The optional second sensor each exercise can use (packages/dsp pipeline), run over the same sets. */
const SECOND_SENSOR = [
  { role: 'thigh', exercises: ['clamshell'], how: 'thigh sensor: knee opening as the rep signal' },
  {
    role: 'lumbar',
    exercises: ['hip-thrust', 'glute-bridge'],
    how: 'upper-lumbar sensor: lumbar extension for `lumbar_arch`',
  },
] as const;

/**
 * Recordings unlike the corpus in one respect each, over every 4th corpus set with new seeds (other people and
 * mountings): other sensor rates and ranges, whole sessions of three sets with rests, slower and quicker people.
 */
const OFF_DEFAULTS: { name: string; how: string; spec: Partial<SessionSpec> }[] = [
  { name: '100 Hz', how: 'IMU at 100 Hz (the Thingy:52 motion rate) instead of 200 Hz', spec: { sampleRateHz: 100 } },
  { name: '50 Hz', how: 'IMU at 50 Hz: a low-power sensor', spec: { sampleRateHz: 50 } },
  {
    name: '±16 g, ±2000 °/s',
    how: 'widest ranges: 8× coarser accelerometer and 4× coarser gyro steps than the default ±4 g, ±500 °/s',
    spec: { accRangeG: 16, gyrRangeDps: 2000 },
  },
  {
    name: '3 sets per session',
    how: 'three sets of 6–15 reps with 20–45 s rests after one calibration hold (the corpus has one set each); counted per session',
    spec: { sets: 3 },
  },
  {
    name: 'slow tempo',
    how: 'every rep phase and the pause between reps twice as long as the person drew (lifts of 1.6–3.6 s, holds up to 6 s): a patient told to go slowly',
    spec: { tempoScale: 2 },
  },
  {
    name: 'quick tempo',
    how: 'every rep phase and pause at 0.6× (lifts of 0.5–1.1 s), still slower than a rushed rep',
    spec: { tempoScale: 0.6 },
  },
  {
    name: 'stiff hips',
    how: 'half the range of movement the person drew (thrust 15–22°, bridge 10–15°, side-plank lift 8–12°, clamshell counter-roll 0.5–2°); fault sizes as drawn',
    spec: { romScale: 0.5 },
  },
];

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score detection on the corpus and regenerate docs/scorecard.md',
  options: {
    corpus: {
      type: 'string',
      valueName: 'seed',
      description: 'corpus seed (corpusSpecs of @hipcue/sim)',
      default: '1',
    },
    out: { type: 'string', valueName: 'dir', description: 'where scorecard.json and scorecard.md go', default: 'docs' },
    broad: {
      type: 'string',
      valueName: 'dir',
      description: 'BROAD trials for the orientation table',
      default: '../shared/data/broad',
    },
    limit: { type: 'string', description: 'only the first N sets (quick looks; the committed scorecard uses all)' },
  },
  details: [
    'Simulates every corpus set in memory, runs the pipeline and scores it against truth (dsp evaluateCorpus), then',
    'renders the scorecard (dsp renderScorecardMarkdown) with our orientation filter on the BROAD trials appended.',
  ].join('\n'),
  async run(values, io) {
    const seed = numberValue(values, 'corpus', 1, { integer: true, min: 0, max: 2 ** 32 - 1 });
    const outDir = stringValue(values, 'out') ?? 'docs';
    const all = corpusSpecs(seed);
    const limit = numberValue(values, 'limit', all.length, { integer: true, min: 1, max: all.length });
    const specs = all.slice(0, limit);
    const secondSpecs = SECOND_SENSOR.map((x) =>
      specs
        .filter((s) => (x.exercises as readonly string[]).includes(s.exercise))
        .map((s) => ({ ...s, extraSensors: [x.role] })),
    );
    const offSpecs = OFF_DEFAULTS.map((v, i) =>
      specs
        .filter((_, k) => k % 4 === i % 4)
        .map((s) => ({ ...s, ...v.spec, seed: (s.seed ^ 0x5eed0000 ^ (i + 1)) >>> 0, id: `${s.id}-${v.name}` })),
    );
    const total = specs.length + [...secondSpecs, ...offSpecs].reduce((n, x) => n + x.length, 0);
    const bar = progressBar(io, total, 'eval');
    let before = 0;
    const score = (list: SessionSpec[]) => {
      const r = evaluateCorpus(list, simulateSession, (done) => bar.update(before + done));
      before += list.length;
      return r;
    };
    const result = score(specs);
    // (a --limit run may leave a variant without sets: it is left out)
    const secondSensor: ScorecardVariant[] = SECOND_SENSOR.flatMap((x, i) =>
      secondSpecs[i]!.length === 0
        ? []
        : [{ name: `${x.role} · ${x.exercises.join(', ')}`, how: x.how, result: score(secondSpecs[i]!) }],
    );
    const offDefaults: ScorecardVariant[] = OFF_DEFAULTS.flatMap((v, i) =>
      offSpecs[i]!.length === 0 ? [] : [{ name: v.name, how: v.how, result: score(offSpecs[i]!) }],
    );
    bar.stop();
    const broad = broadRows(resolve(stringValue(values, 'broad') ?? '../shared/data/broad'));
    let md = renderScorecardMarkdown(result, broadMarkdown(broad), { secondSensor, offDefaults });
    if (seed !== 1 || limit < all.length) {
      const run = `\`hipcue eval --corpus ${seed}${limit < all.length ? ` --limit ${limit}` : ''}\``;
      md = md.replace('\n', `\n\n> Not the reference run: ${run}, ${specs.length} of ${all.length} sets.\n`);
    }
    const json = { corpusSeed: seed, sets: specs.length, result, secondSensor, offDefaults, broad };
    await writeOutput(join(outDir, 'scorecard.json'), `${JSON.stringify(json, null, 1)}\n`);
    await writeOutput(join(outDir, 'scorecard.md'), md);
    const exact = result.repCountExactPct.toFixed(1);
    const withinOne = result.repCountWithinOnePct.toFixed(1);
    io.stderr.write(
      `scored ${specs.length} sets: ${exact} % exact, ${withinOne} % within ±1; wrote ${join(outDir, 'scorecard.md')}\n`,
    );
  },
};
