import { describe, expect, it } from 'vitest';
import { evalProfile, type Piece, ProfileCursor } from './profile.ts';

const pieces: Piece[] = [
  { type: 'ramp', t0: 0.5, t1: 1.7, delta: 0.6 },
  { type: 'ramp', t0: 1.2, t1: 2.0, delta: -0.25 },
  { type: 'burst', t0: 0.9, t1: 1.6, amp: 0.02, freqHz: 9, phase: 0.4 },
  { type: 'ramp', t0: 3, t1: 3.4, delta: -0.35 },
];

describe('motion profiles', () => {
  it('analytic derivatives match central differences', () => {
    const h = 1e-5;
    for (let t = 0.41; t < 3.6; t += 0.0371) {
      const v = evalProfile(pieces, t);
      const p = evalProfile(pieces, t + h);
      const m = evalProfile(pieces, t - h);
      expect(v.dx).toBeCloseTo((p.x - m.x) / (2 * h), 5);
      expect(v.ddx).toBeCloseTo((p.dx - m.dx) / (2 * h), 3);
    }
  });

  it('is C2 at every piece boundary (value, slope and curvature continuous)', () => {
    const eps = 1e-7;
    for (const p of pieces) {
      for (const tb of [p.t0, p.t1]) {
        const a = evalProfile(pieces, tb - eps);
        const b = evalProfile(pieces, tb + eps);
        expect(Math.abs(a.x - b.x)).toBeLessThan(1e-6);
        expect(Math.abs(a.dx - b.dx)).toBeLessThan(1e-4);
        expect(Math.abs(a.ddx - b.ddx)).toBeLessThan(1e-2);
      }
    }
  });

  it('the cursor agrees with the direct evaluation and rejects time going back', () => {
    const c = new ProfileCursor(pieces);
    for (let t = 0; t < 4; t += 0.005) {
      const d = evalProfile(pieces, t);
      const v = c.at(t);
      expect(v.x).toBeCloseTo(d.x, 12);
      expect(v.dx).toBeCloseTo(d.dx, 10);
      expect(v.ddx).toBeCloseTo(d.ddx, 8);
    }
    expect(evalProfile(pieces, 10).x).toBeCloseTo(0.6 - 0.25 - 0.35, 12);
    expect(() => c.at(1)).toThrow(RangeError);
  });
});
