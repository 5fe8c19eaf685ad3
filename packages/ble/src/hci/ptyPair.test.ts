import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openPtyPair } from './ptyPair.ts';

it('fails with a message naming the fix when socat is missing', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'hipcue-pty-'));
  try {
    await expect(openPtyPair(directory, 1_000, 'socat-that-is-not-installed')).rejects.toThrow(
      /not installed.*apt-get install socat/,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
