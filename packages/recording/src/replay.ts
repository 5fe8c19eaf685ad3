import type { Notification, Recording } from './types.ts';

export interface ReplaySettings {
  /** 0 = as fast as possible; 1 = real time (host-time gaps reproduced); 2 = twice as fast, and so on. */
  speed: number;
  /** Waits `ms` milliseconds. Injected so the core does no timing of its own (tests pass a fake). */
  sleep: (ms: number) => Promise<void>;
}

export const replayDefaults: ReplaySettings = {
  speed: 0,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * The notifications of a recording, byte for byte and in file order with their original host times, paced by
 * `speed`. Feed them to the same decoder and pipeline the live source feeds: that is what makes replay bit-exact.
 */
export async function* replayNotifications(
  recording: Pick<Recording, 'notifications'>,
  settings: Partial<ReplaySettings> = {},
): AsyncGenerator<Notification> {
  const { speed, sleep } = { ...replayDefaults, ...settings };
  const first = recording.notifications[0];
  if (!first) return;
  let lastUs = first.hostTimeUs;
  for (const n of recording.notifications) {
    if (speed > 0 && n.hostTimeUs > lastUs) {
      await sleep((n.hostTimeUs - lastUs) / 1000 / speed);
      lastUs = n.hostTimeUs;
    }
    yield n;
  }
}
