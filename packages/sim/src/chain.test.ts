import { describe, expect, it } from 'vitest';
import { buildBody, CHANNEL_COUNT } from './body.ts';
import { evalChain, newChainState } from './chain.ts';
import { Rng } from './prng.ts';
import { evalProfile, type Piece } from './profile.ts';
import { qconj, qmul } from './quat.ts';
import { EXERCISES } from './types.ts';

/** Random smooth motion on every channel of the chain, so every joint term is exercised. */
function randomPieces(rng: Rng): Piece[][] {
  return Array.from({ length: CHANNEL_COUNT }, (_, ch) => [
    { type: 'ramp', t0: 0, t1: rng.uniform(0.5, 1.5), delta: (ch < 3 ? 0.2 : 0.6) * rng.normal() },
    { type: 'ramp', t0: rng.uniform(0.2, 0.8), t1: 2, delta: (ch < 3 ? 0.1 : 0.4) * rng.normal() },
    { type: 'burst', t0: 0.1, t1: 1.9, amp: 0.05 * rng.normal(), freqHz: rng.uniform(1, 4), phase: 1 },
  ]);
}

function stateAt(joints: ReturnType<typeof buildBody>['joints'], pieces: Piece[][], t: number) {
  const x = new Float64Array(CHANNEL_COUNT);
  const dx = new Float64Array(CHANNEL_COUNT);
  const ddx = new Float64Array(CHANNEL_COUNT);
  pieces.forEach((p, c) => {
    const v = evalProfile(p, t);
    x[c] = v.x;
    dx[c] = v.dx;
    ddx[c] = v.ddx;
  });
  const s = newChainState();
  evalChain(joints, x, dx, ddx, s);
  return s;
}

describe('kinematic chain', () => {
  it.each(EXERCISES)('%s: analytic ω, α, v, a agree with finite differences of pose', (exercise) => {
    const rng = new Rng(77);
    const body = buildBody(exercise, 'left', rng, -0.5);
    const pieces = randomPieces(rng);
    const h = 1e-4;
    for (const t of [0.13, 0.61, 0.97, 1.42, 1.88]) {
      const s = stateAt(body.joints, pieces, t);
      const sp = stateAt(body.joints, pieces, t + h);
      const sm = stateAt(body.joints, pieces, t - h);
      // ω (earth frame) from q: dq/dt = ½ ω ⊗ q  →  ω = 2 (dq/dt) ⊗ q*
      const dq: [number, number, number, number] = [0, 1, 2, 3].map((i) => (sp.q[i]! - sm.q[i]!) / (2 * h)) as never;
      const wq = qmul(dq, qconj([s.q[0]!, s.q[1]!, s.q[2]!, s.q[3]!]));
      for (let i = 0; i < 3; i++) {
        expect(2 * wq[i + 1]!).toBeCloseTo(s.w[i]!, 5);
        expect((sp.w[i]! - sm.w[i]!) / (2 * h)).toBeCloseTo(s.al[i]!, 3);
        expect((sp.p[i]! - sm.p[i]!) / (2 * h)).toBeCloseTo(s.v[i]!, 5);
        expect((sp.p[i]! - 2 * s.p[i]! + sm.p[i]!) / (h * h)).toBeCloseTo(s.a[i]!, 2);
      }
      expect(Math.hypot(s.q[0]!, s.q[1]!, s.q[2]!, s.q[3]!)).toBeCloseTo(1, 12);
    }
  });
});
