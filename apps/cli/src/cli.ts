/**
 * `hipcue` — one command, subcommands loaded on demand (so one library in flux never breaks the others).
 * User errors print one line on stderr and exit non-zero; set HIPCUE_DEBUG=1 to see stacks of internal errors.
 */
import { CliError } from './cliError.ts';
import { type Command, helpText, type Io, parseCommandArgs } from './command.ts';

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  sim: {
    summary: 'simulate a session and write it as a recording (.mcap)',
    load: async () => (await import('./commands/sim.ts')).sim,
  },
  replay: {
    summary: 'run a recording through the decoder and pipeline, events as JSON lines',
    load: async () => (await import('./commands/replay.ts')).replay,
  },
  export: {
    summary: 'export a recording as CSV/JSON (samples, events, truth)',
    load: async () => (await import('./commands/export.ts')).exportCommand,
  },
  corpus: {
    summary: 'generate the labeled evaluation corpus',
    load: async () => (await import('./commands/corpus.ts')).corpus,
  },
  orient: {
    summary: 'orientation (sensor → earth quaternions) from an IMU CSV',
    load: async () => (await import('./commands/orient.ts')).orient,
  },
  analyze: {
    summary: 'reps, sets, faults and cues of a session (IMU CSV or recording) as JSON',
    load: async () => (await import('./commands/analyze.ts')).analyze,
  },
  eval: {
    summary: 'score detection on the corpus and regenerate docs/scorecard.md',
    load: async () => (await import('./commands/evalCommand.ts')).evalCommand,
  },
};

function globalHelp(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `hipcue — wearable-sensor coach for low-back-pain hip exercises\n\nUsage: hipcue <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun 'hipcue <command> --help' for a command's options.\n`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(globalHelp());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`hipcue: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(helpText(command));
      return 0;
    }
    await command.run(parseCommandArgs(command, rest), io);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`hipcue ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    io.stderr.write(`hipcue ${name}: internal error: ${message} (HIPCUE_DEBUG=1 shows the stack)\n`);
    if (process.env.HIPCUE_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 70;
  }
}
