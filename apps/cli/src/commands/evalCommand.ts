import { CliError } from '../cliError.ts';
import type { Command } from '../command.ts';

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score detection on the corpus',
  options: {},
  async run() {
    throw new CliError('not wired yet', 3);
  },
};
