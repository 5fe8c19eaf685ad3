import { describe, expect, it } from 'vitest';
import { replayNotifications } from './replay.ts';
import { sampleSession } from './testing/sampleSession.ts';

describe('replayNotifications', () => {
  const { notifications } = sampleSession(41, 1);

  it('yields every notification unchanged and in order, without waiting at speed 0', async () => {
    const waits: number[] = [];
    const out = [];
    for await (const n of replayNotifications({ notifications }, { sleep: async (ms) => void waits.push(ms) }))
      out.push(n);
    expect(out).toEqual(notifications);
    expect(waits).toEqual([]);
  });

  it('reproduces the host-time gaps, scaled by speed', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    for await (const _ of replayNotifications({ notifications }, { speed: 2, sleep })) {
      // drain
    }
    const span = notifications.at(-1)!.hostTimeUs - notifications[0]!.hostTimeUs;
    expect(waits.reduce((a, b) => a + b, 0)).toBeCloseTo(span / 1000 / 2, 6);
    expect(waits.every((ms) => ms > 0)).toBe(true);
  });
});
