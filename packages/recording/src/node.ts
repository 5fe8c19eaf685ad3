/**
 * The Node file edge of @hipcue/recording (import `@hipcue/recording/node`); the rest of the package is pure
 * and also runs in the browser.
 */
import { type FileHandle, open, readFile } from 'node:fs/promises';
import type { ChunkedMcapWriterSettings, RecordingSink } from './ChunkedMcapWriter.ts';
import { RecordingWriter } from './RecordingWriter.ts';
import { readRecording } from './readRecording.ts';
import type { ReadResult, SessionMeta } from './types.ts';

/** Append-only sink over a file handle; `sync` is `fdatasync` unless turned off. */
export class FileSink implements RecordingSink {
  readonly #handle: FileHandle;
  readonly #fsync: boolean;
  #position = 0;

  constructor(handle: FileHandle, fsync: boolean) {
    this.#handle = handle;
    this.#fsync = fsync;
  }

  async write(buffer: Uint8Array): Promise<void> {
    let done = 0;
    while (done < buffer.length) {
      const { bytesWritten } = await this.#handle.write(buffer, done, buffer.length - done);
      done += bytesWritten;
    }
    this.#position += buffer.length;
  }

  position(): bigint {
    return BigInt(this.#position);
  }

  async sync(): Promise<void> {
    if (this.#fsync) await this.#handle.datasync();
  }
}

export interface RecordingFileSettings extends ChunkedMcapWriterSettings {
  /** fdatasync after every chunk (power-loss safety). Off for files generated offline. */
  fsync: boolean;
  /** Wall-clock flush period, ms: bounds the loss when data stops arriving (0 = no timer). */
  flushIntervalMs: number;
}

export interface RecordingFile {
  writer: RecordingWriter;
  /** Writes the summary, stops the timer and closes the file. */
  close(): Promise<void>;
}

/** Creates (or truncates) `path` and starts a recording in it. */
export async function openRecordingFile(
  path: string,
  meta: SessionMeta,
  settings: Partial<RecordingFileSettings> = {},
): Promise<RecordingFile> {
  const { fsync = true, flushIntervalMs = 500, ...chunking } = settings;
  const handle = await open(path, 'w');
  try {
    const writer = await RecordingWriter.create(new FileSink(handle, fsync), meta, chunking);
    const timer =
      flushIntervalMs > 0 ? setInterval(() => writer.flush().catch(() => undefined), flushIntervalMs) : undefined;
    timer?.unref();
    return {
      writer,
      async close() {
        clearInterval(timer);
        try {
          await writer.close();
        } finally {
          await handle.close();
        }
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a recording file; a missing or unreadable file is a typed error like a bad one. */
export async function readRecordingFile(path: string): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { ok: false, code: 'unreadable', offset: 0, message: `cannot read ${path}: ${code}` };
  }
  return readRecording(bytes);
}
