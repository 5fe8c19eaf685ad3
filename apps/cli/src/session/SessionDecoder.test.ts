import { HIPCUE_UUIDS } from '@hipcue/firmware-protocol';
import { MemorySink, RecordingWriter, readRecording } from '@hipcue/recording';
import { simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { decodeAll } from './SessionDecoder.ts';
import { simMeta } from './simToRecording.ts';

const characteristic = HIPCUE_UUIDS.imuData.noble;

describe('SessionDecoder', () => {
  const sim = simulateSession({ seed: 5, exercise: 'glute-bridge', side: 'right', reps: 2, link: { lossRate: 0.02 } });
  const live = sim.notifications.map((n) => ({ ...n, characteristic }));

  it('decodes a recording sample for sample as it decodes the live notifications', async () => {
    const sink = new MemorySink();
    const writer = await RecordingWriter.create(sink, simMeta(sim));
    for (const n of live) void writer.addNotification(n);
    await writer.close();
    const r = readRecording(sink.bytes());
    if (!r.ok) throw new Error(r.message);
    const fromLive = decodeAll(live);
    const fromFile = decodeAll(r.notifications);
    expect(fromFile.samples).toEqual(fromLive.samples);
    expect(fromFile.outputs).toEqual(fromLive.outputs);
    expect(fromLive.outputs.some((o) => o.type === 'gap')).toBe(true); // 2 % loss: the gap path is exercised
  });

  it('gives back what the simulated sensor measured (lossless link)', () => {
    const clean = simulateSession({ seed: 6, exercise: 'clamshell', side: 'left', reps: 2 });
    const { samples } = decodeAll(clean.notifications.map((n) => ({ ...n, characteristic })));
    const list = [...samples.values()][0]!;
    expect(list.length).toBe(clean.samples.tS.length);
    for (let i = 0; i < list.length; i += 97) {
      const s = list[i]!;
      expect(s.tS).toBeCloseTo(clean.samples.tS[i]!, 6);
      for (let k = 0; k < 3; k++) {
        expect(s.gyrRadPerS[k]).toBeCloseTo(clean.samples.gyrRadPerS[3 * i + k]!, 9);
        expect(s.accMps2[k]).toBeCloseTo(clean.samples.accMps2[3 * i + k]!, 9);
      }
    }
  });

  it('reports bad bytes instead of throwing', () => {
    const { outputs } = decodeAll([
      { hostTimeUs: 1, sensorId: 'x', characteristic, bytes: new Uint8Array([0xff, 1, 2]) },
      { hostTimeUs: 2, sensorId: 'x', characteristic, bytes: new Uint8Array([]) },
    ]);
    expect(outputs.map((o) => o.type)).toEqual(['bad-notification', 'bad-notification']);
  });
});
