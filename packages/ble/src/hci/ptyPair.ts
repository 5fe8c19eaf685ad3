import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, constants as fsConstants, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';

/** Two pseudo-terminals joined by socat, like a UART cable between a host and a controller. */
export interface PtyPair {
  /** Give this path to the host stack (BLUETOOTH_HCI_SOCKET_UART_PORT). */
  readonly hostPath: string;
  readonly controllerPath: string;
  readonly socat: ChildProcess;
  close(): Promise<void>;
}

/**
 * Spawn `socat -d -d pty,raw,echo=0,link=… pty,raw,echo=0,link=…` and wait for both ends. Rejects with a message
 * naming the fix when socat is missing (tests must fail, not skip, without it) or does not come up in `timeoutMs`.
 */
export function openPtyPair(directory: string, timeoutMs = 5_000, command = 'socat'): Promise<PtyPair> {
  const hostPath = `${directory}/host-uart`;
  const controllerPath = `${directory}/controller-uart`;
  const socat = spawn(
    command,
    ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${controllerPath}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  socat.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // If this process ends without close() (a crashed test run), do not leave socat behind.
  const killOnExit = (): void => {
    socat.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      process.removeListener('exit', killOnExit);
      if (socat.exitCode !== null || socat.signalCode !== null) return resolve();
      socat.once('exit', () => resolve());
      socat.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    socat.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `${command} is not installed; the HCI-over-UART test needs socat to make a pseudo-terminal pair (apt-get install socat)`
            : `socat failed to start: ${error.message}`,
        ),
      );
    });
    socat.once('exit', (code) => reject(new Error(`socat exited early (code ${code}): ${stderr.trim()}`)));
    const poll = (): void => {
      if (socat.exitCode !== null) return;
      if (existsSync(hostPath) && existsSync(controllerPath) && stderr.includes('starting data transfer loop')) {
        resolve({ hostPath, controllerPath, socat, close });
      } else if (Date.now() - started > timeoutMs) {
        void close();
        reject(
          new Error(`socat did not create ${hostPath} and ${controllerPath} within ${timeoutMs} ms: ${stderr.trim()}`),
        );
      } else {
        setTimeout(poll, 20);
      }
    };
    poll();
  });
}

/** Byte I/O on one end of a pty (the controller side). */
export interface PtyPort {
  onData(listener: (bytes: Uint8Array) => void): void;
  write(bytes: Uint8Array): void;
  close(): void;
}

export function openPtyPort(path: string): PtyPort {
  const flags = fsConstants.O_RDWR | fsConstants.O_NOCTTY;
  const readFd = openSync(path, flags);
  const writeFd = openSync(path, flags);
  const input = new ReadStream(readFd);
  input.setRawMode(true);
  const output = new WriteStream(writeFd);
  let closed = false;
  return {
    onData: (listener) => input.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))),
    write: (bytes) => {
      if (!closed) output.write(bytes);
    },
    close: () => {
      if (closed) return;
      closed = true;
      input.destroy();
      output.destroy();
      for (const fd of [readFd, writeFd]) {
        try {
          closeSync(fd);
        } catch {
          // already closed by the stream
        }
      }
    },
  };
}
