/** Reconnect delay settings: exponential with full jitter, capped. */
export interface BackoffSettings {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** 0 = no jitter, 1 = delay drawn uniformly from [0, nominal]. */
  jitter: number;
}

export const backoffDefaultSettings: BackoffSettings = { initialMs: 250, factor: 2, maxMs: 8000, jitter: 0.3 };

/** Delay before reconnect attempt `attempt` (0-based). `random` in [0, 1). */
export function backoffDelayMs(attempt: number, random: number, s: BackoffSettings = backoffDefaultSettings): number {
  const nominal = Math.min(s.maxMs, s.initialMs * s.factor ** Math.max(0, attempt));
  return Math.round(nominal * (1 - s.jitter * random));
}
