import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError, usageError } from './cliError.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal (progress bars only then). */
  interactive: boolean;
}

export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Extra help text after the option list (formats, examples). */
  details?: string;
  options: Record<string, OptionSpec>;
  run(values: Values, io: Io): Promise<void>;
}

export function helpText(c: Command): string {
  const rows = Object.entries(c.options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` <${o.valueName ?? name}>` : ''}`;
    return `  ${flag.padEnd(33)} ${o.description}${o.default !== undefined ? ` (default ${String(o.default)})` : ''}`;
  });
  rows.push(`  ${'--help'.padEnd(33)} show this help`);
  return `hipcue ${c.name} — ${c.summary}\n\nOptions:\n${rows.join('\n')}\n${c.details ? `\n${c.details}\n` : ''}`;
}

/** Parses a subcommand's arguments; unknown options and missing values become a usage error naming them. */
export function parseCommandArgs(c: Command, argv: string[]): Values {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, { description: _d, valueName: _v, ...o }] of Object.entries(c.options)) options[name] = o;
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw usageError(`unexpected argument '${positionals[0]}'`);
    return values as Values;
  } catch (error) {
    if (error instanceof CliError) throw error;
    // parseArgs messages are one line and name the option, e.g. "Unknown option '--sedd'".
    throw usageError((error as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
}

export function stringValue(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requiredString(values: Values, name: string): string {
  const v = stringValue(values, name);
  if (v === undefined || v === '') throw usageError(`--${name} is required`);
  return v;
}

export function choiceValue<T extends string>(values: Values, name: string, choices: readonly T[], fallback?: T): T {
  const v = stringValue(values, name) ?? fallback;
  if (v === undefined) throw usageError(`--${name} is required (one of ${choices.join(', ')})`);
  if (!choices.includes(v as T)) throw usageError(`--${name} '${v}' is not one of ${choices.join(', ')}`);
  return v as T;
}

export function numberValue(
  values: Values,
  name: string,
  fallback: number,
  { min = -Infinity, max = Infinity, integer = false } = {},
): number {
  const raw = stringValue(values, name);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw usageError(`--${name} '${raw}' is not ${integer ? 'an integer' : 'a number'}`);
  }
  if (v < min || v > max) throw usageError(`--${name} ${raw} is out of range [${min}, ${max}]`);
  return v;
}
