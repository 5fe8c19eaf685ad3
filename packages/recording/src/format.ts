/**
 * Names on disk: MCAP profile, topics, encodings and the JSON schemas stored in the file so that Foxglove and
 * Lichtblick can plot the JSON channels. README.md has the same as tables; change both together.
 */

import type { SessionEventType } from './types.ts';

export const MCAP_PROFILE = 'hipcue';
export const FORMAT_VERSION = '1';
export const LIBRARY = `hipcue-recording/${FORMAT_VERSION}`;

/** Metadata record holding `SessionMeta`. */
export const SESSION_METADATA = 'hipcue.session';

/** Raw notifications: one channel per (sensor, characteristic, backfill), no schema. */
export const BLE_TOPIC_PREFIX = '/ble/';
export const BLE_ENCODING = 'hipcue.ble-notification';

export const EVENTS_TOPIC = '/events';
export const ANGLES_TOPIC = '/pelvis/angles';
export const TRUTH_REPS_TOPIC = '/truth/reps';
export const TRUTH_ANGLES_TOPIC = '/truth/angles';

export function bleTopic(sensorId: string, characteristic: string, backfill: boolean): string {
  return `${BLE_TOPIC_PREFIX}${sensorId}/${characteristic}${backfill ? '/backfill' : ''}`;
}

const num = { type: 'number' } as const;
const str = { type: 'string' } as const;

/** A field of a JSON record: its JSON type, `?` when optional. */
export type FieldKind = 'number' | 'integer' | 'string' | 'boolean' | 'string[]' | 'number[]';
export type FieldSpec = Record<string, FieldKind | `${FieldKind}?`>;

/**
 * The fields of each session event besides `type` and `tS`. The JSON schema stored in the file and the
 * reader's run-time check are both generated from this table.
 */
export const EVENT_FIELDS: Record<SessionEventType, FieldSpec> = {
  calibration: { ok: 'boolean', message: 'string', quatPelvisFromSensor: 'number[]?' },
  set_start: { set: 'integer' },
  set_end: { set: 'integer', reps: 'integer' },
  rep: { set: 'integer', rep: 'integer', startS: 'number', endS: 'number', faults: 'string[]' },
  fault: { rep: 'integer', code: 'string', value: 'number', threshold: 'number' },
  cue: { code: 'string', text: 'string' },
  pain: { rating: 'number' },
  note: { text: 'string', author: 'string' },
  threshold: { name: 'string', value: 'number' },
  gap: { sensorId: 'string', fromUs: 'integer', toUs: 'integer', recovered: 'boolean' },
  backfill: { sensorId: 'string', fromUs: 'integer', toUs: 'integer', samples: 'integer' },
};

export const ANGLE_FIELDS: FieldSpec = {
  tS: 'number',
  tiltDeg: 'number',
  obliquityDeg: 'number',
  rotationDeg: 'number',
};
export const TRUTH_REP_FIELDS: FieldSpec = { set: 'integer', rep: 'integer', startS: 'number', endS: 'number' };

function jsonType(kind: FieldKind): object {
  if (kind === 'string[]') return { type: 'array', items: str };
  if (kind === 'number[]') return { type: 'array', items: num };
  return { type: kind };
}

function objectSchema(fields: FieldSpec, extra: Record<string, object> = {}): object {
  const properties: Record<string, object> = { ...extra };
  const required = Object.keys(extra);
  for (const [name, spec] of Object.entries(fields)) {
    properties[name] = jsonType(spec.replace('?', '') as FieldKind);
    if (!spec.endsWith('?')) required.push(name);
  }
  return { type: 'object', properties, required };
}

export const EVENT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'hipcue.SessionEvent',
  description: 'Session event; tS in seconds on the analysis clock.',
  oneOf: Object.entries(EVENT_FIELDS).map(([type, fields]) => objectSchema(fields, { type: { const: type }, tS: num })),
};

export const ANGLE_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'hipcue.AngleSample',
  description: 'Pelvis angles in degrees relative to the calibrated start pose (docs/frames.md).',
  ...objectSchema(ANGLE_FIELDS),
};

export const TRUTH_REP_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'hipcue.TruthRep',
  description: 'Ground-truth label of one simulated rep.',
  ...objectSchema(TRUTH_REP_FIELDS, {
    faults: {
      type: 'array',
      items: { type: 'object', properties: { code: str, startS: num }, required: ['code', 'startS'] },
    },
  }),
};
