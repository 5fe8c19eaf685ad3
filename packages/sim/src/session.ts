import {
  type AccRangeCode,
  accLsbMps2,
  accRangeG,
  type GyrRangeCode,
  gyrLsbRadPerS,
  gyrRangeDps,
  MAG_LSB_UT,
  maxSamplesPerFrame,
  type RateCode,
  rateCodeForHz,
} from '@hipcue/firmware-protocol';
import { buildBody, randomMounting } from './body.ts';
import { lumbarChain, thighChain } from './extraSensors.ts';
import { applyImuModel, type ImuErrorModel, imuModelFor } from './imu.ts';
import { type LinkModel, runLink } from './link.ts';
import { pelvisAngles, sampleMotion } from './motion.ts';
import { drawPerson } from './person.ts';
import { Rng } from './prng.ts';
import { DEG, type Quat, qnormalize } from './quat.ts';
import { buildTimeline } from './timeline.ts';
import type { ExtraSensorData, LinkSpec, NoiseLevel, Notification, SessionSpec, SimSession } from './types.ts';
import { validateSpec } from './validateSpec.ts';

export const DEFAULT_ACC_RANGE_CODE: AccRangeCode = 1; // ±4 g
export const DEFAULT_GYR_RANGE_CODE: GyrRangeCode = 2; // ±500 °/s

/**
 * Simulates one session: calibration hold, sets of reps, what the IMU outputs and what the gateway receives.
 * Deterministic: the same spec gives byte-identical output. Throws RangeError naming every invalid field (check
 * specs from outside with `validateSpec` first).
 */
export function simulateSession(spec: SessionSpec): SimSession {
  const problems = validateSpec(spec);
  if (problems.length > 0) throw new RangeError(`invalid session spec: ${problems.map((p) => p.message).join('; ')}`);
  const fs = spec.sampleRateHz ?? 200;
  const rateCode = rateCodeForHz(fs) as RateCode;
  const noise = spec.noise ?? 'typical';
  const root = new Rng(spec.seed);
  const kin = root.fork('kinematics');
  // the person (and how they lie) from their own seed when given; from `kin`, in the same order as ever, when not
  const who = spec.personSeed === undefined ? kin : new Rng(spec.personSeed).fork('kinematics');
  const drawn = drawPerson(spec.exercise, who.fork('person'));
  const k = spec.tempoScale ?? 1;
  const r = spec.romScale ?? 1;
  // a slower or quicker person: each phase and the pause between reps scaled; a stiffer or looser one: the range
  // (and a clamshell's knee opening and counter-roll with it); everything else as drawn
  const person =
    k === 1 && r === 1
      ? drawn
      : {
          ...drawn,
          upS: drawn.upS * k,
          holdS: drawn.holdS * k,
          downS: drawn.downS * k,
          restS: drawn.restS * k,
          romDeg: drawn.romDeg * r,
          kneeOpenDeg: drawn.kneeOpenDeg * r,
          counterRollDeg: drawn.counterRollDeg * r,
        };
  const timeline = buildTimeline(spec.exercise, person, spec, kin.fork('timeline'));
  // a thrust starts where the bench puts the pelvis, whatever range the hips then have
  const startTilt = spec.exercise === 'hip-thrust' ? -drawn.romDeg * DEG + who.normal() * 3 * DEG : 0;
  const body = buildBody(spec.exercise, spec.side, who.fork('body'), startTilt);
  const mounting: Quat = spec.mountingQuat ? qnormalize(spec.mountingQuat) : randomMounting(root.fork('mounting'));

  const model = imuModelFor(noise);
  const sensorRng = root.fork('sensor');
  // the IMU's oscillator sets the true sample period
  const odrError = model.odrError * sensorRng.normal();
  const dt = 1 / (fs * (1 + odrError));
  const n = Math.floor(timeline.durationS / dt) + 1;
  const accCode =
    spec.accRangeG === undefined ? DEFAULT_ACC_RANGE_CODE : (Math.log2(spec.accRangeG / 2) as AccRangeCode);
  const gyrCode =
    spec.gyrRangeDps === undefined ? DEFAULT_GYR_RANGE_CODE : (Math.log2(spec.gyrRangeDps / 125) as GyrRangeCode);

  const motion = sampleMotion(timeline, body, mounting, n, dt, spec.magnetometer === true);
  const lsb = { gyrRadPerS: gyrLsbRadPerS(gyrCode), accMps2: accLsbMps2(accCode), magUt: MAG_LSB_UT };
  const sensor = applyImuModel(model, motion, fs, lsb, sensorRng);

  const kCal = Math.min(n - 1, Math.round(timeline.calibration.endS / dt));
  const angles = pelvisAngles(motion.qEP, kCal);
  const pelvisUpM = new Float32Array(n);
  for (let k = 0; k < n; k++) pelvisUpM[k] = motion.heightM[k]! - motion.heightM[kCal]!;

  const withMag = sensor.magUt !== undefined;
  const link = resolveLink(spec.link ?? {}, noise, model, rateCode, accCode, gyrCode, withMag, root.fork('link'));
  const out = runLink(link.model, motion.tTrueS, sensor.accMps2, sensor.gyrRadPerS, sensor.magUt, link.rng);

  // extra sensors: same person, same true sample instants, each its own device (mounting, errors, clock, seq)
  const extra: ExtraSensorData[] = [];
  const streams: Notification[][] = [out.notifications];
  for (const placement of [...new Set(spec.extraSensors ?? [])]) {
    const r = root.fork(`extra-${placement}`);
    const chain =
      placement === 'lumbar'
        ? lumbarChain(body, r.fork('chain'))
        : thighChain(body, spec.exercise, timeline, r.fork('chain'));
    const mountingX = randomMounting(r.fork('mounting'));
    const mo = sampleMotion(timeline, chain, mountingX, n, dt, withMag);
    const sx = applyImuModel(model, mo, fs, lsb, r.fork('sensor'));
    // same link settings, its own clock and sequence numbers, the host's clock
    const { seqStart: _seq, sensorTimeStartUs: _time, ...shared } = spec.link ?? {};
    const xSpec: LinkSpec = { ...shared, hostStartUs: link.model.hostStartUs, sensorId: `sim-${placement}` };
    const xLink = resolveLink(xSpec, noise, model, rateCode, accCode, gyrCode, withMag, r.fork('link'));
    const xo = runLink(xLink.model, mo.tTrueS, sx.accMps2, sx.gyrRadPerS, sx.magUt, xLink.rng);
    streams.push(xo.notifications);
    extra.push({
      placement,
      sensorId: xLink.model.sensorId,
      mountingQuat: mountingX,
      leverArmM: chain.leverArmM,
      seqStart: xLink.model.seqStart,
      sensorTimeStartUs: xLink.model.sensorTimeStartUs % 2 ** 32,
      samples: {
        tS: xo.tS,
        gyrRadPerS: sx.gyrRadPerS,
        accMps2: sx.accMps2,
        ...(sx.magUt ? { magUt: sx.magUt } : {}),
      },
      qES: mo.qES,
    });
  }

  return {
    meta: {
      id: spec.id ?? `sim-${spec.exercise}-${spec.side}-${spec.seed}`,
      exercise: spec.exercise,
      side: spec.side,
      seed: spec.seed,
      sampleRateHz: fs,
      noise,
      mountingQuat: mounting,
      leverArmM: body.leverArmM,
      imu: {
        model: model.name,
        accRangeCode: accCode,
        gyrRangeCode: gyrCode,
        rateCode,
        accRangeG: accRangeG(accCode),
        gyrRangeDps: gyrRangeDps(gyrCode),
        gyrBiasRadPerS: sensor.gyrBiasRadPerS,
        accBiasMps2: sensor.accBiasMps2,
        odrErrorRatio: odrError,
      },
      personRomDeg: person.romDeg,
      samplesPerNotification: link.model.samplesPerFrame,
      attMtu: link.attMtu,
      connectionIntervalMs: link.model.connectionIntervalMs,
      lossRate: link.model.lossRate,
      ...(link.model.disconnect ? { disconnect: link.model.disconnect } : {}),
      sensorTimeStartUs: link.model.sensorTimeStartUs % 2 ** 32,
      seqStart: link.model.seqStart,
      hostStartUs: link.model.hostStartUs,
      durationS: timeline.durationS,
    },
    samples: {
      tS: out.tS,
      gyrRadPerS: sensor.gyrRadPerS,
      accMps2: sensor.accMps2,
      ...(sensor.magUt ? { magUt: sensor.magUt } : {}),
    },
    truth: {
      reps: timeline.reps,
      sets: timeline.sets,
      calibration: timeline.calibration,
      tTrueS: motion.tTrueS,
      ...angles,
      faultDeviationDeg: motion.faultDeviationDeg,
      pelvisUpM,
      qES: motion.qES,
    },
    notifications: streams.length === 1 ? out.notifications : mergeByHostTime(streams),
    ...(extra.length > 0 ? { extraSensors: extra } : {}),
  };
}

/** Merges per-sensor notification streams (each in delivery order) by host time; ties keep stream order. */
function mergeByHostTime(streams: Notification[][]): Notification[] {
  const tagged = streams.flatMap((ns, si) => ns.map((x, i) => ({ x, si, i })));
  tagged.sort((a, b) => a.x.hostTimeUs - b.x.hostTimeUs || a.si - b.si || a.i - b.i);
  return tagged.map((t) => t.x);
}

/** Resolves `spec.link` against the defaults of README § Link, drawing unset clocks from the link stream. */
function resolveLink(
  l: LinkSpec,
  noise: NoiseLevel,
  imu: ImuErrorModel,
  rateCode: RateCode,
  accCode: AccRangeCode,
  gyrCode: GyrRangeCode,
  withMag: boolean,
  rng: Rng,
): { model: LinkModel; attMtu: number; rng: Rng } {
  const fs = 12.5 * 2 ** rateCode;
  const attMtu = l.attMtu ?? 247;
  const maxN = maxSamplesPerFrame(attMtu, withMag);
  if (maxN < 1) throw new RangeError(`attMtu ${attMtu} cannot carry one sample${withMag ? ' with magnetometer' : ''}`);
  const ciMs = l.connectionIntervalMs ?? 15;
  const clockPpm = noise === 'none' ? 0 : (noise === 'high' ? 60 : 20) * rng.normal();
  const model: LinkModel = {
    // PROTOCOL.md § Packing: a frame goes out when it holds N samples or its oldest is 40 ms old
    samplesPerFrame: Math.min(maxN, Math.max(1, l.samplesPerNotification ?? Math.floor(0.04 * fs))),
    connectionIntervalMs: ciMs,
    maxPerEvent: l.maxNotificationsPerEvent ?? 6,
    lossRate: l.lossRate ?? 0,
    meanBurstLength: l.meanBurstLength ?? 1.5,
    disconnect: l.disconnect,
    backfill: l.backfill ? { requestDelayS: l.backfill.requestDelayS ?? 0.5 } : undefined,
    attMtu,
    hostStartUs: l.hostStartUs ?? 1_700_000_000_000_000 + Math.floor(rng.uniform(0, 1e12)),
    sensorId: l.sensorId ?? 'sim-pelvis',
    sensorTimeStartUs: l.sensorTimeStartUs ?? Math.floor(rng.uniform(0, 2 ** 32)),
    clockErrorRatio: clockPpm * 1e-6,
    stampJitterUs: imu.stampJitterUs,
    seqStart: l.seqStart ?? rng.int(0, 0xffff),
    rateCode,
    accRangeCode: accCode,
    gyrRangeCode: gyrCode,
    accLsbMps2: accLsbMps2(accCode),
    gyrLsbRadPerS: gyrLsbRadPerS(gyrCode),
  };
  return { model, attMtu, rng };
}
