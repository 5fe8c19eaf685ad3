import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from './cliError.ts';

const reasons: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? (reasons[code] ?? code) : String(error);
}

export async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${reason(error)}`);
  }
}

export async function writeOutput(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${reason(error)}`);
  }
}

export async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create directory ${path}: ${reason(error)}`);
  }
}

/** True when the bytes start like an MCAP file (the magic `\x89MCAP`). */
export function looksLikeMcap(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x4d && bytes[2] === 0x43 && bytes[3] === 0x41 && bytes[4] === 0x50;
}
