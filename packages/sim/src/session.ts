import {
  type AccRangeCode,
  accLsbMps2,
  accRangeG,
  type GyrRangeCode,
  gyrLsbRadPerS,
  gyrRangeDps,
  MAG_LSB_UT,
  maxSamplesPerFrame,
  rateCodeForHz,
} from '@hipcue/firmware-protocol';
import { buildBody, CHANNEL_COUNT, randomMounting } from './body.ts';
import { evalChain, newChainState } from './chain.ts';
import { AxisTriad, imuModelFor } from './imu.ts';
import { type LinkModel, runLink } from './link.ts';
import { drawPerson } from './person.ts';
import { Rng } from './prng.ts';
import { ProfileCursor } from './profile.ts';
import { DEG, type Quat, qconj, qmul, qnormalize, qtoIntrinsicXyz } from './quat.ts';
import { buildTimeline } from './timeline.ts';
import type { SessionSpec, SimSession } from './types.ts';

const GRAVITY = 9.80665;

/** out = a ⊗ b (no allocation). */
function quatMul(a: ArrayLike<number>, b: ArrayLike<number>, out: Float64Array): void {
  const a0 = a[0]!;
  const a1 = a[1]!;
  const a2 = a[2]!;
  const a3 = a[3]!;
  const b0 = b[0]!;
  const b1 = b[1]!;
  const b2 = b[2]!;
  const b3 = b[3]!;
  out[0] = a0 * b0 - a1 * b1 - a2 * b2 - a3 * b3;
  out[1] = a0 * b1 + a1 * b0 + a2 * b3 - a3 * b2;
  out[2] = a0 * b2 - a1 * b3 + a2 * b0 + a3 * b1;
  out[3] = a0 * b3 + a1 * b2 - a2 * b1 + a3 * b0;
}

/** out = q ⊗ v ⊗ q* (or with q* when `inverse`), no allocation. */
function rotateInto(
  q: ArrayLike<number>,
  v0: number,
  v1: number,
  v2: number,
  inverse: boolean,
  out: Float64Array,
): void {
  const w = q[0]!;
  const s = inverse ? -1 : 1;
  const x = s * q[1]!;
  const y = s * q[2]!;
  const z = s * q[3]!;
  const tx = 2 * (y * v2 - z * v1);
  const ty = 2 * (z * v0 - x * v2);
  const tz = 2 * (x * v1 - y * v0);
  out[0] = v0 + w * tx + (y * tz - z * ty);
  out[1] = v1 + w * ty + (z * tx - x * tz);
  out[2] = v2 + w * tz + (x * ty - y * tx);
}
/** Earth magnetic field in ENU, µT (central Europe: 19 µT north, 45 µT down, inclination ≈ 67°). */
const EARTH_FIELD_UT = [0, 19, -45] as const;
export const DEFAULT_ACC_RANGE_CODE: AccRangeCode = 1; // ±4 g
export const DEFAULT_GYR_RANGE_CODE: GyrRangeCode = 2; // ±500 °/s

/**
 * Simulates one session: calibration hold, sets of reps, what the IMU outputs and what the gateway receives.
 * Deterministic: the same spec gives byte-identical output. Throws RangeError for an invalid spec (caller bug).
 */
export function simulateSession(spec: SessionSpec): SimSession {
  const fs = spec.sampleRateHz ?? 200;
  const rateCode = rateCodeForHz(fs);
  if (rateCode === undefined) throw new RangeError(`sampleRateHz ${fs} is not a protocol rate (12.5·2^k Hz)`);
  const noise = spec.noise ?? 'typical';
  const root = new Rng(spec.seed);
  const kin = root.fork('kinematics');
  const person = drawPerson(spec.exercise, kin.fork('person'));
  const timeline = buildTimeline(spec.exercise, person, spec, kin.fork('timeline'));
  const startTilt = spec.exercise === 'hip-thrust' ? -person.romDeg * DEG + kin.normal() * 3 * DEG : 0;
  const body = buildBody(spec.exercise, spec.side, kin.fork('body'), startTilt);
  const mounting: Quat = spec.mountingQuat ? qnormalize(spec.mountingQuat) : randomMounting(root.fork('mounting'));

  const model = imuModelFor(noise);
  const sensorRng = root.fork('sensor');
  const odrError = model.odrError * sensorRng.normal();
  const dt = 1 / (fs * (1 + odrError));
  const n = Math.floor(timeline.durationS / dt) + 1;
  const accCode = DEFAULT_ACC_RANGE_CODE;
  const gyrCode = DEFAULT_GYR_RANGE_CODE;
  const gyrTriad = new AxisTriad(
    sensorRng.fork('gyr'),
    model.gyrNoiseDensityDps * DEG,
    model.gyrOffsetDps * DEG,
    model.gyrBiasWalkDpsPerRtS * DEG,
    model.gyrScaleError,
    model.gyrCrossAxis,
    1 / fs,
    gyrLsbRadPerS(gyrCode),
    model.quantize,
  );
  const accTriad = new AxisTriad(
    sensorRng.fork('acc'),
    model.accNoiseDensityUg * 1e-6 * GRAVITY,
    model.accOffsetMg * 1e-3 * GRAVITY,
    model.accBiasWalkMgPerRtS * 1e-3 * GRAVITY,
    model.accScaleError,
    model.accCrossAxis,
    1 / fs,
    accLsbMps2(accCode),
    model.quantize,
  );
  const magRng = sensorRng.fork('mag');
  const hardIron = [0, 0, 0].map(() => model.magHardIronUt * magRng.normal());

  const tTrueS = new Float64Array(n);
  const gyr = new Float64Array(3 * n);
  const acc = new Float64Array(3 * n);
  const mag = spec.magnetometer ? new Float64Array(3 * n) : undefined;
  const qES = new Float32Array(4 * n);
  const qEP = new Float64Array(4 * n);
  const cursors = timeline.pieces.map((p) => new ProfileCursor(p));
  const faultCursor = new ProfileCursor(timeline.faultPieces);
  const faultDeviationDeg = new Float32Array(n);
  const heightM = new Float64Array(n);
  const channels = CHANNEL_COUNT;
  const x = new Float64Array(channels);
  const dx = new Float64Array(channels);
  const ddx = new Float64Array(channels);
  const st = newChainState();
  const ideal = new Float64Array(6);
  const fE = new Float64Array(3);
  const qsk = new Float64Array(4);
  const lever = body.leverArmM;
  // joints whose channel never moves are the identity: drop them (the chain is evaluated per sample)
  const joints = body.joints.filter((j) => j.type === 'fixed' || (timeline.pieces[j.channel]?.length ?? 0) > 0);
  // only channels with motion are evaluated per sample (the rest stay 0)
  const moving = timeline.pieces.flatMap((p, c) => (p.length > 0 ? [c] : []));
  for (let k = 0; k < n; k++) {
    const t = k * dt;
    tTrueS[k] = t;
    for (const c of moving) {
      const v = cursors[c]!.at(t);
      x[c] = v.x;
      dx[c] = v.dx;
      ddx[c] = v.ddx;
    }
    evalChain(joints, x, dx, ddx, st);
    faultDeviationDeg[k] = faultCursor.at(t).x / DEG;
    heightM[k] = st.p[2]!;
    qEP.set(st.q, 4 * k);
    quatMul(st.q, mounting, qsk);
    for (let c = 0; c < 4; c++) qES[4 * k + c] = qsk[c]!;
    // sensor point acceleration: a + α×r + ω×(ω×r), r = R_EP·lever (earth coordinates)
    rotateInto(st.q, lever[0], lever[1], lever[2], false, fE);
    const r0 = fE[0]!;
    const r1 = fE[1]!;
    const r2 = fE[2]!;
    const w = st.w;
    const al = st.al;
    const wr0 = w[1]! * r2 - w[2]! * r1;
    const wr1 = w[2]! * r0 - w[0]! * r2;
    const wr2 = w[0]! * r1 - w[1]! * r0;
    const f0 = st.a[0]! + al[1]! * r2 - al[2]! * r1 + (w[1]! * wr2 - w[2]! * wr1);
    const f1 = st.a[1]! + al[2]! * r0 - al[0]! * r2 + (w[2]! * wr0 - w[0]! * wr2);
    const f2 = st.a[2]! + al[0]! * r1 - al[1]! * r0 + (w[0]! * wr1 - w[1]! * wr0) + GRAVITY;
    // into the sensor frame: v_S = q_ES* ⊗ v_E ⊗ q_ES
    rotateInto(qsk, w[0]!, w[1]!, w[2]!, true, fE);
    ideal[0] = fE[0]!;
    ideal[1] = fE[1]!;
    ideal[2] = fE[2]!;
    rotateInto(qsk, f0, f1, f2, true, fE);
    ideal[3] = fE[0]!;
    ideal[4] = fE[1]!;
    ideal[5] = fE[2]!;
    gyrTriad.measure(ideal, 0, gyr, 3 * k);
    accTriad.measure(ideal, 3, acc, 3 * k);
    if (mag) {
      rotateInto(qsk, EARTH_FIELD_UT[0], EARTH_FIELD_UT[1], EARTH_FIELD_UT[2], true, fE);
      for (let c = 0; c < 3; c++) {
        let m = fE[c]! + hardIron[c]! + model.magNoiseUt * magRng.normal();
        if (model.quantize) m = Math.round(m / MAG_LSB_UT) * MAG_LSB_UT;
        mag[3 * k + c] = m;
      }
    }
  }

  // truth angles relative to the pelvis at the end of the calibration hold
  const kCal = Math.min(n - 1, Math.round(timeline.calibration.endS / dt));
  const q0: Quat = [qEP[4 * kCal]!, qEP[4 * kCal + 1]!, qEP[4 * kCal + 2]!, qEP[4 * kCal + 3]!];
  const q0c = qconj(q0);
  const pelvisUpM = new Float32Array(n);
  for (let k = 0; k < n; k++) pelvisUpM[k] = heightM[k]! - heightM[kCal]!;
  const tiltDeg = new Float32Array(n);
  const obliquityDeg = new Float32Array(n);
  const rotationDeg = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const rel = qmul(q0c, [qEP[4 * k]!, qEP[4 * k + 1]!, qEP[4 * k + 2]!, qEP[4 * k + 3]!]);
    const e = qtoIntrinsicXyz(rel);
    tiltDeg[k] = e[0] / DEG;
    obliquityDeg[k] = e[1] / DEG;
    rotationDeg[k] = e[2] / DEG;
  }

  const linkSpec = spec.link ?? {};
  const linkRng = root.fork('link');
  const attMtu = linkSpec.attMtu ?? 247;
  const maxN = maxSamplesPerFrame(attMtu, mag !== undefined);
  if (maxN < 1) throw new RangeError(`attMtu ${attMtu} cannot carry one sample`);
  const ciMs = linkSpec.connectionIntervalMs ?? 15;
  const perFrame = Math.min(maxN, Math.max(1, linkSpec.samplesPerNotification ?? Math.round((fs * ciMs) / 1000)));
  const clockPpm = noise === 'none' ? 0 : (noise === 'high' ? 60 : 20) * linkRng.normal();
  const link: LinkModel = {
    samplesPerFrame: perFrame,
    connectionIntervalMs: ciMs,
    maxPerEvent: linkSpec.maxNotificationsPerEvent ?? 6,
    lossRate: linkSpec.lossRate ?? 0,
    meanBurstLength: linkSpec.meanBurstLength ?? 1.5,
    disconnect: linkSpec.disconnect,
    hostStartUs: linkSpec.hostStartUs ?? 1_700_000_000_000_000 + Math.floor(linkRng.uniform(0, 1e12)),
    sensorId: linkSpec.sensorId ?? 'sim-pelvis',
    sensorTimeStartUs: linkSpec.sensorTimeStartUs ?? Math.floor(linkRng.uniform(0, 2 ** 32)),
    clockErrorRatio: clockPpm * 1e-6,
    stampJitterUs: model.stampJitterUs,
    seqStart: linkSpec.seqStart ?? linkRng.int(0, 0xffff),
    rateCode,
    accRangeCode: accCode,
    gyrRangeCode: gyrCode,
    accLsbMps2: accLsbMps2(accCode),
    gyrLsbRadPerS: gyrLsbRadPerS(gyrCode),
  };
  const out = runLink(link, tTrueS, acc, gyr, mag, linkRng);

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
        gyrBiasRadPerS: gyrTriad.initialBias,
        accBiasMps2: accTriad.initialBias,
        odrErrorRatio: odrError,
      },
      personRomDeg: person.romDeg,
      samplesPerNotification: perFrame,
      attMtu,
      connectionIntervalMs: ciMs,
      lossRate: link.lossRate,
      ...(link.disconnect ? { disconnect: link.disconnect } : {}),
      sensorTimeStartUs: link.sensorTimeStartUs % 2 ** 32,
      seqStart: link.seqStart,
      hostStartUs: link.hostStartUs,
      durationS: timeline.durationS,
    },
    samples: { tS: out.tS, gyrRadPerS: gyr, accMps2: acc, ...(mag ? { magUt: mag } : {}) },
    truth: {
      reps: timeline.reps,
      sets: timeline.sets,
      calibration: timeline.calibration,
      tTrueS,
      tiltDeg,
      obliquityDeg,
      rotationDeg,
      faultDeviationDeg,
      pelvisUpM,
      qES,
    },
    notifications: out.notifications,
  };
}
