import { corpusSpecs, simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { analyzeSession } from './analyze.ts';
import { OffsetFit, stillPoses } from './liftFromImu.ts';
import { quatConjugate, quatFromAxisAngle, quatRotate, type Vec3 } from './quat.ts';

/** (R − I) row-major for the turn q. */
function turnMinusI(q: readonly number[]): number[] {
  const cols = [0, 1, 2].map((k) =>
    quatRotate(q as [number, number, number, number], k === 0 ? [1, 0, 0] : k === 1 ? [0, 1, 0] : [0, 0, 1]),
  );
  return [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => cols[j]![i]! - (i === j ? 1 : 0)));
}

describe('OffsetFit', () => {
  it("recovers an accelerometer offset across the reps' turn axis from exact still poses, and leaves the axis part 0", () => {
    const b: Vec3 = [0.3, -1.7, 0.2];
    const g: Vec3 = [0, 0, 9.81];
    const fit = new OffsetFit();
    // bridges turn about the sensor's x, within a few degrees
    for (const [axis, deg] of [
      [[1, 0.05, 0], 25],
      [[1, -0.04, 0.03], 38],
      [[1, 0, -0.05], 21],
    ] as Array<[Vec3, number]>) {
      const q = quatFromAxisAngle(axis, (deg * Math.PI) / 180);
      const m = turnMinusI(q);
      // held at the top the sensor reads Rᵀg + b; turned back into the rest frame, R·f_top − f_rest = (R − I)·b
      const d = [0, 1, 2].map((i) => m[3 * i]! * b[0] + m[3 * i + 1]! * b[1] + m[3 * i + 2]! * b[2]) as Vec3;
      fit.add({ rest: [g[0] + b[0], g[1] + b[1], g[2] + b[2]], turnMinusI: m, d });
    }
    const out = [0, 0, 0];
    fit.offset(out);
    expect(out[1]).toBeCloseTo(-1.7, 1);
    expect(out[2]).toBeCloseTo(0.2, 1);
    expect(Math.abs(out[0]!)).toBeLessThan(0.1); // along the turn axis: unseen, and it does not change "up"
  });
});

describe('stillPoses', () => {
  /** A rep sampled at 200 Hz: 1 s at rest, a 14° turn about x over 0.5 s, 1 s held; the hold reads `error` extra. */
  function rep(error: Vec3) {
    const n = 500;
    const t = new Float64Array(n);
    const imu = new Float64Array(6 * n);
    const g: Vec3 = [0, 0, 9.81];
    const rate = (14 * Math.PI) / 180 / 0.5;
    for (let i = 0; i < n; i++) {
      const ti = i / 200;
      t[i] = ti;
      const turning = ti > 1 && ti <= 1.5;
      const angle = rate * Math.min(0.5, Math.max(0, ti - 1));
      // the reading is gravity in the sensor's frame (Rᵀ·g); held at the top, plus the error
      const f = quatRotate(quatConjugate(quatFromAxisAngle([1, 0, 0], angle)), g);
      const held = ti > 1.5;
      imu.set([turning ? rate : 0, 0, 0, ...f.map((x, k) => x + (held ? error[k]! : 0))], 6 * i);
    }
    return stillPoses(t, imu, n, 0, n, 1, 1.5, 2.5);
  }

  it('pairs a rest and a hold that an offset can explain', () => {
    const p = rep([0, 0.2, 0.1]);
    expect(p?.turnMinusI).toBeDefined();
    expect(p?.d).toBeDefined();
  });

  it('leaves out a pair no plausible offset explains: 1 m/s² on a 14° turn (at most 0.73 from a 3 m/s² offset)', () => {
    // seed 1's c046: three such pairs pulled the fit by 0.6 m/s² and every later full rep's lift 20–35 % low
    const p = rep([0, 0.6, 0.8]);
    expect(p?.rest).toBeDefined();
    expect(p?.turnMinusI).toBeUndefined();
  });
});

describe('lift from the sensor alone', () => {
  it('reads a bridge set on a high-noise part (1.7 m/s² offset) within 40 % of the true lift, arched reps too', () => {
    // Corpus c064: the filter's vertical acceleration read these lifts 2-4x high, and arched reps highest
    // (0.8-1.0 m against 0.6 m), though an arch barely lifts the pelvis (true 0.21-0.23 m against 0.19-0.20 m).
    const spec = corpusSpecs(1).find((s) => s.id?.startsWith('c064-'))!;
    const sim = simulateSession(spec);
    const a = analyzeSession(sim.samples, { exercise: sim.meta.exercise, side: sim.meta.side });
    const T = sim.truth;
    const ratios: number[] = [];
    const perDeg = { arched: [] as number[], clean: [] as number[] };
    for (const t of T.reps) {
      const mid = (t.startS + t.endS) / 2;
      const r = a.reps.find((x) => x.startS <= mid && mid <= x.endS)!;
      let base = Number.NaN;
      let top = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < T.tTrueS.length; i++) {
        const x = T.tTrueS[i]!;
        if (Number.isNaN(base) && x >= t.startS) base = T.pelvisUpM[i]!;
        if (x >= t.startS && x <= t.endS) top = Math.max(top, T.pelvisUpM[i]!);
      }
      ratios.push(r.liftM! / (top - base));
      const arched = t.faults.some((f) => f.code === 'lumbar_arch');
      (arched ? perDeg.arched : perDeg.clean).push(r.liftM! / r.rangeDeg);
    }
    for (const x of ratios) expect(x).toBeGreaterThan(0.6);
    for (const x of ratios) expect(x).toBeLessThan(1.3);
    // an arch turns the pelvis further but lifts it no more: less lift per degree than the clean reps
    expect(Math.max(...perDeg.arched)).toBeLessThan(Math.min(...perDeg.clean));
  });
});

describe('lift of a thrust set mixing partial and full reps (corpus c046, high-noise part)', () => {
  it("reads every rep's lift within 0.75–1.35 of the truth", () => {
    // Before, three partial reps that each followed a full one gave still poses no offset explains (their rest held
    // the last of the full rep's lowering); the offset fit took them in, and the last full reps read 0.67–0.73.
    const spec = corpusSpecs(1).find((s) => s.id?.startsWith('c046-'))!;
    const sim = simulateSession(spec);
    const a = analyzeSession(sim.samples, { exercise: sim.meta.exercise, side: sim.meta.side });
    const T = sim.truth;
    expect(a.reps).toHaveLength(T.reps.length);
    const ratios = T.reps.map((t, k) => {
      let base = Number.NaN;
      let top = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < T.tTrueS.length; i++) {
        const x = T.tTrueS[i]!;
        if (Number.isNaN(base) && x >= t.startS) base = T.pelvisUpM[i]!;
        if (x >= t.startS && x <= t.endS) top = Math.max(top, T.pelvisUpM[i]!);
      }
      return a.reps[k]!.liftM! / (top - base);
    });
    expect(Math.min(...ratios)).toBeGreaterThan(0.75);
    expect(Math.max(...ratios)).toBeLessThan(1.35);
  });
});

describe('live: a thrust set begun with partial reps', () => {
  it('stops calling its full reps arched after two of them, by their lift (corpus c046, high-noise part)', () => {
    // Judged by range alone (the filter's lift was too noisy to ask), every full rep within 22° of the partial ones
    // read as arched live and was cued: 8 false arch cues in this set.
    const spec = corpusSpecs(1).find((s) => s.id?.startsWith('c046-'))!;
    const sim = simulateSession(spec);
    const a = analyzeSession(sim.samples, { exercise: sim.meta.exercise, side: sim.meta.side });
    const arched = (r: { startS: number; endS: number }) => {
      const mid = (r.startS + r.endS) / 2;
      return sim.truth.reps.find((t) => t.startS <= mid && mid <= t.endS)?.faults.some((f) => f.code === 'lumbar_arch');
    };
    const falseArch = a.live.reps.filter((r) => r.faults.includes('lumbar_arch') && !arched(r));
    const fullReps = a.live.reps.filter((r) => !r.faults.includes('partial_range') && !arched(r));
    expect(fullReps.length).toBeGreaterThan(6);
    expect(falseArch.length).toBeLessThanOrEqual(2);
  });
});
