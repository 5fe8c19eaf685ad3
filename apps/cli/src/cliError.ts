/** A user-facing failure: one line on stderr and this exit code, never a stack trace. */
export class CliError extends Error {
  /** 2 = bad arguments (usage), 1 = bad input file or data, 3 = a library the command needs is missing. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string) => new CliError(message, 2);
