import { describe, expect, it } from 'vitest';
import { createRepDetector, type DetectedRep, type RepDetectorSettings } from './reps.ts';

const clamshellLike: Partial<RepDetectorSettings> = {
  minRangeDeg: 0.25,
  maxEnterDeg: 0.3,
  initialRangeDeg: 2,
  endOnSettle: true,
};

/** A smooth 0 → 1 step over [t0, t0 + d]. */
function ramp(t: number, t0: number, d: number): number {
  const x = Math.min(1, Math.max(0, (t - t0) / d));
  return 0.5 - 0.5 * Math.cos(Math.PI * x);
}

/**
 * 200 Hz: still rest; at 3 s the pelvis settles into a new pose (1.5° about the exercise's axis and 3° about the
 * others, no return); still again; at 8 s one clean rep (2° out and back about the axis only); still to 14 s.
 */
function run(settings: Partial<RepDetectorSettings>): DetectedRep[] {
  const reps = createRepDetector(settings);
  const found: DetectedRep[] = [];
  let prevA = 0;
  let poseMove = 0; // the off-axis pose when last still at rest (the pipeline's reference for offAxisDeg)
  for (let k = 0; k <= 14 * 200; k++) {
    const t = k / 200;
    const move = ramp(t, 3, 1.2);
    const out = ramp(t, 8, 1) - ramp(t, 10, 1);
    const a = 1.5 * move + 2 * out;
    const rate = k === 0 ? 0 : Math.abs(a - prevA) * 200;
    prevA = a;
    const still = rate < 0.05 && !(t > 3 && t < 4.2) && !(t > 8 && t < 11);
    const rep = reps.next(t, a, rate, still, 3 * Math.abs(move - poseMove));
    if (rep) found.push(rep);
    if (reps.atRest && still) poseMove = move;
  }
  return found;
}

describe('rep detector', () => {
  it('takes a move that turns the pelvis more off the exercise axis than on it for repositioning, not a rep', () => {
    const reps = run({ ...clamshellLike, maxOffAxisRatio: 1 });
    expect(reps.length).toBe(1);
    expect(reps[0]!.startS).toBeGreaterThan(7.5);
    expect(reps[0]!.rangeDeg).toBeGreaterThan(1.7);
    expect(reps[0]!.rangeDeg).toBeLessThan(2.3);
  });

  it('without the off-axis gate the move starts a "rep" (the gate is what tells them apart)', () => {
    const reps = run(clamshellLike);
    expect(reps[0]!.startS).toBeLessThan(4.5);
  });

  it('counts a small rep that starts just after the pelvis settles back from a big one', () => {
    // A 12° roll-back rep whose last 3° creep back slowly (it ends on settling, before it is all the way down),
    // then at once a good 1.5° rep: it starts below where the first one ended.
    const reps = createRepDetector({ ...clamshellLike, maxOffAxisRatio: 1 });
    const found: DetectedRep[] = [];
    let prevA = 0;
    for (let k = 0; k <= 12 * 200; k++) {
      const t = k / 200;
      const big = 9 * (ramp(t, 2, 1) - ramp(t, 4, 0.8)) + 3 * (ramp(t, 2, 1) - ramp(t, 4.8, 1.2));
      const small = 1.5 * (ramp(t, 6.1, 1) - ramp(t, 7.9, 1));
      const a = big + small;
      const rate = k === 0 ? 0 : Math.abs(a - prevA) * 200;
      prevA = a;
      const rep = reps.next(t, a, rate, rate < 0.05, 0);
      if (rep) found.push({ ...rep }); // (the detector reuses its result object)
    }
    expect(found.length).toBe(2);
    expect(found[1]!.startS).toBeGreaterThan(5.8);
    expect(found[1]!.rangeDeg).toBeGreaterThan(1.2);
  });

  it('counts a slow bridge once: the tail of a slow lowering is not a new rep', () => {
    // 2 s up, 3 s hold, 4 s down (a patient told to go slowly): three 30° reps, then one arched to 45°. The last
    // 30 % of its lowering is slow enough to end it below the exit level before it is down, and what was left, more
    // than the 30° reps' enter level, started a "rep" at once (up 0 s, ~8°): 21 reps for 15 in a simulated slow set.
    const reps = createRepDetector({ minRangeDeg: 4, initialRangeDeg: 20, minRepS: 0.4 });
    const found: DetectedRep[] = [];
    let prevA = 0;
    for (let k = 0; k <= 52 * 200; k++) {
      const t = k / 200;
      let a = 0;
      for (const [t0, deg] of [
        [2, 30],
        [14, 30],
        [26, 30],
        [38, 45],
      ] as const)
        a += deg * (ramp(t, t0, 2) - ramp(t, t0 + 5, 4));
      const rate = k === 0 ? 0 : (a - prevA) * 200;
      prevA = a;
      const rep = reps.next(t, a, rate, Math.abs(rate) < 3, 0);
      if (rep) found.push({ ...rep });
    }
    expect(found.map((r) => Math.round(r.rangeDeg))).toEqual([30, 30, 30, 45]);
  });

  it('counts a slow partial side-plank lift that the stillness detector calls still', () => {
    // Full lifts of 18°, then a partial one of 6° raised over 4 s (1.5–2.4 °/s, under a 3 °/s stillness limit),
    // held, lowered over 4 s. A baseline that follows the signal at rest (τ 1.5 s) rises with the lift and keeps it under
    // the entry level; following 4× slower while the pelvis turns > 1 °/s leaves the lift to be seen.
    const lifts = (settings: Partial<RepDetectorSettings>) => {
      const reps = createRepDetector({ minRangeDeg: 4, initialRangeDeg: 15, exitFraction: 0.15, ...settings });
      const found: DetectedRep[] = [];
      let prevA = 0;
      for (let k = 0; k <= 50 * 200; k++) {
        const t = k / 200;
        let a = 0;
        for (const t0 of [2, 10, 18]) a += 18 * (ramp(t, t0, 1) - ramp(t, t0 + 3, 1.2));
        a += 6 * (ramp(t, 30, 4) - ramp(t, 37, 4));
        const rate = k === 0 ? 0 : (a - prevA) * 200;
        prevA = a;
        const rep = reps.next(t, a, rate, Math.abs(rate) < 3, 0);
        if (rep) found.push({ ...rep });
      }
      return found.map((r) => r.rangeDeg);
    };
    const slowFollow = lifts({ movingFollowFactor: 4 });
    expect(slowFollow.length).toBe(4);
    expect(slowFollow[3]).toBeGreaterThan(4);
    expect(lifts({}).length).toBe(3);
  });

  it('a noisy gyro does not slow the baseline at rest: the next rep starts where it rises', () => {
    // Bridges of 20°; the first comes down 4° short of its start pose and rests there 3 s. The rate about the axis
    // carries white noise of σ 2 °/s (a noisy sensor lying still), over the 1 °/s that slows the baseline on most
    // samples. Judged on the raw rate, the baseline followed the new rest 4× slower (τ 6 s), was still over 5 % of
    // the peak behind when the next rep rose, and that rep's start ran back to the first one's end (2.8 s early).
    const reps = createRepDetector({ minRangeDeg: 4, initialRangeDeg: 20, minRepS: 0.4, movingFollowFactor: 4 });
    const found: DetectedRep[] = [];
    let seed = 7;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const gauss = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    let prevA = 0;
    for (let k = 0; k <= 16 * 200; k++) {
      const t = k / 200;
      const a = 20 * ramp(t, 2, 1) - 16 * ramp(t, 4, 1) + 20 * ramp(t, 8, 1) - 20 * ramp(t, 10, 1);
      const clean = k === 0 ? 0 : (a - prevA) * 200;
      prevA = a;
      const rep = reps.next(t, a, clean + 2 * gauss(), Math.abs(clean) < 3, 0);
      if (rep) found.push({ ...rep });
    }
    expect(found).toHaveLength(2);
    expect(found[1]!.startS).toBeGreaterThan(7.8);
    expect(found[1]!.upS).toBeLessThan(1.3);
  });

  it("counts a stiff person's partial bridge: the floor comes down with their range", () => {
    // 12° bridges (stiff hips: half a usual range), then a partial one of 3.5° — under the usual 4° floor.
    const counted = (settings: Partial<RepDetectorSettings>) => {
      const reps = createRepDetector({ minRangeDeg: 4, initialRangeDeg: 20, minRepS: 0.4, ...settings });
      let n = 0;
      let prevA = 0;
      for (let k = 0; k <= 30 * 200; k++) {
        const t = k / 200;
        let a = 0;
        for (const t0 of [2, 7, 12, 17]) a += 12 * (ramp(t, t0, 1) - ramp(t, t0 + 2, 1));
        a += 3.5 * (ramp(t, 22, 1) - ramp(t, 24, 1));
        const rate = k === 0 ? 0 : (a - prevA) * 200;
        prevA = a;
        if (reps.next(t, a, rate, Math.abs(rate) < 3, 0)) n++;
      }
      return n;
    };
    expect(counted({ floorFraction: 0.2 })).toBe(5);
    expect(counted({})).toBe(4);
  });
});

describe('a baseline taken at the top of a rep (thrust, bridge)', () => {
  // The simulated demo's 15th set: a start pose 14° off the last set's, a movement too long for a rep, and the
  // re-baselining after it at the next still moment, a 2 s hold at the top. The 1 s rests at the bottom are never
  // still for the stillness detector, so the baseline stayed at the top and only arches above it counted.
  function run(settings: Partial<RepDetectorSettings>): DetectedRep[] {
    const reps = createRepDetector({ minRangeDeg: 4, initialRangeDeg: 20, movingFollowFactor: 4, ...settings });
    const found: DetectedRep[] = [];
    let prevA = 30;
    // 200 Hz: held still at the top (30°) for 2 s, down to 0°, then 6 reps of 30° (1 s up, 2 s held, 1 s down, 1 s rest)
    for (let k = 0; k <= 34 * 200; k++) {
      const t = k / 200;
      let a = 30 * (1 - ramp(t, 2, 1));
      for (let r = 0; r < 6; r++) a += 30 * (ramp(t, 4 + 5 * r, 1) - ramp(t, 7 + 5 * r, 1));
      const rate = (a - prevA) * 200;
      prevA = a;
      const still = t < 2 || (a > 29.9 && Math.abs(rate) < 0.05);
      const rep = reps.next(t, a, rate, still);
      if (rep) found.push(rep);
    }
    return found;
  }

  it('is re-zeroed at the bottom once the pelvis rests there: every rep counts, with its whole range', () => {
    const found = run({ restIsLowest: true });
    expect(found).toHaveLength(6);
    for (const r of found) expect(r.rangeDeg).toBeGreaterThan(29);
  });

  it('without it (a side plank, whose rest rolls) the baseline stays at the top and no rep counts', () => {
    expect(run({ restIsLowest: false })).toHaveLength(0);
  });
});
