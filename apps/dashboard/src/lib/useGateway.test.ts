import { describe, expect, it } from 'vitest';
import { RingBuffer } from './RingBuffer';
import { pushChart } from './useGateway';

const frame = (frameNo: number, tS: number[]) => ({
  type: 'chart' as const,
  frame: frameNo,
  tS,
  tiltDeg: tS.map((t) => t * 10),
  obliquityDeg: tS.map(() => 1),
  rotationDeg: tS.map(() => -1),
});

describe('pushChart', () => {
  it('appends chart columns to the ring in order', () => {
    const rb = new RingBuffer(8, 3);
    pushChart(rb, frame(0, [0, 0.02]));
    pushChart(rb, frame(1, [0.04]));
    const [t, tilt, obl, rot] = rb.ordered();
    expect(Array.from(t!)).toEqual([0, 0.02, 0.04]);
    expect(Array.from(tilt!)).toEqual([0, 0.2, 0.4]);
    expect(Array.from(obl!)).toEqual([1, 1, 1]);
    expect(Array.from(rot!)).toEqual([-1, -1, -1]);
  });

  it('starts a fresh trace when the session clock restarts (new session after a reconnect)', () => {
    const rb = new RingBuffer(8, 3);
    pushChart(rb, frame(0, [100, 100.02]));
    pushChart(rb, frame(0, [0.5]));
    expect(Array.from(rb.ordered()[0]!)).toEqual([0.5]);
  });
});
