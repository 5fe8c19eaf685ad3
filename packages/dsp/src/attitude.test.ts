import { describe, expect, it } from 'vitest';
import { createAttitude } from './attitude.ts';

const G = 9.80665;
const DEG = Math.PI / 180;

/** Inclination of the estimate: the angle between its predicted up (sensor frame) and sensor +z, degrees. */
function inclinationDeg(q: Float64Array): number {
  const [w, x, y, z] = q as unknown as [number, number, number, number];
  const upZ = w * w - x * x - y * y + z * z;
  return Math.acos(Math.min(1, upZ)) / DEG;
}

/** `s` seconds at rest at 200 Hz, no rotation seen by the gyro, the accelerometer reading `acc`. */
function rest(att: ReturnType<typeof createAttitude>, s: number, acc: [number, number, number]): void {
  for (let i = 0; i < 200 * s; i++) att.next(0.005, 0, 0, 0, acc[0], acc[1], acc[2]);
}

describe('attitude tracker: gravity correction', () => {
  it('corrects a tilt error at rest on a sensor that reads gravity 0.2 g high, once aligned on its own reading', () => {
    // An accelerometer offset along gravity puts the resting |acc| at 11.7 m/s²: more than the 1.5 m/s² rejection
    // from standard gravity, so against 9.81 every sample would be rejected and the tracker run on the gyro alone.
    const g = 11.7;
    const att = createAttitude();
    att.align(0, 0, g);
    // the sensor now rests 10° from where the estimate is (a drift the gyro did not report)
    rest(att, 10, [g * Math.sin(10 * DEG), 0, g * Math.cos(10 * DEG)]);
    expect(inclinationDeg(att.q)).toBeGreaterThan(9.5);
  });

  it('still rejects movement acceleration: |acc| 2 m/s² off the sensor’s own gravity is not used', () => {
    const att = createAttitude();
    att.align(0, 0, G);
    rest(att, 10, [(G + 2) * Math.sin(10 * DEG), 0, (G + 2) * Math.cos(10 * DEG)]);
    expect(inclinationDeg(att.q)).toBeLessThan(0.01);
  });

  it('keeps standard gravity when the aligning reading is implausible, and after a reset', () => {
    const tilted: [number, number, number] = [G * Math.sin(10 * DEG), 0, G * Math.cos(10 * DEG)];
    const att = createAttitude();
    att.align(0, 0, 20); // not gravity (calibrator.ts refuses it too)
    rest(att, 10, tilted);
    expect(inclinationDeg(att.q)).toBeGreaterThan(9.5);
    att.align(0, 0, 11.7);
    att.reset();
    rest(att, 0.005, [0, 0, G]); // restarts from this sample's gravity
    rest(att, 10, tilted);
    expect(inclinationDeg(att.q)).toBeGreaterThan(9.5);
  });
});
