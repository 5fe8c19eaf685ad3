#!/usr/bin/env node
// Bootstrap for the README's two commands. Needs only Node >= 20.19 and npm:
// it fetches the pnpm pinned in package.json through npx, installs the workspace,
// installs the Debian packages the tests need (when running as root), then runs the job.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. pnpm@10.34.9
const [job, ...rest] = process.argv.slice(2);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env, ...opts });
  if (r.error) {
    console.error(`hipcue: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  return r.status ?? 1;
}
function must(cmd, args, opts) {
  const status = run(cmd, args, opts);
  if (status !== 0) {
    console.error(`hipcue: '${cmd} ${args.join(' ')}' failed with exit code ${status}`);
    process.exit(status);
  }
}
const pnpm = (args) => must('npx', ['--yes', pnpmSpec, ...args]);

function checkNode() {
  const [maj, min] = process.versions.node.split('.').map(Number);
  if (maj < 20 || (maj === 20 && min < 19)) {
    console.error(`hipcue needs Node >= 20.19; this is ${process.versions.node}`);
    process.exit(1);
  }
}

/** `quiet`: the install's output goes to stderr, so `hipcue analyze` keeps stdout pure JSON. */
function install(quiet = false) {
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  const opts = quiet ? { stdio: ['inherit', 2, 2] } : {};
  must('npx', ['--yes', pnpmSpec, 'install', '--prefer-offline', ...frozen], opts);
}

/**
 * Debian packages the test suite uses: Chromium for browser tests, socat for the emulated HCI UART,
 * nats-server for the clinic relay tests (issue 9).
 */
function ensureSystemPackages() {
  const wanted = [
    ['chromium', '/usr/bin/chromium'],
    ['socat', '/usr/bin/socat'],
    ['nats-server', '/usr/sbin/nats-server'],
  ].filter(([, bin]) => !existsSync(bin));
  if (wanted.length === 0) return;
  const names = wanted.map(([name]) => name);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `hipcue: the tests need these Debian packages: ${names.join(' ')}. Install them with: sudo apt-get install -y ${names.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`hipcue: installing ${names.join(', ')} with apt-get`);
  must('apt-get', ['update', '-qq']);
  must('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

checkNode();
switch (job) {
  case 'start':
    install();
    pnpm(['--filter', '@hipcue/dashboard', 'run', 'build']);
    must('npx', ['--yes', pnpmSpec, 'exec', 'tsx', 'apps/gateway/src/main.ts', ...rest]);
    break;
  case 'test':
    install();
    ensureSystemPackages();
    pnpm(['exec', 'biome', 'check', '.']);
    pnpm(['exec', 'tsc', '-p', 'tsconfig.json']);
    pnpm(['exec', 'tsc', '-p', 'apps/dashboard/tsconfig.json']);
    pnpm(['--filter', '@hipcue/dashboard', 'run', 'build']);
    pnpm(['exec', 'vitest', 'run', ...rest]);
    break;
  case 'hipcue':
    install(true);
    // The CLI prints its own one-line error; pass its exit status through without adding a second line.
    process.exit(run('npx', ['--yes', pnpmSpec, 'exec', 'tsx', 'apps/cli/src/main.ts', ...rest]));
    break;
  default:
    console.error('usage: node scripts/run.mjs <start|test|hipcue> [args...]');
    process.exit(2);
}
