import { HIPCUE_UUIDS } from '@hipcue/firmware-protocol';
import type { SessionMeta } from '@hipcue/recording';
import { openRecordingFile, type RecordingFile } from '@hipcue/recording/node';
import type { SimSession } from '@hipcue/sim';

export interface SimWriteOptions {
  /** Truth angles per second kept in the file (0 = every sample). */
  truthHz: number;
  fsync: boolean;
}

export function simMeta(sim: SimSession): SessionMeta {
  const m = sim.meta;
  const firstUs = sim.notifications[0]?.hostTimeUs ?? 0;
  const extraIds = new Set((sim.extraSensors ?? []).map((x) => x.sensorId));
  return {
    patient: `sim-${m.seed}`,
    exercise: m.exercise,
    side: m.side,
    sensors: [
      {
        // (with extra sensors the first notification may be theirs)
        sensorId: sim.notifications.find((n) => !extraIds.has(n.sensorId))?.sensorId ?? 'sim-pelvis',
        role: 'pelvis',
        profile: 'hipcue-imu',
        firmware: `sim (${m.imu.model})`,
      },
      ...(sim.extraSensors ?? []).map((x) => ({
        sensorId: x.sensorId,
        role: x.placement,
        profile: 'hipcue-imu',
        firmware: `sim (${m.imu.model})`,
      })),
    ],
    startedAt: new Date(Math.floor(firstUs / 1000)).toISOString(),
    source: 'sim',
    extra: {
      id: m.id,
      seed: String(m.seed),
      noise: m.noise,
      sampleRateHz: String(m.sampleRateHz),
      mountingQuat: JSON.stringify(m.mountingQuat),
      lossRate: String(m.lossRate),
      durationS: String(m.durationS),
      truthSets: JSON.stringify(sim.truth.sets),
      truthCalibration: JSON.stringify(sim.truth.calibration),
      ...(m.disconnect ? { disconnect: JSON.stringify(m.disconnect) } : {}),
    },
  };
}

/**
 * Writes a simulated session as a recording: the notifications exactly as the simulated link delivered them,
 * plus ground truth (per-rep labels with every field the simulator gives, and pelvis angles on the sensor clock).
 * Truth is stamped with the host time of the sample it describes, so viewers show it in step with the data.
 */
export async function writeSimRecording(path: string, sim: SimSession, options: SimWriteOptions): Promise<void> {
  const file: RecordingFile = await openRecordingFile(path, simMeta(sim), { fsync: options.fsync, flushIntervalMs: 0 });
  try {
    const { tS } = sim.samples;
    const { tiltDeg, obliquityDeg, rotationDeg } = sim.truth;
    const firstUs = sim.notifications[0]?.hostTimeUs ?? 0;
    const hostUs = (t: number) => firstUs + Math.round(t * 1e6);
    const characteristic = HIPCUE_UUIDS.imuData.noble;
    const step = options.truthHz > 0 ? Math.max(1, Math.round(sim.meta.sampleRateHz / options.truthHz)) : 1;
    const w = file.writer;
    let next = 0;
    const writeTruthUntil = (untilUs: number) => {
      for (; next < tS.length && hostUs(tS[next]!) <= untilUs; next += step) {
        const t = tS[next]!;
        void w.addTruthAngles(hostUs(t), {
          tS: t,
          tiltDeg: tiltDeg[next]!,
          obliquityDeg: obliquityDeg[next]!,
          rotationDeg: rotationDeg[next]!,
        });
      }
    };
    const reps = [...sim.truth.reps].sort((a, b) => a.endS - b.endS);
    let nextRep = 0;
    for (const n of sim.notifications) {
      writeTruthUntil(n.hostTimeUs);
      for (; nextRep < reps.length && hostUs(reps[nextRep]!.endS) <= n.hostTimeUs; nextRep++) {
        const r = reps[nextRep]!;
        void w.addTruthRep(hostUs(r.endS), { ...r, rep: r.index });
      }
      void w.addNotification({ hostTimeUs: n.hostTimeUs, sensorId: n.sensorId, characteristic, bytes: n.bytes });
    }
    writeTruthUntil(Number.POSITIVE_INFINITY);
    for (const r of reps.slice(nextRep)) void w.addTruthRep(hostUs(r.endS), { ...r, rep: r.index });
  } finally {
    await file.close();
  }
}
