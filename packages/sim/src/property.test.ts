import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateSession } from './session.ts';
import { EXERCISES, FAULT_CODES, NOISE_LEVELS, SIDES } from './types.ts';

describe('any valid spec', () => {
  it('gives finite outputs, unit quaternions and labels inside their reps', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.nat({ max: 0xffffffff }),
          exercise: fc.constantFrom(...EXERCISES),
          side: fc.constantFrom(...SIDES),
          noise: fc.constantFrom(...NOISE_LEVELS),
          reps: fc.integer({ min: 1, max: 4 }),
          fault: fc.constantFrom(...FAULT_CODES),
          p: fc.double({ min: 0, max: 1, noNaN: true }),
          fatigue: fc.double({ min: 0, max: 1, noNaN: true }),
          mtu: fc.constantFrom(23, 64, 185, 247, 517),
          lossRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
        }),
        (r) => {
          const s = simulateSession({
            seed: r.seed,
            exercise: r.exercise,
            side: r.side,
            noise: r.noise,
            reps: r.reps,
            faults: { [r.fault]: r.p },
            fatigue: r.fatigue,
            link: { attMtu: r.mtu, lossRate: r.lossRate },
          });
          const n = s.samples.tS.length;
          for (const a of [
            s.samples.accMps2,
            s.samples.gyrRadPerS,
            s.truth.tiltDeg,
            s.truth.obliquityDeg,
            s.truth.rotationDeg,
          ]) {
            for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new Error(`non-finite value at ${i}`);
          }
          let backwards = 0;
          for (let k = 1; k < n; k++) if (!(s.samples.tS[k]! > s.samples.tS[k - 1]!)) backwards++;
          expect(backwards).toBe(0);
          for (let k = 0; k < n; k += 50) {
            const q = s.truth.qES;
            expect(Math.hypot(q[4 * k]!, q[4 * k + 1]!, q[4 * k + 2]!, q[4 * k + 3]!)).toBeCloseTo(1, 5);
          }
          expect(s.truth.reps.length).toBe(r.reps);
          for (const rep of s.truth.reps) {
            for (const f of rep.faults) {
              expect(f.startS).toBeGreaterThanOrEqual(rep.startS);
              expect(f.startS).toBeLessThan(rep.endS);
              if (f.fullS !== undefined) expect(f.fullS).toBeLessThanOrEqual(rep.endS);
            }
          }
          expect(Math.max(...s.notifications.map((x) => x.bytes.length))).toBeLessThanOrEqual(r.mtu - 3);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});
