import { appendFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskQueue } from './DiskQueue.ts';

const msg = (i: number) => ({ subject: 'hipcue.events.P1.s', id: `s:${i}`, data: `{"seq":${i}}` });

describe('relay outbox on disk', () => {
  it('survives a restart: resumes at the first unacknowledged message, in order', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'q.jsonl');
    const a = new DiskQueue(path);
    for (let i = 1; i <= 5; i++) a.push(msg(i));
    a.ack();
    a.ack();
    expect(statSync(path).mode & 0o077).toBe(0);
    const b = new DiskQueue(path);
    expect(b.pending).toBe(3);
    expect(b.peek()).toEqual(msg(3));
    b.ack();
    expect(b.peek()).toEqual(msg(4));
  });

  it('ignores a torn last line (power cut mid-write) and keeps everything before it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'q.jsonl');
    const a = new DiskQueue(path);
    a.push(msg(1));
    a.push(msg(2));
    appendFileSync(path, '{"subject":"hipcue.events.P1.s","id":"s:3","da');
    const b = new DiskQueue(path);
    expect(b.total).toBe(2);
    expect(b.peek()).toEqual(msg(1));
  });
});
