import { CliError } from '../cliError.ts';
import type { Command } from '../command.ts';

export const corpus: Command = {
  name: 'corpus',
  summary: 'generate the labeled evaluation corpus',
  options: {},
  async run() {
    throw new CliError('not wired yet', 3);
  },
};
