import { decode } from '@hipcue/firmware-protocol';
import { describe, expect, it } from 'vitest';
import { DEG, type Quat, qangle, qconj, qmul, qnormalize, qrotate } from './quat.ts';
import { simulateSession } from './session.ts';
import type { SimSession } from './types.ts';

const quatAt = (q: Float32Array, k: number): Quat =>
  qnormalize([q[4 * k]!, q[4 * k + 1]!, q[4 * k + 2]!, q[4 * k + 3]!]);
const at = (s: SimSession, tS: number): number => Math.round(tS * s.meta.sampleRateHz);

/** Segment orientation q_E,segment = q_ES ⊗ q_segment,S*. */
function segment(qES: Float32Array, mounting: Quat, k: number): Quat {
  return qmul(quatAt(qES, k), qconj(mounting));
}

function maxGyroIntegrationErrorDeg(tS: Float64Array, g: Float64Array, qES: Float32Array): number {
  let q = quatAt(qES, 0);
  let maxErr = 0;
  for (let k = 1; k < tS.length; k++) {
    const dt = tS[k]! - tS[k - 1]!;
    const w = [0, 1, 2].map((i) => 0.5 * (g[3 * k - 3 + i]! + g[3 * k + i]!));
    const n = Math.hypot(w[0]!, w[1]!, w[2]!);
    const sn = n > 0 ? Math.sin((n * dt) / 2) / n : 0;
    q = qnormalize(qmul(q, [Math.cos((n * dt) / 2), w[0]! * sn, w[1]! * sn, w[2]! * sn]));
    maxErr = Math.max(maxErr, qangle(q, quatAt(qES, k)));
  }
  return maxErr / DEG;
}

describe('extra sensors (thigh, upper lumbar)', () => {
  it('are exact physics at zero noise and do not change the pelvis output', () => {
    const spec = { seed: 71, exercise: 'hip-thrust' as const, side: 'left' as const, noise: 'none' as const, reps: 6 };
    const plain = simulateSession(spec);
    const s = simulateSession({ ...spec, extraSensors: ['thigh', 'lumbar'] });
    expect(s.samples.gyrRadPerS).toEqual(plain.samples.gyrRadPerS);
    expect(s.extraSensors!.map((x) => x.placement)).toEqual(['thigh', 'lumbar']);
    for (const x of s.extraSensors!) {
      expect(maxGyroIntegrationErrorDeg(x.samples.tS, x.samples.gyrRadPerS, x.qES)).toBeLessThan(0.1);
      // at rest: 1 g along true gravity
      const q = quatAt(x.qES, 10);
      const up = qrotate(qconj(q), [0, 0, 9.80665]);
      for (let i = 0; i < 3; i++) expect(x.samples.accMps2[30 + i]!).toBeCloseTo(up[i]!, 4);
    }
  });

  it('merge every sensor into one delivery-ordered stream with their own ids and sequence numbers', () => {
    const s = simulateSession({
      seed: 72,
      exercise: 'clamshell',
      side: 'right',
      reps: 6,
      extraSensors: ['thigh', 'lumbar'],
    });
    const byId = new Map<string, number>();
    for (let i = 0; i < s.notifications.length; i++) {
      const n = s.notifications[i]!;
      if (i > 0 && n.hostTimeUs < s.notifications[i - 1]!.hostTimeUs) throw new Error(`host time went back at ${i}`);
      if (decode(n.bytes).type !== 'imu') throw new Error(`notification ${i} is not an IMU frame`);
      byId.set(n.sensorId, (byId.get(n.sensorId) ?? 0) + 1);
    }
    expect([...byId.keys()].sort()).toEqual(['sim-lumbar', 'sim-pelvis', 'sim-thigh']);
    const per = Math.ceil(s.samples.tS.length / s.meta.samplesPerNotification);
    for (const count of byId.values()) expect(count).toBe(per);
    expect(s.extraSensors![0]!.seqStart).not.toBe(s.meta.seqStart);
  });

  it('the lumbar sensor sees the thorax: the pelvis turns against it by exactly the lumbar arch', () => {
    const s = simulateSession({
      seed: 73,
      exercise: 'glute-bridge',
      side: 'right',
      noise: 'none',
      faults: { lumbar_arch: 0.5 },
      extraSensors: ['lumbar'],
    });
    const lum = s.extraSensors![0]!;
    const pelvisMount = s.meta.mountingQuat;
    let arches = 0;
    for (const r of s.truth.reps) {
      const k = at(s, r.endS - r.downS);
      const rel = qangle(segment(s.truth.qES, pelvisMount, k), segment(lum.qES, lum.mountingQuat, k)) / DEG;
      const f = r.faults[0];
      if (f?.code === 'lumbar_arch') {
        expect(rel).toBeCloseTo(f.magnitude, 1);
        arches++;
      } else expect(rel).toBeLessThan(0.01);
    }
    expect(arches).toBeGreaterThan(0);
  });

  it('the thigh sensor sees the clamshell: the thigh opens by the knee opening, whatever the pelvis does', () => {
    const s = simulateSession({
      seed: 74,
      exercise: 'clamshell',
      side: 'left',
      noise: 'none',
      faults: { pelvic_roll: 0.5 },
      extraSensors: ['thigh'],
    });
    const th = s.extraSensors![0]!;
    for (const r of s.truth.reps) {
      const a = segment(th.qES, th.mountingQuat, at(s, r.startS));
      const b = segment(th.qES, th.mountingQuat, at(s, r.peakS));
      expect(Math.abs(qangle(a, b) / DEG - r.kneeOpenDeg)).toBeLessThan(1);
    }
  });

  it('the thigh turns the other way from the pelvis in a bridge (the hip extends by more than the pelvis tilts)', () => {
    const s = simulateSession({
      seed: 75,
      exercise: 'glute-bridge',
      side: 'left',
      noise: 'none',
      extraSensors: ['thigh'],
    });
    const th = s.extraSensors![0]!;
    for (const r of s.truth.reps) {
      const k0 = at(s, r.startS);
      const k1 = at(s, r.peakS);
      const pelvis = qmul(
        qconj(segment(s.truth.qES, s.meta.mountingQuat, k0)),
        segment(s.truth.qES, s.meta.mountingQuat, k1),
      );
      const thigh = qmul(qconj(segment(th.qES, th.mountingQuat, k0)), segment(th.qES, th.mountingQuat, k1));
      // both rotations are about the same (pelvis x) axis, in opposite senses
      expect(pelvis[1] * thigh[1]).toBeLessThan(0);
      const thighDeg = qangle([1, 0, 0, 0], thigh) / DEG;
      expect(thighDeg).toBeGreaterThan(0.8 * r.romDeg);
      expect(thighDeg).toBeLessThan(1.4 * r.romDeg);
    }
  });
});
