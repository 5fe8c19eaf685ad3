import { ANGLE_FIELDS, EVENT_FIELDS, type FieldKind, type FieldSpec, TRUTH_REP_FIELDS } from './format.ts';
import {
  type AngleSample,
  SENSOR_ROLES,
  type SensorInfo,
  type SessionEvent,
  type SessionMeta,
  type TruthRep,
} from './types.ts';

/** A checked value, or a message naming what was wrong. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindMatches(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return Number.isSafeInteger(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'number[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  }
}

function checkFields(v: Record<string, unknown>, fields: FieldSpec): string | undefined {
  for (const [name, spec] of Object.entries(fields)) {
    const optional = spec.endsWith('?');
    const kind = spec.replace('?', '') as FieldKind;
    if (v[name] === undefined && optional) continue;
    if (!kindMatches(kind, v[name])) return `field '${name}' should be ${kind}, got ${JSON.stringify(v[name])}`;
  }
  return undefined;
}

export function checkEvent(v: unknown): Checked<SessionEvent> {
  if (!isObject(v)) return { ok: false, message: 'event is not an object' };
  const fields = typeof v.type === 'string' ? EVENT_FIELDS[v.type as SessionEvent['type']] : undefined;
  if (!fields || !Object.hasOwn(EVENT_FIELDS, v.type as string)) {
    return { ok: false, message: `unknown event type ${JSON.stringify(v.type)}` };
  }
  const wrong = checkFields(v, { tS: 'number', ...fields });
  return wrong ? { ok: false, message: `${v.type} event: ${wrong}` } : { ok: true, value: v as SessionEvent };
}

export function checkAngleSample(v: unknown): Checked<AngleSample> {
  if (!isObject(v)) return { ok: false, message: 'angle sample is not an object' };
  const wrong = checkFields(v, ANGLE_FIELDS);
  return wrong ? { ok: false, message: `angle sample: ${wrong}` } : { ok: true, value: v as unknown as AngleSample };
}

export function checkTruthRep(v: unknown): Checked<TruthRep> {
  if (!isObject(v)) return { ok: false, message: 'truth rep is not an object' };
  const wrong = checkFields(v, TRUTH_REP_FIELDS);
  if (wrong) return { ok: false, message: `truth rep: ${wrong}` };
  const faults = v.faults;
  if (
    !Array.isArray(faults) ||
    !faults.every((f) => isObject(f) && !checkFields(f, { code: 'string', startS: 'number' }))
  ) {
    return { ok: false, message: 'truth rep: faults should be [{code, startS}]' };
  }
  return { ok: true, value: v as unknown as TruthRep };
}

function checkSensor(v: unknown): v is SensorInfo {
  return (
    isObject(v) &&
    !checkFields(v, { sensorId: 'string', profile: 'string', firmware: 'string' }) &&
    SENSOR_ROLES.includes(v.role as SensorInfo['role'])
  );
}

/** Session metadata from the MCAP metadata record's string map. */
export function checkSessionMeta(map: Map<string, string>): Checked<SessionMeta> {
  for (const key of ['patient', 'exercise', 'side', 'startedAt', 'source', 'sensors']) {
    if (!map.has(key)) return { ok: false, message: `session metadata lacks '${key}'` };
  }
  const side = map.get('side');
  if (side !== 'left' && side !== 'right') return { ok: false, message: `session side ${JSON.stringify(side)}` };
  const source = map.get('source');
  if (source !== 'live' && source !== 'sim' && source !== 'replay') {
    return { ok: false, message: `session source ${JSON.stringify(source)}` };
  }
  let sensors: unknown;
  try {
    sensors = JSON.parse(map.get('sensors')!);
  } catch {
    return { ok: false, message: 'session sensors is not JSON' };
  }
  if (!Array.isArray(sensors) || !sensors.every(checkSensor)) {
    return { ok: false, message: 'session sensors should be [{sensorId, role, profile, firmware}]' };
  }
  const extra: Record<string, string> = {};
  for (const [key, value] of map) if (key.startsWith('extra.')) extra[key.slice(6)] = value;
  return {
    ok: true,
    value: {
      patient: map.get('patient')!,
      exercise: map.get('exercise')!,
      side,
      sensors,
      startedAt: map.get('startedAt')!,
      source,
      extra,
    },
  };
}
