import { describe, expect, it } from 'vitest';
import { type Quat, quatFromAxisAngle, quatMultiply } from './quat.ts';
import { SegmentTracker, twistDeg } from './segment.ts';

const deg = Math.PI / 180;
const start: Quat = quatFromAxisAngle([0.2, -0.7, 0.4], 1.3); // any start attitude of either sensor
const about = (axis: [number, number, number], d: number, q: Quat): Quat =>
  quatMultiply(quatFromAxisAngle(axis, d * deg), q);

describe('twistDeg', () => {
  it('is the turn about the axis since the start, whatever the start attitude', () => {
    expect(twistDeg(about([1, 0, 0], 20, start), start, 1, 0, 0)).toBeCloseTo(20, 9);
    expect(twistDeg(about([1, 0, 0], -35, start), start, 1, 0, 0)).toBeCloseTo(-35, 9);
  });

  it('ignores a heading drift about the vertical when the axis is horizontal', () => {
    const q = about([0, 0, 1], 12, about([1, 0, 0], 30, start));
    expect(twistDeg(q, start, 1, 0, 0)).toBeCloseTo(30, 9);
  });

  it('is zero for a turn about a perpendicular axis', () => {
    expect(twistDeg(about([0, 1, 0], 25, start), start, 1, 0, 0)).toBeCloseTo(0, 9);
  });
});

describe('SegmentTracker', () => {
  it('takes bias and start attitude from the pelvis hold, and refuses a sensor that moved during it', () => {
    const still = new SegmentTracker('thigh');
    const moving = new SegmentTracker('lumbar');
    still.collect(true);
    moving.collect(true);
    for (let i = 0; i < 400; i++) {
      const t = i * 0.005;
      still.next(t, 0.01, -0.02, 0.005, 0, 9.80665, 0);
      moving.next(t, 0.5 * Math.sin(6 * t), 0, 0, 0, 9.80665, 0);
    }
    expect(still.finishHold()).toBe('ok');
    expect(moving.finishHold()).toBe('moved');
    expect([...still.attitude.biasRadPerS].map((x) => +x.toFixed(6))).toEqual([0.01, -0.02, 0.005]);
    expect(still.usable(2)).toBe(true);
    expect(still.usable(2 + 0.6)).toBe(false);
    expect(new SegmentTracker('thigh').finishHold()).toBe('missing');
  });
});
