/** Regenerates firmware-protocol/vectors/*.bin + *.json from goldenVectors(). Run: tsx firmware-protocol/scripts/writeVectors.ts */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenVectors, vectorJsonText } from '../src/goldenVectors.ts';

const dir = join(import.meta.dirname, '..', 'vectors');
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.bin') || f.endsWith('.json')) rmSync(join(dir, f));
const vectors = goldenVectors();
for (const g of vectors) {
  writeFileSync(join(dir, `${g.name}.bin`), g.bytes);
  writeFileSync(join(dir, `${g.name}.json`), vectorJsonText(g));
}
process.stdout.write(`wrote ${vectors.length} vectors to ${dir}\n`);
