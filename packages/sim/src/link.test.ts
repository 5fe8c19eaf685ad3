import { accLsbMps2, decode, gyrLsbRadPerS, quantize, samplePeriodUs, toPhysical } from '@hipcue/firmware-protocol';
import { describe, expect, it } from 'vitest';
import { GilbertElliott } from './link.ts';
import { Rng } from './prng.ts';
import { simulateSession } from './session.ts';
import type { NoiseLevel, SimSession } from './types.ts';

function concatNotifications(s: SimSession): string {
  return s.notifications.map((n) => `${n.hostTimeUs}:${n.sensorId}:${Buffer.from(n.bytes).toString('hex')}`).join('\n');
}

describe('link: notifications through the real codec', () => {
  it.each(['typical', 'none', 'high'] as NoiseLevel[])(
    'decoding gives back the sensor samples exactly (%s)',
    (noise) => {
      const s = simulateSession({
        seed: 31,
        exercise: 'clamshell',
        side: 'right',
        noise,
        reps: 6,
        link: { attMtu: 185 },
      });
      const accLsb = accLsbMps2(s.meta.imu.accRangeCode as 0 | 1 | 2 | 3);
      const gyrLsb = gyrLsbRadPerS(s.meta.imu.gyrRangeCode as 0 | 1 | 2 | 3 | 4);
      const { tS, accMps2, gyrRadPerS } = s.samples;
      let seen = 0;
      let firstTime: number | undefined;
      const mismatches: string[] = [];
      for (const n of s.notifications) {
        const f = decode(n.bytes);
        if (f.type !== 'imu') throw new Error(`not an IMU frame: ${f.type}`);
        expect(f.rateCode).toBe(s.meta.imu.rateCode);
        for (const p of toPhysical(f)) {
          const k = (p.seq - s.meta.seqStart) & 0xffff;
          firstTime ??= p.sensorTimeUs;
          // sensor time: the frames carry the clock; tS is it relative to the first sample (uint32 wrap handled)
          if ((p.sensorTimeUs - firstTime + 2 ** 32) % 2 ** 32 !== Math.round(tS[k]! * 1e6)) mismatches.push(`t ${k}`);
          for (let i = 0; i < 3; i++) {
            const a = accMps2[3 * k + i]!;
            const g = gyrRadPerS[3 * k + i]!;
            // quantized samples ('typical', 'high') come back bit-exact; exact physics ('none') comes back quantized
            if (p.accMps2[i] !== (noise === 'none' ? quantize(a, accLsb) * accLsb : a))
              mismatches.push(`acc ${k}.${i}`);
            if (p.gyrRadPerS[i] !== (noise === 'none' ? quantize(g, gyrLsb) * gyrLsb : g))
              mismatches.push(`gyr ${k}.${i}`);
          }
          seen++;
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(seen).toBe(tS.length);
      expect(s.meta.samplesPerNotification).toBe(8); // 40 ms at 200 Hz (PROTOCOL.md § Packing)
    },
  );

  it('packs as many samples as the MTU allows when asked, and 1 per notification at the minimum MTU', () => {
    const big = simulateSession({
      seed: 32,
      exercise: 'hip-thrust',
      side: 'left',
      reps: 6,
      link: { attMtu: 247, samplesPerNotification: 100 },
    });
    expect(big.meta.samplesPerNotification).toBe(19);
    expect(big.notifications[0]!.bytes.length).toBeLessThanOrEqual(247 - 3);
    const small = simulateSession({ seed: 32, exercise: 'hip-thrust', side: 'left', reps: 6, link: { attMtu: 23 } });
    expect(small.meta.samplesPerNotification).toBe(1);
    expect(small.notifications.length).toBe(small.samples.tS.length);
    expect(Math.max(...small.notifications.map((n) => n.bytes.length))).toBeLessThanOrEqual(20);
  });

  it('host receive times are non-decreasing, batched at connection events, and after the samples exist', () => {
    const s = simulateSession({
      seed: 33,
      exercise: 'glute-bridge',
      side: 'left',
      reps: 6,
      link: { connectionIntervalMs: 30 },
    });
    const host = s.notifications.map((n) => n.hostTimeUs);
    expect(host.every((h, i) => i === 0 || h >= host[i - 1]!)).toBe(true);
    const period = samplePeriodUs(s.meta.imu.rateCode as 4);
    // latency from the last sample of a frame to the host: positive, at most one interval plus stack latency
    const N = s.meta.samplesPerNotification;
    const lat = s.notifications.map(
      (n, j) =>
        n.hostTimeUs - s.meta.hostStartUs - s.truth.tTrueS[Math.min(j * N + N, s.truth.tTrueS.length) - 1]! * 1e6,
    );
    expect(Math.min(...lat)).toBeGreaterThan(0);
    expect(Math.max(...lat)).toBeLessThan(30_000 + 12_000);
    expect(period).toBe(5000);
  });

  it('is deterministic: same seed, byte-identical notifications; different seed, different bytes', () => {
    const spec = {
      seed: 34,
      exercise: 'side-plank-clamshell' as const,
      side: 'left' as const,
      link: { lossRate: 0.05 },
    };
    const a = concatNotifications(simulateSession(spec));
    expect(concatNotifications(simulateSession(spec))).toBe(a);
    expect(concatNotifications(simulateSession({ ...spec, seed: 35 }))).not.toBe(a);
  });
});

describe('range clipping', () => {
  it('a rushed thrust at ±125 °/s saturates the gyro at int16 full scale, in the samples and in the frames', () => {
    const s = simulateSession({
      seed: 37,
      exercise: 'hip-thrust',
      side: 'left',
      reps: 6,
      gyrRangeDps: 125,
      accRangeG: 2,
      faults: { rushed_tempo: 1 },
    });
    expect(s.meta.imu.gyrRangeDps).toBe(125);
    expect(s.meta.imu.accRangeG).toBe(2);
    const lsb = gyrLsbRadPerS(0);
    let atMax = 0;
    let beyond = 0;
    for (const g of s.samples.gyrRadPerS) {
      if (g === 32767 * lsb || g === -32768 * lsb) atMax++;
      if (g > 32767 * lsb || g < -32768 * lsb) beyond++;
    }
    expect(atMax).toBeGreaterThan(10);
    expect(beyond).toBe(0);
    const f = decode(s.notifications[0]!.bytes);
    expect(f.type === 'imu' && f.gyrRangeCode === 0 && f.accRangeCode === 0).toBe(true);
  });
});

describe('magnetometer', () => {
  it('measures the earth field in the sensor frame and travels in the frames (MAG flag) bit-exact', () => {
    const s = simulateSession({
      seed: 36,
      exercise: 'glute-bridge',
      side: 'left',
      reps: 6,
      magnetometer: true,
      noise: 'none',
    });
    const m = s.samples.magUt!;
    expect(m.length).toBe(3 * s.samples.tS.length);
    for (let k = 0; k < s.samples.tS.length; k += 97) {
      expect(Math.hypot(m[3 * k]!, m[3 * k + 1]!, m[3 * k + 2]!)).toBeCloseTo(Math.hypot(19, 45), 9);
    }
    const typical = simulateSession({ seed: 36, exercise: 'glute-bridge', side: 'left', reps: 6, magnetometer: true });
    let mismatches = 0;
    for (const n of typical.notifications) {
      const f = decode(n.bytes);
      if (f.type !== 'imu' || !f.mag) throw new Error('expected an IMU frame with magnetometer data');
      for (const p of toPhysical(f)) {
        const k = (p.seq - typical.meta.seqStart) & 0xffff;
        for (let i = 0; i < 3; i++) if (p.magUt![i] !== typical.samples.magUt![3 * k + i]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe('loss', () => {
  it('Gilbert–Elliott reaches the configured loss rate and mean burst length', () => {
    for (const [rate, burst] of [
      [0.05, 1.5],
      [0.1, 4],
      [0.02, 1],
    ] as const) {
      const ge = new GilbertElliott(new Rng(41), rate, burst);
      const n = 400_000;
      let lost = 0;
      let bursts = 0;
      let prev = false;
      for (let i = 0; i < n; i++) {
        const l = ge.nextLost();
        if (l) lost++;
        if (l && !prev) bursts++;
        prev = l;
      }
      expect(Math.abs(lost / n - rate)).toBeLessThan(0.1 * rate);
      expect(Math.abs(lost / bursts - burst)).toBeLessThan(0.1 * burst);
    }
  });

  it('a session loses about the configured fraction of notifications, and every sample of a disconnect window', () => {
    const s = simulateSession({
      seed: 42,
      exercise: 'hip-thrust',
      side: 'right',
      reps: 12,
      link: { attMtu: 23, lossRate: 0.08, meanBurstLength: 2, disconnect: { startS: 10, durationS: 3 } },
    });
    const n = s.samples.tS.length;
    const got = new Set<number>();
    for (const x of s.notifications) {
      const f = decode(x.bytes);
      if (f.type === 'imu') got.add((f.seq - s.meta.seqStart) & 0xffff);
    }
    let inWindow = 0;
    let lostOutside = 0;
    let outside = 0;
    for (let k = 0; k < n; k++) {
      const t = s.truth.tTrueS[k]!;
      if (t >= 10.001 && t < 12.999) {
        expect(got.has(k)).toBe(false);
        inWindow++;
      } else if (t < 9.9 || t > 13.1) {
        outside++;
        if (!got.has(k)) lostOutside++;
      }
    }
    expect(inWindow).toBeGreaterThan(590);
    expect(Math.abs(lostOutside / outside - 0.08)).toBeLessThan(0.025);
  });
});
