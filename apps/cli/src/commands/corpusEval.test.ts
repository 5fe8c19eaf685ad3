import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecording } from '@hipcue/recording';
import { corpusSpecs } from '@hipcue/sim';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli.ts';

const dir = await mkdtemp(join(tmpdir(), 'hipcue-corpus-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
const io = { stdout: quiet, stderr: quiet, interactive: false };

describe('hipcue corpus and eval (in process, first sets only)', () => {
  it('writes recordings whose truth matches the index, deterministically from the seed', async () => {
    const out = join(dir, 'corpus');
    expect(await main(['corpus', '--out', out, '--limit', '2', '--seed', '3'], io)).toBe(0);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    expect(index.sets.map((s: { id: string }) => s.id)).toEqual(
      corpusSpecs(3)
        .slice(0, 2)
        .map((s) => s.id),
    );
    for (const set of index.sets) {
      const r = readRecording(await readFile(join(out, set.file)));
      if (!r.ok) throw new Error(r.message);
      expect(r.complete).toBe(true);
      expect(r.truth?.reps.length).toBe(set.reps);
      expect(r.notifications.length).toBe(set.notifications);
      expect(r.meta?.extra.id).toBe(set.id);
    }
    const again = join(dir, 'again');
    expect(await main(['corpus', '--out', again, '--limit', '2', '--seed', '3'], io)).toBe(0);
    const first = index.sets[0].file;
    expect(Buffer.compare(await readFile(join(out, first)), await readFile(join(again, first)))).toBe(0);
  });

  it('scores the first sets and writes scorecard.json and scorecard.md', async () => {
    const out = join(dir, 'docs');
    expect(await main(['eval', '--limit', '2', '--out', out, '--broad', join(dir, 'no-broad-here')], io)).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'scorecard.json'), 'utf8'));
    expect(json).toMatchObject({ corpusSeed: 1, sets: 2, broad: [] });
    expect(json.result.repCountWithinOnePct).toBeGreaterThanOrEqual(0);
    // the two thrust sets again with an upper-lumbar sensor; one set each at 100 Hz and 50 Hz, slow and quick tempo
    // (every 4th set: rows 0, 1, 4, 5 start at sets 0, 1, 0, 1)
    expect(json.secondSensor.map((v: { name: string; result: { sets: number } }) => [v.name, v.result.sets])).toEqual([
      ['lumbar · hip-thrust, glute-bridge', 2],
    ]);
    expect(json.offDefaults.map((v: { name: string; result: { sets: number } }) => [v.name, v.result.sets])).toEqual([
      ['100 Hz', 1],
      ['50 Hz', 1],
      ['slow tempo', 1],
      ['quick tempo', 1],
    ]);
    const md = await readFile(join(out, 'scorecard.md'), 'utf8');
    expect(md).toMatch(/Not the reference run: .*--limit 2/);
    expect(md).toMatch(/Exact count/);
    expect(md).toMatch(/BROAD data not found/);
  });
});
