import { join, resolve } from 'node:path';
import { evaluateCorpus, renderScorecardMarkdown } from '@hipcue/dsp';
import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { type Command, numberValue, stringValue } from '../command.ts';
import { writeOutput } from '../files.ts';
import { progressBar } from '../progress.ts';
import { broadMarkdown, broadRows } from '../session/broadTable.ts';

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
    const bar = progressBar(io, specs.length, 'eval');
    const result = evaluateCorpus(specs, simulateSession, (done) => bar.update(done));
    bar.stop();
    const broad = broadRows(resolve(stringValue(values, 'broad') ?? '../shared/data/broad'));
    let md = renderScorecardMarkdown(result, broadMarkdown(broad));
    if (seed !== 1 || limit < all.length) {
      const run = `\`hipcue eval --corpus ${seed}${limit < all.length ? ` --limit ${limit}` : ''}\``;
      md = md.replace('\n', `\n\n> Not the reference run: ${run}, ${specs.length} of ${all.length} sets.\n`);
    }
    const json = { corpusSeed: seed, sets: specs.length, result, broad };
    await writeOutput(join(outDir, 'scorecard.json'), `${JSON.stringify(json, null, 1)}\n`);
    await writeOutput(join(outDir, 'scorecard.md'), md);
    const exact = result.repCountExactPct.toFixed(1);
    const withinOne = result.repCountWithinOnePct.toFixed(1);
    io.stderr.write(
      `scored ${specs.length} sets: ${exact} % exact, ${withinOne} % within ±1; wrote ${join(outDir, 'scorecard.md')}\n`,
    );
  },
};
