import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEG, qaxis, qmul, qnormalize, qrotate, qtoIntrinsicXyz, type Vec3 } from './quat.ts';

describe('quaternion helpers', () => {
  it('intrinsic X-Y-Z decomposition inverts Rx(a)·Ry(b)·Rz(c)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.double({ min: -85, max: 85, noNaN: true }),
        fc.double({ min: -170, max: 170, noNaN: true }),
        (a, b, c) => {
          const q = qmul(qmul(qaxis([1, 0, 0], a * DEG), qaxis([0, 1, 0], b * DEG)), qaxis([0, 0, 1], c * DEG));
          const e = qtoIntrinsicXyz(q);
          expect(e[0] / DEG).toBeCloseTo(a, 6);
          expect(e[1] / DEG).toBeCloseTo(b, 6);
          expect(e[2] / DEG).toBeCloseTo(c, 6);
        },
      ),
    );
  });

  it('rotates vectors like the rotation it names (positive tilt turns z toward -y)', () => {
    const z: Vec3 = [0, 0, 1];
    const r = qrotate(qaxis([1, 0, 0], 90 * DEG), z);
    expect(r[1]).toBeCloseTo(-1, 12);
    const q = qnormalize([1, 2, 3, 4]);
    const v: Vec3 = [0.3, -1, 2];
    const back = qrotate([q[0], -q[1], -q[2], -q[3]], qrotate(q, v));
    for (let i = 0; i < 3; i++) expect(back[i]).toBeCloseTo(v[i]!, 12);
  });
});
