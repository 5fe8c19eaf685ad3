import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';

/** One queued publication. */
export interface QueuedMessage {
  subject: string;
  /** De-duplication id (`Nats-Msg-Id`). */
  id: string;
  data: string;
}

/**
 * An append-only, crash-safe outbox on disk: every event is written (and fsync'd) before it is published, and a
 * separate offset file records how many the broker has acknowledged. After a crash or a broker outage, publishing
 * resumes at the first unacknowledged entry; one re-sent in doubt is dropped by the broker's de-duplication window.
 * A torn last line (power cut mid-write) is ignored.
 */
export class DiskQueue {
  private readonly entries: QueuedMessage[] = [];
  private acked: number;

  constructor(
    private readonly path: string,
    private readonly ackPath: string = `${path}.acked`,
  ) {
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const m = JSON.parse(line) as QueuedMessage;
          if (typeof m.subject === 'string' && typeof m.id === 'string' && typeof m.data === 'string')
            this.entries.push(m);
        } catch {
          // torn last line
        }
      }
    }
    const a = existsSync(this.ackPath) ? Number(readFileSync(this.ackPath, 'utf8')) : 0;
    this.acked = Number.isInteger(a) && a >= 0 ? Math.min(a, this.entries.length) : 0;
  }

  push(m: QueuedMessage): void {
    const fd = openSync(this.path, 'a', 0o600);
    try {
      appendFileSync(fd, `${JSON.stringify(m)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.entries.push(m);
  }

  /** The oldest message not yet acknowledged by the broker. */
  peek(): QueuedMessage | undefined {
    return this.entries[this.acked];
  }

  ack(): void {
    this.acked++;
    const tmp = `${this.ackPath}.tmp`;
    writeFileSync(tmp, String(this.acked), { mode: 0o600 });
    renameSync(tmp, this.ackPath);
  }

  get pending(): number {
    return this.entries.length - this.acked;
  }

  get total(): number {
    return this.entries.length;
  }
}
