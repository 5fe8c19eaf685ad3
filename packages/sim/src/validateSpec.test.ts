import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusSpecs } from './corpus.ts';
import { simulateSession } from './session.ts';
import { validateSpec } from './validateSpec.ts';

const good = { seed: 1, exercise: 'clamshell', side: 'left' };

describe('validateSpec', () => {
  it('accepts every corpus spec and a minimal one', () => {
    expect(validateSpec(good)).toEqual([]);
    for (const s of corpusSpecs()) expect(validateSpec(s)).toEqual([]);
  });

  it.each([
    [{ ...good, seed: -1 }, 'seed'],
    [{ ...good, seed: 1.5 }, 'seed'],
    [{ ...good, personSeed: -3 }, 'personSeed'],
    [{ ...good, exercise: 'squat' }, 'exercise'],
    [{ ...good, side: 'up' }, 'side'],
    [{ ...good, sets: 0 }, 'sets'],
    [{ ...good, reps: [9, 3] }, 'reps'],
    [{ ...good, faults: { lumbar_arch: 2 } }, 'faults.lumbar_arch'],
    [{ ...good, faults: { slouch: 0.1 } }, 'faults.slouch'],
    [{ ...good, fatigue: Number.NaN }, 'fatigue'],
    [{ ...good, noise: 'loud' }, 'noise'],
    [{ ...good, sampleRateHz: 210 }, 'sampleRateHz'],
    [{ ...good, mountingQuat: [0, 0, 0, 0] }, 'mountingQuat'],
    [{ ...good, link: { attMtu: 22 } }, 'link.attMtu'],
    [{ ...good, magnetometer: true, link: { attMtu: 23 } }, 'link.attMtu'],
    [{ ...good, link: { lossRate: 1 } }, 'link.lossRate'],
    [{ ...good, link: { disconnect: { startS: 3 } } }, 'link.disconnect'],
    [{ ...good, link: { seqStart: 70000 } }, 'link.seqStart'],
    [{ ...good, extraSensors: ['knee'] }, 'extraSensors'],
    [{ ...good, gyrRangeDps: 300 }, 'gyrRangeDps'],
    [{ ...good, link: { backfill: { requestDelayS: -1 } } }, 'link.backfill'],
    [{ ...good, accRangeG: 3 }, 'accRangeG'],
    [{ ...good, tempoScale: 0 }, 'tempoScale'],
    [{ ...good, romScale: 3 }, 'romScale'],
  ])('names the bad field in %j', (spec, field) => {
    const problems = validateSpec(spec);
    expect(problems.map((p) => p.field)).toContain(field);
    expect(problems.find((p) => p.field === field)!.message).toContain(field);
    expect(() => simulateSession(spec as never)).toThrow(field);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(Array.isArray(validateSpec(x))).toBe(true);
        expect(Array.isArray(validateSpec({ ...good, link: x }))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
