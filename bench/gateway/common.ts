// Shared by the gateway bench's processes (orchestrator, sensor, server, clients).

/**
 * CLOCK_MONOTONIC in ms. Every bench process stamps with it, so stamps taken in different processes on this
 * machine are directly comparable (performance.timeOrigin + now() differs between processes by ~10 µs).
 */
export const hrMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Offset that turns this process's `performance.now()` into `hrMs()` (both read the same clock). */
export const perfToHrMs = (): number => hrMs() - performance.now();

/**
 * One notification on the emulated sensor link, as the sensor process writes it:
 * `u16 LE byte count | u32 LE index | f64 LE hostTimeUs | bytes`. A record with byte count 0xffff ends the stream.
 */
export const RECORD_HEADER_BYTES = 14;
export const END_OF_STREAM = 0xffff;

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Process CPU time (user + system) in seconds. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Sends an IPC message and resolves once it is written (so the process may exit right after). */
export function reply(msg: unknown): Promise<void> {
  return new Promise((resolve) => process.send!(msg, () => resolve()));
}

/** Resolves with the next IPC message of `type` (from the parent, or from a child when `from` is given). */
export function nextMessage<T extends { type: string }>(
  type: T['type'],
  from: { on(e: 'message', l: (m: T) => void): void; off(e: 'message', l: (m: T) => void): void } = process,
): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: T) => {
      if (m.type !== type) return;
      from.off('message', on);
      resolve(m);
    };
    from.on('message', on);
  });
}
