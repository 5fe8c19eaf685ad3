#!/usr/bin/env node
// Launcher: runs the TypeScript entry with tsx (the workspace has no build step).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, '..', 'src', 'main.ts');
// tsx is a root dev dependency; Node's resolution walks up from here to it.
const tsx = import.meta.resolve('tsx');
const r = spawnSync(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.cwd(),
});
if (r.error) {
  console.error(`hipcue: could not start node: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? 1);
