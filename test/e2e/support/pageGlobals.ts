/**
 * The few browser globals that code passed to `page.evaluate` uses. The root tsconfig type-checks test/
 * with Node types only (no DOM lib, which would change every package's globals), so page code reaches
 * them through `page()` instead of bare names. Only call `page()` inside `page.evaluate` callbacks.
 */
export interface PageGlobals {
  requestAnimationFrame(cb: (t: number) => void): number;
  performance: { now(): number };
  PerformanceObserver: new (
    cb: (list: { getEntries(): { duration: number }[] }) => void,
  ) => { observe(o: { type: string; buffered?: boolean }): void; disconnect(): void };
  chartStats?: { frames: number; updateMs: number[] };
  hipcueDebug?: { drop(): void; status: string };
}
