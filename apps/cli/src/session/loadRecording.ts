import { type Recording, readRecording } from '@hipcue/recording';
import { CliError } from '../cliError.ts';
import type { Io } from '../command.ts';
import { readInput } from '../files.ts';

/**
 * Reads a recording for a command. Not a recording → CliError naming what is wrong. A damaged or cut recording is
 * used as far as it goes, with one warning line on stderr.
 */
export async function loadRecording(path: string, io: Io): Promise<Recording> {
  const r = readRecording(await readInput(path));
  if (!r.ok) throw new CliError(`${path} is not a hipcue recording: ${r.message}`);
  const first = r.problems[0];
  if (first) {
    const more = r.problems.length > 1 ? ` (+${r.problems.length - 1} more problems)` : '';
    io.stderr.write(`hipcue: warning: ${path}: ${first.message}; using what was read${more}\n`);
  }
  return r;
}

/** The sensor the pipeline runs on: the session's pelvis sensor, else the first sensor with notifications. */
export function pelvisSensorId(r: Recording): string | undefined {
  return r.meta?.sensors.find((s) => s.role === 'pelvis')?.sensorId ?? r.notifications[0]?.sensorId;
}
