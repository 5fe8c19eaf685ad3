/**
 * A small deterministic session for tests (here and in other packages): synthetic notification bytes with a
 * sequence number inside, events of every type, decoded angles and truth. Not the simulator — just bytes whose
 * origin a test can check.
 */

import type { ChunkedMcapWriterSettings } from '../ChunkedMcapWriter.ts';
import { MemorySink } from '../MemorySink.ts';
import { RecordingWriter } from '../RecordingWriter.ts';
import type { AngleSample, Notification, SessionEvent, SessionMeta, TimedEvent, TruthRep } from '../types.ts';

/** noble's form of the hipcue IMU data characteristic (firmware-protocol HIPCUE_UUIDS.imuData.noble). */
export const IMU_CHARACTERISTIC = '7a1e00024f8c4d6e9c2a686970637565';

/** mulberry32: a tiny seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sampleMeta: SessionMeta = {
  patient: 'P-0042',
  exercise: 'hip-thrust',
  side: 'left',
  sensors: [
    { sensorId: 'pelvis-1', role: 'pelvis', profile: 'hipcue-imu', firmware: '0.3.1' },
    { sensorId: 'thigh-1', role: 'thigh', profile: 'thingy52', firmware: '' },
  ],
  startedAt: '2026-11-23T19:00:00.000Z',
  source: 'sim',
  extra: { seed: '7' },
};

/** A notification whose first 4 bytes are its index (LE), the rest random; a jittered 20 ms period. */
export function syntheticNotification(index: number, hostTimeUs: number, rand: () => number): Notification {
  const bytes = new Uint8Array(8 + Math.floor(rand() * 24));
  new DataView(bytes.buffer).setUint32(0, index, true);
  for (let i = 4; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
  const sensorId = index % 5 === 4 ? 'thigh-1' : 'pelvis-1';
  return {
    hostTimeUs,
    sensorId,
    characteristic: IMU_CHARACTERISTIC,
    bytes,
    ...(index % 17 === 16 ? { backfill: true } : {}),
  };
}

export interface SampleSession {
  meta: SessionMeta;
  notifications: Notification[];
  events: TimedEvent[];
  angles: AngleSample[];
  truthReps: TruthRep[];
  truthAngles: AngleSample[];
}

/** `seconds` of session at 50 notifications/s, 4 angle samples/s and a few events of every type. */
export function sampleSession(seed: number, seconds: number): SampleSession {
  const rand = prng(seed);
  const t0 = 1_700_000_000_000_000;
  const notifications: Notification[] = [];
  for (let i = 0; i < seconds * 50; i++) {
    notifications.push(syntheticNotification(i, t0 + i * 20_000 + Math.floor(rand() * 3000), rand));
  }
  const angles: AngleSample[] = [];
  for (let i = 0; i < seconds * 4; i++) {
    const tS = i / 4;
    angles.push({ tS, tiltDeg: 20 * Math.sin(tS), obliquityDeg: rand() - 0.5, rotationDeg: 0.1 * i });
  }
  const kinds: SessionEvent[] = [
    { type: 'calibration', tS: 0.1, ok: true, message: 'hold was still', quatPelvisFromSensor: [1, 0, 0, 0] },
    { type: 'set_start', tS: 0.2, set: 1 },
    { type: 'rep', tS: 0.6, set: 1, rep: 1, startS: 0.2, endS: 0.6, faults: ['lumbar_arch'] },
    { type: 'fault', tS: 0.5, rep: 1, code: 'lumbar_arch', value: 12.5, threshold: 8 },
    { type: 'cue', tS: 0.55, code: 'ribs_down', text: 'Keep your ribs down' },
    { type: 'pain', tS: 0.7, rating: 3 },
    { type: 'note', tS: 0.8, text: 'good control', author: 'therapist' },
    { type: 'threshold', tS: 0.9, name: 'lumbar_arch.deg', value: 10 },
    { type: 'gap', tS: 1.0, sensorId: 'pelvis-1', fromUs: t0 + 1, toUs: t0 + 2, recovered: false },
    { type: 'backfill', tS: 1.1, sensorId: 'pelvis-1', fromUs: t0 + 3, toUs: t0 + 4, samples: 12 },
    { type: 'set_end', tS: 1.2, set: 1, reps: 1 },
  ];
  const events = kinds.map((event, i) => ({ hostTimeUs: t0 + Math.round(((i + 1) * seconds * 1e6) / 12), event }));
  const truthReps: TruthRep[] = [
    { set: 1, rep: 1, startS: 0.2, endS: 0.6, faults: [{ code: 'lumbar_arch', startS: 0.45 }] },
  ];
  const truthAngles = angles.map((a) => ({ ...a, tiltDeg: a.tiltDeg + 0.5 }));
  return { meta: sampleMeta, notifications, events, angles, truthReps, truthAngles };
}

/** Writes a sample session in host-time order to memory and returns the bytes. */
export async function writeSampleSession(
  s: SampleSession,
  settings: Partial<ChunkedMcapWriterSettings> = {},
  close = true,
): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = await RecordingWriter.create(sink, s.meta, settings);
  type Item = { t: number; write: () => Promise<void> };
  const t0 = s.notifications[0]?.hostTimeUs ?? 0;
  const items: Item[] = [
    ...s.notifications.map((n) => ({ t: n.hostTimeUs, write: () => writer.addNotification(n) })),
    ...s.events.map((e) => ({ t: e.hostTimeUs, write: () => writer.addEvent(e.hostTimeUs, e.event) })),
    ...s.angles.map((a) => ({
      t: t0 + Math.round(a.tS * 1e6),
      write: () => writer.addAngles(t0 + Math.round(a.tS * 1e6), a),
    })),
    ...s.truthReps.map((r) => ({
      t: t0 + Math.round(r.endS * 1e6),
      write: () => writer.addTruthRep(t0 + Math.round(r.endS * 1e6), r),
    })),
    ...s.truthAngles.map((a) => ({
      t: t0 + Math.round(a.tS * 1e6),
      write: () => writer.addTruthAngles(t0 + Math.round(a.tS * 1e6), a),
    })),
  ];
  items.sort((a, b) => a.t - b.t);
  for (const item of items) await item.write();
  if (close) await writer.close();
  else await writer.flush();
  return sink.bytes();
}
