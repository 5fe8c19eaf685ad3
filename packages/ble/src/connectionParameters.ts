import type { ConnectionParameters } from './central.ts';

/**
 * Connection parameters for a sensor streaming at `sampleRateHz` (see docs/ble.md § Connection parameters).
 * - Interval: 7.5–15 ms at ≥ 100 Hz, so even at the default 23-byte MTU (one sample per notification) each
 *   connection event carries ≤ 3 notifications at 200 Hz; 15–30 ms below 100 Hz to save the sensor's battery.
 * - Peripheral latency 0: the sensor has data at every event, so skipping events would only add delay.
 * - Supervision timeout 1 s: link loss is noticed within a second (the sensor's buffer, issue 8, covers the
 *   hole), while a few lost events in a noisy room (≥ 66 at 15 ms) do not drop the link.
 */
export function connectionParametersFor(sampleRateHz: number): ConnectionParameters {
  const fast = sampleRateHz >= 100;
  return {
    minIntervalMs: fast ? 7.5 : 15,
    maxIntervalMs: fast ? 15 : 30,
    latency: 0,
    supervisionTimeoutMs: 1_000,
  };
}
