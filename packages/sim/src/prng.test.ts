import { describe, expect, it } from 'vitest';
import { Rng } from './prng.ts';

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const c = new Rng(124);
    const xs = Array.from({ length: 50 }, () => a.nextU32());
    expect(Array.from({ length: 50 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.nextU32())).not.toEqual(xs);
  });

  it('gives uniform [0,1) and standard normals with the right moments', () => {
    const r = new Rng(9);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      su += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it('forks independent streams that do not depend on later draws of the parent', () => {
    const a = new Rng(5).fork('x').nextU32();
    const p = new Rng(5);
    const b = p.fork('x').nextU32();
    p.nextU32();
    expect(b).toBe(a);
    expect(new Rng(5).fork('y').nextU32()).not.toBe(a);
  });
});
