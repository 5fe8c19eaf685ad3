// Score the pipeline on the sim corpus: `node_modules/.bin/tsx packages/dsp/scripts/evalCorpus.ts [limit] [stride]`.
import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { evaluateCorpus, type SimLike } from '../src/index.ts';

const limit = Number(process.argv[2] ?? 1e9);
const stride = Number(process.argv[3] ?? 1);
const specs = corpusSpecs()
  .filter((_, i) => i % stride === 0)
  .slice(0, limit);
const r = evaluateCorpus(
  specs,
  (s) => simulateSession(s) as unknown as SimLike,
  (d, n) => {
    if (d % 10 === 0 || d === n) process.stderr.write(`${d}/${n}\n`);
  },
);
process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
