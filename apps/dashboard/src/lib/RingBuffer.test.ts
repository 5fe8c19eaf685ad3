import { describe, expect, it } from 'vitest';
import { RingBuffer } from './RingBuffer';

describe('RingBuffer', () => {
  it('returns samples oldest first before it wraps', () => {
    const rb = new RingBuffer(5, 2);
    for (let i = 0; i < 3; i++) rb.push(i * 0.1, [i, -i]);
    const [t, a, b] = rb.ordered();
    expect(Array.from(t!)).toEqual([0, 0.1, 0.2]);
    expect(Array.from(a!)).toEqual([0, 1, 2]);
    expect(Array.from(b!)).toEqual([-0, -1, -2]);
  });

  it('keeps only the newest `capacity` samples after wrapping, in order', () => {
    const rb = new RingBuffer(4, 1);
    for (let i = 0; i < 11; i++) rb.push(i, [i * 10]);
    expect(rb.length).toBe(4);
    const [t, a] = rb.ordered();
    expect(Array.from(t!)).toEqual([7, 8, 9, 10]);
    expect(Array.from(a!)).toEqual([70, 80, 90, 100]);
    expect(rb.lastTimeS()).toBe(10);
  });

  it('windows by time across the wrap point', () => {
    const rb = new RingBuffer(6, 1);
    for (let i = 0; i < 9; i++) rb.push(i, [i]);
    const [t] = rb.ordered(5.5);
    expect(Array.from(t!)).toEqual([6, 7, 8]);
  });

  it('marks missing channel values as NaN gaps', () => {
    const rb = new RingBuffer(2, 3);
    rb.push(1, [1]);
    const [, a, b, c] = rb.ordered();
    expect(a![0]).toBe(1);
    expect(Number.isNaN(b![0]!)).toBe(true);
    expect(Number.isNaN(c![0]!)).toBe(true);
  });

  it('empties on clear and rejects nonsense sizes', () => {
    const rb = new RingBuffer(3, 1);
    rb.push(0, [0]);
    rb.clear();
    expect(rb.length).toBe(0);
    expect(rb.ordered()[0]!.length).toBe(0);
    expect(() => new RingBuffer(0, 1)).toThrow(/capacity/);
    expect(() => new RingBuffer(3, 0)).toThrow(/channels/);
  });

  it('matches a naive array model on a random push sequence', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const cap = 37;
    const rb = new RingBuffer(cap, 2);
    const model: [number, number, number][] = [];
    let t = 0;
    for (let i = 0; i < 500; i++) {
      t += rand();
      const v: [number, number, number] = [t, rand(), rand()];
      rb.push(v[0], [v[1], v[2]]);
      model.push(v);
      if (i % 53 === 0) {
        const since = t - rand() * 20;
        const want = model.slice(-cap).filter((s) => s[0] >= since);
        const [tt, a, b] = rb.ordered(since);
        expect(Array.from(tt!)).toEqual(want.map((s) => s[0]));
        expect(Array.from(a!)).toEqual(want.map((s) => s[1]));
        expect(Array.from(b!)).toEqual(want.map((s) => s[2]));
      }
    }
  });
});
