import { decode } from '@hipcue/firmware-protocol';
import { describe, expect, it } from 'vitest';
import { LivePatient, liveSessions } from './live.ts';
import type { Notification } from './types.ts';

const base = { exercise: 'clamshell' as const, side: 'left' as const, sets: 1, reps: 6 as const };

function seqOf(n: Notification): number {
  const f = decode(n.bytes);
  if (f.type !== 'imu') throw new Error('not imu');
  return f.seq;
}

describe('live patient', () => {
  it('liveSessions continue sequence numbers and clocks across sessions', () => {
    const gen = liveSessions(base, 100);
    const a = gen.next().value;
    const b = gen.next().value;
    expect(b.meta.seed).toBe(101);
    const lastA = a.notifications.at(-1)!;
    const firstB = b.notifications[0]!;
    expect(firstB.hostTimeUs - lastA.hostTimeUs).toBeGreaterThan(4.9e6);
    expect(firstB.hostTimeUs - lastA.hostTimeUs).toBeLessThan(5.2e6);
    const gapSamples = (seqOf(firstB) - seqOf(lastA) + 0x10000) & 0xffff;
    expect(gapSamples).toBeGreaterThan(5 * 200 - 10);
    expect(gapSamples).toBeLessThan(5 * 200 + 10);
  });

  it('LivePatient delivers every notification once, in order, across session boundaries and a restart', () => {
    const start = 1_000_000_000_000;
    const p = new LivePatient(base, 7, start);
    const got: Notification[] = [];
    let t = start;
    const firstDuration = p.current.meta.durationS;
    while (t < start + (firstDuration + 20) * 1e6) {
      t += 15_000;
      got.push(...p.until(t));
    }
    expect(got.every((n, i) => i === 0 || n.hostTimeUs >= got[i - 1]!.hostTimeUs)).toBe(true);
    expect(got.every((n) => n.hostTimeUs <= t)).toBe(true);
    expect(p.current.meta.seed).toBe(8);
    const before = got.length;
    p.restart({ ...base, exercise: 'hip-thrust' }, t);
    expect(p.current.meta.exercise).toBe('hip-thrust');
    expect(p.until(t + 4e6)).toEqual([]);
    const after = p.until(t + 8e6);
    expect(after.length).toBeGreaterThan(50); // ~3 s of data at 25 notifications/s
    expect(after[0]!.hostTimeUs).toBeGreaterThan(got[before - 1]!.hostTimeUs + 4.9e6);
  });
});
