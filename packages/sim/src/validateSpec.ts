import { ATT_MTU_DEFAULT, ATT_MTU_MAX, rateCodeForHz } from '@hipcue/firmware-protocol';
import { EXERCISES, FAULT_CODES, type FaultCode, NOISE_LEVELS, SIDES } from './types.ts';

/** One problem with a session spec: the field (dotted path), the offending value and why. */
export interface SpecProblem {
  field: string;
  value: unknown;
  message: string;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Checks a session spec that may come from outside (CLI flags, a JSON file, a WebSocket control message) without
 * throwing: returns every problem found, empty when `simulateSession` will accept it.
 */
export function validateSpec(spec: unknown): SpecProblem[] {
  const out: SpecProblem[] = [];
  const bad = (field: string, value: unknown, message: string): void => {
    out.push({ field, value, message: `${field} ${message}, got ${JSON.stringify(value)}` });
  };
  if (typeof spec !== 'object' || spec === null) {
    bad('spec', spec, 'must be an object');
    return out;
  }
  const s = spec as Record<string, unknown>;
  const isSeed = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff;
  if (!isSeed(s.seed)) bad('seed', s.seed, 'must be an integer 0..4294967295');
  if (s.personSeed !== undefined && !isSeed(s.personSeed)) {
    bad('personSeed', s.personSeed, 'must be an integer 0..4294967295');
  }
  if (!EXERCISES.includes(s.exercise as never)) bad('exercise', s.exercise, `must be one of ${EXERCISES.join(', ')}`);
  if (!SIDES.includes(s.side as never)) bad('side', s.side, 'must be left or right');
  if (s.sets !== undefined && (!Number.isInteger(s.sets) || (s.sets as number) < 1 || (s.sets as number) > 20)) {
    bad('sets', s.sets, 'must be an integer 1..20');
  }
  if (s.reps !== undefined) {
    const r = s.reps;
    const ok = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= 100;
    if (Array.isArray(r) ? r.length !== 2 || !ok(r[0]) || !ok(r[1]) || r[0] > r[1] : !ok(r)) {
      bad('reps', r, 'must be an integer 1..100 or [min, max] with min <= max');
    }
  }
  if (s.faults !== undefined) {
    if (typeof s.faults !== 'object' || s.faults === null)
      bad('faults', s.faults, 'must be an object of probabilities');
    else {
      for (const [code, p] of Object.entries(s.faults)) {
        if (!FAULT_CODES.includes(code as FaultCode))
          bad(`faults.${code}`, code, `is not a fault code (${FAULT_CODES.join(', ')})`);
        else if (!finite(p) || p < 0 || p > 1) bad(`faults.${code}`, p, 'must be a probability 0..1');
      }
    }
  }
  if (s.fatigue !== undefined && (!finite(s.fatigue) || s.fatigue < 0 || s.fatigue > 1))
    bad('fatigue', s.fatigue, 'must be 0..1');
  if (s.tempoScale !== undefined && (!finite(s.tempoScale) || s.tempoScale < 0.25 || s.tempoScale > 4))
    bad('tempoScale', s.tempoScale, 'must be 0.25..4');
  if (s.romScale !== undefined && (!finite(s.romScale) || s.romScale < 0.25 || s.romScale > 2))
    bad('romScale', s.romScale, 'must be 0.25..2');
  if (s.noise !== undefined && !NOISE_LEVELS.includes(s.noise as never))
    bad('noise', s.noise, 'must be none, typical or high');
  if (s.sampleRateHz !== undefined && (!finite(s.sampleRateHz) || rateCodeForHz(s.sampleRateHz) === undefined)) {
    bad('sampleRateHz', s.sampleRateHz, 'must be a protocol rate 12.5·2^k Hz (12.5 .. 1600)');
  }
  if (s.accRangeG !== undefined && ![2, 4, 8, 16].includes(s.accRangeG as number)) {
    bad('accRangeG', s.accRangeG, 'must be 2, 4, 8 or 16');
  }
  if (s.gyrRangeDps !== undefined && ![125, 250, 500, 1000, 2000].includes(s.gyrRangeDps as number)) {
    bad('gyrRangeDps', s.gyrRangeDps, 'must be 125, 250, 500, 1000 or 2000');
  }
  if (s.mountingQuat !== undefined) {
    const q = s.mountingQuat;
    if (!Array.isArray(q) || q.length !== 4 || !q.every(finite) || Math.hypot(...(q as number[])) < 1e-6) {
      bad('mountingQuat', q, 'must be 4 finite numbers [w, x, y, z], not all zero');
    }
  }
  if (s.magnetometer !== undefined && typeof s.magnetometer !== 'boolean')
    bad('magnetometer', s.magnetometer, 'must be a boolean');
  if (s.restBetweenSetsS !== undefined) {
    const r = s.restBetweenSetsS;
    const ok = (x: unknown): boolean => finite(x) && x >= 0 && x <= 3600;
    if (Array.isArray(r) ? r.length !== 2 || !ok(r[0]) || !ok(r[1]) || r[0] > r[1] : !ok(r)) {
      bad('restBetweenSetsS', r, 'must be seconds 0..3600 or [min, max]');
    }
  }
  if (s.endRestS !== undefined && !(finite(s.endRestS) && s.endRestS >= 0 && s.endRestS <= 3600))
    bad('endRestS', s.endRestS, 'must be seconds 0..3600');
  if (s.extraSensors !== undefined) {
    const x = s.extraSensors;
    if (!Array.isArray(x) || !x.every((p) => p === 'thigh' || p === 'lumbar')) {
      bad('extraSensors', x, "must be an array of 'thigh' | 'lumbar'");
    }
  }
  if (s.link !== undefined) validateLink(s.link, s.magnetometer === true, bad);
  return out;
}

function validateLink(link: unknown, withMag: boolean, bad: (f: string, v: unknown, m: string) => void): void {
  if (typeof link !== 'object' || link === null) {
    bad('link', link, 'must be an object');
    return;
  }
  const l = link as Record<string, unknown>;
  const minMtu = withMag ? 29 : ATT_MTU_DEFAULT;
  if (
    l.attMtu !== undefined &&
    (!Number.isInteger(l.attMtu) || (l.attMtu as number) < minMtu || (l.attMtu as number) > ATT_MTU_MAX)
  ) {
    bad(
      'link.attMtu',
      l.attMtu,
      `must be an integer ${minMtu}..${ATT_MTU_MAX}${withMag ? ' (a magnetometer sample needs 29)' : ''}`,
    );
  }
  const range = (f: string, lo: number, hi: number, integer = false): void => {
    const v = l[f];
    if (v !== undefined && (!finite(v) || v < lo || v > hi || (integer && !Number.isInteger(v)))) {
      bad(`link.${f}`, v, `must be ${integer ? 'an integer ' : ''}${lo}..${hi}`);
    }
  };
  range('connectionIntervalMs', 7.5, 4000);
  range('lossRate', 0, 0.95);
  range('meanBurstLength', 1, 10_000);
  range('samplesPerNotification', 1, 1000, true);
  range('maxNotificationsPerEvent', 1, 100, true);
  range('sensorTimeStartUs', 0, 0xffffffff, true);
  range('seqStart', 0, 0xffff, true);
  range('hostStartUs', 0, Number.MAX_SAFE_INTEGER, true);
  if (l.sensorId !== undefined && (typeof l.sensorId !== 'string' || l.sensorId.length === 0)) {
    bad('link.sensorId', l.sensorId, 'must be a non-empty string');
  }
  if (l.backfill !== undefined) {
    const b = l.backfill as Record<string, unknown> | null;
    const d = b?.requestDelayS;
    if (typeof b !== 'object' || b === null || (d !== undefined && (!finite(d) || d < 0 || d > 60))) {
      bad('link.backfill', b, 'must be { requestDelayS?: 0..60 }');
    }
  }
  if (l.disconnect !== undefined) {
    const d = l.disconnect as Record<string, unknown> | null;
    if (
      typeof d !== 'object' ||
      d === null ||
      !finite(d.startS) ||
      !finite(d.durationS) ||
      d.startS < 0 ||
      d.durationS < 0
    ) {
      bad('link.disconnect', d, 'must be { startS >= 0, durationS >= 0 }');
    }
  }
}
