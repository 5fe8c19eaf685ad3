import { describe, expect, it } from 'vitest';
import { simulateSession } from './session.ts';
import { EXERCISES, FAULTS_BY_EXERCISE, type SimSession } from './types.ts';

function checkLabels(s: SimSession): void {
  const { reps, sets, calibration } = s.truth;
  expect(calibration.startS).toBe(0);
  expect(calibration.endS).toBeGreaterThanOrEqual(2);
  expect(calibration.endS).toBeLessThanOrEqual(3);
  expect(reps.length).toBeGreaterThan(0);
  let prevEnd = calibration.endS;
  for (const r of reps) {
    // reps in order, never overlapping, inside their set, after the calibration hold
    expect(r.startS).toBeGreaterThan(prevEnd);
    expect(r.startS).toBeLessThan(r.peakS);
    expect(r.peakS).toBeLessThanOrEqual(r.endS - r.downS + 1e-9);
    expect(r.endS).toBeLessThanOrEqual(s.meta.durationS);
    const set = sets[r.set]!;
    expect(r.startS).toBeGreaterThanOrEqual(set.startS);
    expect(r.endS).toBeLessThanOrEqual(set.endS);
    prevEnd = r.endS;
    expect(r.faults.length).toBeLessThanOrEqual(1);
    for (const f of r.faults) {
      expect(FAULTS_BY_EXERCISE[s.meta.exercise]).toContain(f.code);
      expect(f.startS).toBeGreaterThanOrEqual(r.startS);
      expect(f.startS).toBeLessThan(r.endS);
      if (f.code === 'partial_range') expect(f.magnitude).toBeLessThan(60);
      else if (f.code === 'rushed_tempo') expect(f.magnitude).toBeLessThan(1);
      else if (f.code === 'pelvic_roll') expect(f.magnitude).toBeGreaterThanOrEqual(8);
      else expect(f.magnitude).toBeGreaterThanOrEqual(6);
    }
    const clean = r.faults.length === 0;
    if (clean) {
      expect((100 * r.romDeg) / s.meta.personRomDeg).toBeGreaterThan(60);
      expect(r.upS + r.downS).toBeGreaterThan(1);
    }
  }
  // the per-sample truth has one value per sample and is still during the calibration hold
  const n = s.samples.tS.length;
  for (const arr of [s.truth.tiltDeg, s.truth.obliquityDeg, s.truth.rotationDeg, s.truth.tTrueS])
    expect(arr.length).toBe(n);
  expect(s.truth.qES.length).toBe(4 * n);
  for (let k = 0; s.truth.tTrueS[k]! <= calibration.endS; k++) {
    expect(
      Math.abs(s.truth.tiltDeg[k]!) + Math.abs(s.truth.obliquityDeg[k]!) + Math.abs(s.truth.rotationDeg[k]!),
    ).toBeLessThan(1e-9);
  }
}

describe('truth labels', () => {
  it.each(EXERCISES)('%s: consistent over a multi-set session with every fault', (exercise) => {
    const faults = Object.fromEntries(FAULTS_BY_EXERCISE[exercise].map((c) => [c, 0.2]));
    const s = simulateSession({
      seed: 51,
      exercise,
      side: 'left',
      sets: 2,
      reps: [6, 10],
      faults,
      restBetweenSetsS: 12,
    });
    expect(s.truth.sets.length).toBe(2);
    expect(s.truth.sets[1]!.startS).toBeGreaterThan(s.truth.sets[0]!.endS + 10);
    checkLabels(s);
    const codes = new Set(s.truth.reps.flatMap((r) => r.faults.map((f) => f.code)));
    expect(codes.size).toBeGreaterThanOrEqual(2);
  });

  it('people reposition between sets: the next set starts from a new pose', () => {
    let moved = 0;
    for (const seed of [53, 54, 55]) {
      const s = simulateSession({
        seed,
        exercise: 'glute-bridge',
        side: 'left',
        noise: 'none',
        sets: 2,
        reps: 6,
        restBetweenSetsS: 15,
      });
      const k1 = Math.round(s.truth.sets[0]!.startS * 200);
      const k2 = Math.round(s.truth.sets[1]!.startS * 200);
      const d = Math.hypot(
        s.truth.tiltDeg[k2]! - s.truth.tiltDeg[k1]!,
        s.truth.obliquityDeg[k2]! - s.truth.obliquityDeg[k1]!,
        s.truth.rotationDeg[k2]! - s.truth.rotationDeg[k1]!,
      );
      if (d > 1) moved++;
      expect(d).toBeLessThan(20);
    }
    expect(moved).toBeGreaterThanOrEqual(2);
  });

  it('fatigue makes late reps slower and smaller than early ones', () => {
    const s = simulateSession({
      seed: 52,
      exercise: 'glute-bridge',
      side: 'right',
      reps: 15,
      fatigue: 1,
      noise: 'none',
    });
    const early = s.truth.reps.slice(0, 4);
    const late = s.truth.reps.slice(-3);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(late.map((r) => r.upS + r.downS))).toBeGreaterThan(1.15 * mean(early.map((r) => r.upS + r.downS)));
    expect(mean(late.map((r) => r.romDeg))).toBeLessThan(0.93 * mean(early.map((r) => r.romDeg)));
    expect(late.at(-1)!.fatigue).toBeCloseTo(1, 6);
    expect(early[0]!.fatigue).toBe(0);
  });
});
