#!/usr/bin/env node
/** Entry of the `hipcue` command (see cli.ts). Run with tsx: `tsx apps/cli/src/main.ts <command> …`. */
import { main } from './cli.ts';

// Ignore EPIPE when stdout is piped into `head` and closed early.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: process.stderr.isTTY === true,
});
