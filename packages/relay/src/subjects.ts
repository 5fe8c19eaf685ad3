/**
 * The clinic relay's NATS subjects (docs/relay.md). `<pid>` is the pseudonymous patient label, never a name.
 *
 * - `hipcue.live.<pid>.chart`  core NATS, decimated angle frames (the gateway's `chart` message JSON); not stored
 * - `hipcue.live.<pid>.state`  core NATS, the session snapshot JSON, on change and every 5 s
 * - `hipcue.events.<pid>.<sessionId>`  JetStream stream `HIPCUE_EVENTS`: every session event JSON, in order,
 *   `Nats-Msg-Id: <sessionId>:<seq>` for de-duplication; late joiners replay a session from its first event
 * - `hipcue.ctl.<pid>`  request/reply: a client control message JSON → `{ ok: true }` or `{ ok: false, error }`
 */
export const EVENTS_STREAM = 'HIPCUE_EVENTS';
export const EVENTS_STREAM_SUBJECTS = 'hipcue.events.>';

const TOKEN = /^[A-Za-z0-9_-]{1,32}$/;
const SESSION = /^[A-Za-z0-9_-]{1,64}$/;

export class SubjectError extends Error {}

/** Throws SubjectError unless `pid` is a safe single subject token (no dots, wildcards or spaces). */
export function checkPatientId(pid: string): string {
  if (!TOKEN.test(pid)) throw new SubjectError(`patient id "${pid}" must be 1–32 of A–Z a–z 0–9 _ -`);
  return pid;
}

export function checkUserName(name: string): string {
  if (!TOKEN.test(name)) throw new SubjectError(`user name "${name}" must be 1–32 of A–Z a–z 0–9 _ -`);
  return name;
}

export const subjects = {
  liveChart: (pid: string) => `hipcue.live.${checkPatientId(pid)}.chart`,
  liveState: (pid: string) => `hipcue.live.${checkPatientId(pid)}.state`,
  liveAll: (pid: string) => `hipcue.live.${checkPatientId(pid)}.>`,
  events: (pid: string, sessionId: string) => {
    if (!SESSION.test(sessionId)) throw new SubjectError(`session id "${sessionId}" is not a subject token`);
    return `hipcue.events.${checkPatientId(pid)}.${sessionId}`;
  },
  eventsAll: (pid: string) => `hipcue.events.${checkPatientId(pid)}.>`,
  control: (pid: string) => `hipcue.ctl.${checkPatientId(pid)}`,
  /** Per-user reply inbox, so no user can read another's replies or JetStream deliveries. */
  inboxPrefix: (user: string) => `_INBOX_${checkUserName(user)}`,
};

/** The de-duplication id of one session event. */
export function eventMsgId(sessionId: string, seq: number): string {
  return `${sessionId}:${seq}`;
}
