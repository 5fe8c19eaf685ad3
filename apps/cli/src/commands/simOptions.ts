import {
  EXERCISES,
  type Exercise,
  FAULT_CODES,
  type FaultCode,
  NOISE_LEVELS,
  type SessionSpec,
  SIDES,
} from '@hipcue/sim';
import { usageError } from '../cliError.ts';
import { choiceValue, numberValue, type OptionSpec, stringValue, type Values } from '../command.ts';

export const simOptions: Record<string, OptionSpec> = {
  exercise: { type: 'string', description: `exercise: ${EXERCISES.join(' | ')}`, default: 'hip-thrust' },
  side: { type: 'string', description: 'working (or top) side: left | right', default: 'left' },
  faults: {
    type: 'string',
    valueName: 'code[:p],…',
    description: `faults to inject, each with a per-rep probability (default 0.5): ${FAULT_CODES.join(', ')}`,
  },
  seed: { type: 'string', description: 'random seed (integer)', default: '1' },
  sets: { type: 'string', description: 'number of sets', default: '1' },
  reps: { type: 'string', valueName: 'n|min-max', description: 'reps per set', default: '8' },
  noise: { type: 'string', description: `sensor noise: ${NOISE_LEVELS.join(' | ')}`, default: 'typical' },
  loss: { type: 'string', description: 'long-run fraction of BLE notifications lost, 0..0.9 (bursty)', default: '0' },
  disconnect: { type: 'string', valueName: 'startS:durationS', description: 'drop the link for a while' },
  'extra-sensors': {
    type: 'string',
    valueName: 'thigh,lumbar',
    description: 'also wear a thigh and/or upper-lumbar sensor (each its own device, recorded under sim-<role>)',
  },
};

function parseExtraSensors(raw: string | undefined): ('thigh' | 'lumbar')[] {
  if (raw === undefined || raw === '') return [];
  const out: ('thigh' | 'lumbar')[] = [];
  for (const part of raw.split(',')) {
    const p = part.trim();
    if (p !== 'thigh' && p !== 'lumbar') throw usageError(`--extra-sensors: '${p}' is not a sensor (thigh, lumbar)`);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function parseFaults(raw: string | undefined): Partial<Record<FaultCode, number>> {
  const out: Partial<Record<FaultCode, number>> = {};
  if (raw === undefined || raw === '' || raw === 'none') return out;
  for (const item of raw.split(',')) {
    const [code, p = '0.5'] = item.split(':');
    if (!FAULT_CODES.includes(code as FaultCode)) {
      throw usageError(`--faults: '${code}' is not a fault code (${FAULT_CODES.join(', ')})`);
    }
    const prob = Number(p);
    if (!(prob >= 0 && prob <= 1)) throw usageError(`--faults: probability '${p}' for ${code} is not in [0, 1]`);
    out[code as FaultCode] = prob;
  }
  return out;
}

function parseReps(raw: string): number | [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi < lo || hi > 100)
    throw usageError(`--reps '${raw}' should be n or min-max with 1 ≤ min ≤ max ≤ 100`);
  return lo === hi ? lo : [lo, hi];
}

/** The simulator spec a command line asks for. */
export function simSpecFrom(values: Values): SessionSpec {
  const exercise = choiceValue(values, 'exercise', EXERCISES, 'hip-thrust') as Exercise;
  const disconnectRaw = stringValue(values, 'disconnect');
  let disconnect: { startS: number; durationS: number } | undefined;
  if (disconnectRaw !== undefined) {
    const [startS, durationS] = disconnectRaw.split(':').map(Number);
    if (!(startS! >= 0 && durationS! > 0))
      throw usageError(`--disconnect '${disconnectRaw}' should be startS:durationS`);
    disconnect = { startS: startS!, durationS: durationS! };
  }
  const lossRate = numberValue(values, 'loss', 0, { min: 0, max: 0.9 });
  const extraSensors = parseExtraSensors(stringValue(values, 'extra-sensors'));
  return {
    seed: numberValue(values, 'seed', 1, { integer: true, min: 0, max: 2 ** 32 - 1 }),
    exercise,
    side: choiceValue(values, 'side', SIDES, 'left'),
    sets: numberValue(values, 'sets', 1, { integer: true, min: 1, max: 10 }),
    reps: parseReps(stringValue(values, 'reps') ?? '8'),
    faults: parseFaults(stringValue(values, 'faults')),
    noise: choiceValue(values, 'noise', NOISE_LEVELS, 'typical'),
    link: { lossRate, ...(disconnect ? { disconnect } : {}) },
    ...(extraSensors.length > 0 ? { extraSensors } : {}),
  };
}
