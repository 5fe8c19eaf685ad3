import { checkPatientId, checkUserName, EVENTS_STREAM, subjects } from './subjects.ts';

/** One login on the clinic's NATS server. Passwords are random secrets written only to 0600 files. */
export interface RelayCredentials {
  user: string;
  password: string;
  /** Set for a patient's gateway: the patient it publishes for. */
  patient?: string;
  /** Set for a therapist: the patients they may watch. */
  patients?: string[];
}

export interface ClinicSpec {
  /** Patient ids (pseudonymous labels), one gateway login each. */
  patients: string[];
  /** Therapist login → the patients they may see. */
  therapists: Record<string, string[]>;
}

export interface ServerConfigOptions {
  host: string;
  port: number;
  /** Browser listener (no TLS: loopback tests only; put TLS in front for real use). */
  wsPort?: number;
  storeDir: string;
  /** Admin login that creates the stream (never given to gateways or therapists). */
  admin: RelayCredentials;
  users: RelayCredentials[];
}

export const gatewayUser = (pid: string) => `gw-${checkPatientId(pid)}`;
export const therapistUser = (name: string) => `th-${checkUserName(name)}`;

/**
 * Subject permissions (docs/relay.md, threat model):
 * - a gateway publishes only its own patient's live and event subjects, receives only its own control subject,
 *   and answers requests only through `allow_responses` (no publishing into other inboxes);
 * - a therapist subscribes only to their patients' live subjects, creates JetStream consumers filtered to their
 *   patients' events only (filtered-create API subject, nats-server ≥ 2.9) and sends control requests only to them;
 * - everyone's replies and JetStream deliveries arrive on their own inbox prefix.
 */
export function permissionsFor(c: RelayCredentials): { publish: string[]; subscribe: string[]; responses: boolean } {
  const inbox = `${subjects.inboxPrefix(c.user)}.>`;
  if (c.patient !== undefined) {
    const p = c.patient;
    return {
      publish: [subjects.liveAll(p), subjects.eventsAll(p)],
      subscribe: [subjects.control(p), inbox],
      responses: true,
    };
  }
  const pats = (c.patients ?? []).map(checkPatientId);
  const js = '$JS.API';
  return {
    publish: [
      ...pats.map(subjects.control),
      ...pats.map((p) => `${js}.CONSUMER.CREATE.${EVENTS_STREAM}.*.${subjects.eventsAll(p)}`),
      `${js}.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.*`,
      `${js}.CONSUMER.INFO.${EVENTS_STREAM}.*`,
      `${js}.CONSUMER.DELETE.${EVENTS_STREAM}.*`,
      `${js}.STREAM.INFO.${EVENTS_STREAM}`,
      `${js}.INFO`,
    ],
    subscribe: [...pats.map(subjects.liveAll), inbox],
    responses: false,
  };
}

const q = (s: string) => JSON.stringify(s);

/** nats-server configuration text for a clinic (write it with mode 0600: it holds the logins). */
export function serverConfig(o: ServerConfigOptions): string {
  const users = o.users.map((c) => {
    const p = permissionsFor(c);
    return [
      `    { user: ${q(c.user)}, password: ${q(c.password)}, permissions: {`,
      `        publish: { allow: [${p.publish.map(q).join(', ')}] }`,
      `        subscribe: { allow: [${p.subscribe.map(q).join(', ')}] }`,
      ...(p.responses ? ['        allow_responses: true'] : []),
      '    } }',
    ].join('\n');
  });
  return [
    `listen: ${q(`${o.host}:${o.port}`)}`,
    'max_payload: 65536',
    `jetstream { store_dir: ${q(o.storeDir)}, max_memory_store: 67108864, max_file_store: 1073741824 }`,
    ...(o.wsPort !== undefined ? [`websocket { listen: ${q(`${o.host}:${o.wsPort}`)}, no_tls: true }`] : []),
    'authorization {',
    '  users = [',
    `    { user: ${q(o.admin.user)}, password: ${q(o.admin.password)} }`,
    ...users,
    '  ]',
    '}',
    '',
  ].join('\n');
}
