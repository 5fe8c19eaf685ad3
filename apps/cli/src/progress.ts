import cliProgress from 'cli-progress';
import type { Io } from './command.ts';

export interface Progress {
  update(done: number, label?: string): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; silent otherwise (logs and tests stay clean). */
export function progressBar(io: Io, total: number, what: string): Progress {
  if (!io.interactive) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${what} [{bar}] {value}/{total} {percentage}% ETA {eta_formatted} {label}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: '' });
  return {
    update: (done, label = '') => bar.update(done, { label }),
    stop: () => bar.stop(),
  };
}
