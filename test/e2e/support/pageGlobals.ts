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
  WebSocket: new (
    url: string,
    protocols: string[],
  ) => {
    onopen: (() => void) | null;
    onmessage: ((ev: { data: string }) => void) | null;
    onclose: ((ev: { code: number; reason: string }) => void) | null;
    send(data: string): void;
    close(): void;
  };
  location: { host: string };
  document: {
    body: unknown;
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  };
  MutationObserver: new (
    cb: () => void,
  ) => { observe(target: unknown, o: { subtree: boolean; childList: boolean; attributes: boolean }): void };
  cueLog?: { code: string; rep: number }[];
  chartStats?: { frames: number; updateMs: number[] };
  hipcueDebug?: { drop(): void; status: string };
}
