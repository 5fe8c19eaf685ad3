import { describe, expect, it } from 'vitest';
import { ChartBatcher } from './ChartBatcher.ts';

describe('ChartBatcher', () => {
  it('turns 200 Hz samples into 25 frames/s of ~2 points each at 50 points/s', () => {
    const b = new ChartBatcher(25, 50);
    const frames = [];
    for (let i = 0; i < 2000; i++) {
      const f = b.add(i / 200, Math.sin(i / 50), 0, -1);
      if (f) frames.push(f);
    }
    expect(frames.length).toBeGreaterThanOrEqual(249);
    expect(frames.length).toBeLessThanOrEqual(250);
    const points = frames.reduce((n, f) => n + f.tS.length, 0);
    expect(points).toBeGreaterThanOrEqual(495);
    expect(points).toBeLessThanOrEqual(500);
    frames.forEach((f, i) => {
      expect(f.frame).toBe(i);
      expect(f.tiltDeg.length).toBe(f.tS.length);
    });
    const all = frames.flatMap((f) => f.tS);
    for (let i = 1; i < all.length; i++) expect(all[i]! - all[i - 1]!).toBeCloseTo(0.02, 6);
  });

  it('resynchronises after a gap instead of emitting a burst', () => {
    const b = new ChartBatcher(25, 50);
    for (let i = 0; i < 200; i++) b.add(i / 200, 0, 0, 0);
    const after = b.add(10, 1, 1, 1);
    expect(after?.tS.at(-1)).toBe(10);
    expect(b.add(10.005, 1, 1, 1)).toBeUndefined();
  });
});
