import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quatFromTiltObliquityRotationDeg, quatToTiltObliquityRotationDeg } from './quat.ts';

describe('pelvis angle decomposition', () => {
  it('round-trips intrinsic X-Y-Z angles away from gimbal lock', () => {
    const angle = fc.double({ min: -80, max: 80, noNaN: true });
    fc.assert(
      fc.property(angle, angle, angle, (a, b, c) => {
        const [t, o, r] = quatToTiltObliquityRotationDeg(quatFromTiltObliquityRotationDeg(a, b, c));
        expect(t).toBeCloseTo(a, 6);
        expect(o).toBeCloseTo(b, 6);
        expect(r).toBeCloseTo(c, 6);
      }),
    );
  });
});
