import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRecordingFile, readRecordingFile } from './node.ts';
import { readRecording } from './readRecording.ts';
import { sampleSession } from './testing/sampleSession.ts';

const dir = await mkdtemp(join(tmpdir(), 'hipcue-recording-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');

describe('recording files', () => {
  it('writes a file that reads back whole', async () => {
    const s = sampleSession(21, 2);
    const path = join(dir, 'whole.mcap');
    const file = await openRecordingFile(path, s.meta, { fsync: false });
    for (const n of s.notifications) void file.writer.addNotification(n); // unawaited: the writer keeps order
    await file.close();
    const r = await readRecordingFile(path);
    expect(r.ok && r.complete).toBe(true);
    expect(r.ok && r.notifications).toEqual(s.notifications);
  });

  it('gives a typed error for a missing file', async () => {
    expect(await readRecordingFile(join(dir, 'nope.mcap'))).toMatchObject({ ok: false, code: 'unreadable' });
  });

  it('loses at most the last second when the writer is killed with SIGKILL', async () => {
    const path = join(dir, 'killed.mcap');
    const child = spawn(tsx, [join(import.meta.dirname, 'testing/killableWriter.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acked: { index: number; hostTimeUs: number }[] = [];
    let buffered = '';
    const killed = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [index, hostTimeUs] = line.split(' ').map(Number);
        acked.push({ index: index!, hostTimeUs: hostTimeUs! });
      }
      const first = acked[0];
      const last = acked.at(-1);
      // Kill 1.7 s of host time in: mid-chunk with high probability, wherever it lands.
      if (first && last && last.hostTimeUs - first.hostTimeUs > 1_700_000) child.kill('SIGKILL');
    });
    await killed;
    expect(acked.length).toBeGreaterThan(0);
    const r = readRecording(await readFile(path));
    if (!r.ok) throw new Error(r.message);
    expect(r.complete).toBe(false);
    const lastAcked = acked.at(-1)!;
    const mustHave = acked.filter((a) => a.hostTimeUs <= lastAcked.hostTimeUs - 1_000_000);
    expect(mustHave.length).toBeGreaterThan(10); // the check means something even on a starved machine
    expect(r.notifications.length).toBeGreaterThanOrEqual(mustHave.length);
    // What came back is exactly the first N notifications written, in order, with their host times.
    r.notifications.forEach((n, i) => {
      expect(new DataView(n.bytes.buffer, n.bytes.byteOffset).getUint32(0, true)).toBe(i);
      if (acked[i]) expect(n.hostTimeUs).toBe(acked[i].hostTimeUs);
    });
    expect(r.meta?.patient).toBe('P-0042');
    const lostMs = (lastAcked.hostTimeUs - (r.notifications.at(-1)?.hostTimeUs ?? 0)) / 1000;
    console.log(
      `SIGKILL: ${r.notifications.length}/${acked.length} acknowledged notifications kept, last ${lostMs} ms lost`,
    );
  }, 30_000);
});
