import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { corpusSpecs } from './corpus.ts';
import { simulateSession } from './session.ts';
import { EXERCISES, FAULTS_BY_EXERCISE, NOISE_LEVELS, type SessionSpec, SIDES } from './types.ts';

function digest(spec: SessionSpec): string {
  const s = simulateSession(spec);
  const h = createHash('sha256');
  for (const n of s.notifications) {
    h.update(String(n.hostTimeUs));
    h.update(n.bytes);
  }
  h.update(JSON.stringify(s.truth.reps));
  h.update(new Uint8Array(s.truth.tiltDeg.buffer));
  return h.digest('hex');
}

describe('evaluation corpus', () => {
  const specs = corpusSpecs();

  it('has ≥ 200 one-set sessions with unique ids and seeds, regenerated identically from its seed', () => {
    expect(specs.length).toBeGreaterThanOrEqual(200);
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    expect(new Set(specs.map((s) => s.seed)).size).toBe(specs.length);
    expect(corpusSpecs()).toEqual(specs);
    expect(corpusSpecs(2)).not.toEqual(specs);
    for (const s of specs) expect(s.sets ?? 1).toBe(1);
  });

  it('covers every exercise × side × fault × noise level, with lossy links and a disconnect mid-set', () => {
    for (const exercise of EXERCISES) {
      for (const side of SIDES) {
        for (const noise of NOISE_LEVELS) {
          const here = specs.filter((s) => s.exercise === exercise && s.side === side && s.noise === noise);
          for (const code of FAULTS_BY_EXERCISE[exercise]) {
            expect(here.some((s) => (s.faults?.[code] ?? 0) > 0)).toBe(true);
          }
          expect(here.some((s) => !s.faults)).toBe(true);
          expect(here.some((s) => (s.link?.lossRate ?? 0) > 0)).toBe(true);
        }
      }
    }
    expect(specs.filter((s) => s.link?.disconnect).length).toBeGreaterThanOrEqual(1);
    expect(new Set(specs.map((s) => s.link?.attMtu))).toEqual(new Set([23, 185, 247]));
  });

  it('the disconnect sets lose notifications in the middle of the set', () => {
    for (const spec of specs.filter((s) => s.link?.disconnect).slice(0, 2)) {
      const s = simulateSession(spec);
      const d = spec.link!.disconnect!;
      const set = s.truth.sets[0]!;
      expect(d.startS).toBeGreaterThan(set.startS);
      expect(d.startS + d.durationS).toBeLessThan(set.endS);
      const host = s.notifications.map((n) => (n.hostTimeUs - s.meta.hostStartUs) / 1e6);
      let maxGap = 0;
      for (let i = 1; i < host.length; i++) maxGap = Math.max(maxGap, host[i]! - host[i - 1]!);
      expect(maxGap).toBeGreaterThan(d.durationS - 0.1);
    }
  });

  it('sessions carry the labels their specs ask for, and regenerate byte-identically', () => {
    // every 4th (exercise, side, fault) keeps this test fast; the CLI regenerates the whole corpus
    const sample = EXERCISES.flatMap((exercise) =>
      SIDES.flatMap((side) =>
        FAULTS_BY_EXERCISE[exercise].map(
          (code) => specs.find((s) => s.exercise === exercise && s.side === side && (s.faults?.[code] ?? 0) > 0)!,
        ),
      ),
    ).filter((_, i) => i % 4 === 0);
    for (const spec of sample) {
      const s = simulateSession(spec);
      const code = Object.keys(spec.faults!)[0];
      expect(s.truth.reps.length).toBeGreaterThanOrEqual(6);
      expect(s.truth.reps.length).toBeLessThanOrEqual(15);
      expect(s.truth.reps.some((r) => r.faults.some((f) => f.code === code))).toBe(true);
    }
    for (const spec of sample.slice(0, 2)) expect(digest(spec)).toBe(digest(structuredClone(spec)));
  }, 60_000);
});
