import { simulateSession } from './session.ts';
import type { LinkSpec, Notification, SessionSpec, SimSession } from './types.ts';

/** What a live session needs besides the seed (`link` continuity fields are managed here). */
export type LiveSpec = Omit<SessionSpec, 'seed'>;

const PAUSE_S = 5;

/** Link settings that continue `s`'s clocks after `afterS` seconds of its session time plus a pause. */
function continuation(s: SimSession, link: LinkSpec, afterS: number): LinkSpec {
  const samples = Math.round((afterS + PAUSE_S) * s.meta.sampleRateHz);
  return {
    ...link,
    seqStart: (s.meta.seqStart + samples) & 0xffff,
    sensorTimeStartUs: Math.round(s.meta.sensorTimeStartUs + (afterS + PAUSE_S) * 1e6) % 2 ** 32,
    hostStartUs: s.meta.hostStartUs + Math.round((afterS + PAUSE_S) * 1e6),
  };
}

/**
 * An endless simulated patient: successive sessions (each a calibration hold and `sets` sets, default 3) whose
 * sequence numbers, sensor clock and host times continue from one session to the next after a 5 s pause.
 * Session i uses seed `seed + i`.
 */
export function* liveSessions(base: LiveSpec, seed: number): Generator<SimSession, never, void> {
  let link: LinkSpec = { ...base.link };
  for (let i = 0; ; i++) {
    const s = simulateSession({ sets: 3, ...base, link, seed: (seed + i) >>> 0 });
    yield s;
    link = continuation(s, link, s.meta.durationS);
  }
}

/**
 * Pull-style live source for the gateway: `until(hostUs)` returns, in delivery order, every notification due up to
 * that host time, simulating further sessions as needed; `restart(spec, hostUs)` abandons the session in progress
 * at `hostUs` (e.g. the user picked another exercise) and starts a new one after a 5 s pause, clocks continuing.
 * Host times start at `startHostUs` (pass the wall clock in µs to play in real time).
 */
export class LivePatient {
  private spec: LiveSpec;
  private index = 0;
  private session: SimSession;
  private next = 0;

  constructor(
    spec: LiveSpec,
    private readonly seed: number,
    startHostUs: number,
  ) {
    this.spec = spec;
    this.session = this.simulate({ ...spec.link, hostStartUs: startHostUs });
  }

  /** The session currently playing (its truth labels are what the patient "did"). */
  get current(): SimSession {
    return this.session;
  }

  until(hostUs: number): Notification[] {
    const out: Notification[] = [];
    for (;;) {
      const ns = this.session.notifications;
      while (this.next < ns.length && ns[this.next]!.hostTimeUs <= hostUs) out.push(ns[this.next++]!);
      if (this.next < ns.length) return out;
      const after = continuation(this.session, this.spec.link ?? {}, this.session.meta.durationS);
      if ((after.hostStartUs ?? 0) > hostUs) return out;
      this.session = this.simulate(after);
    }
  }

  restart(spec: LiveSpec, hostUs: number): void {
    this.spec = spec;
    const afterS = Math.max(0, (hostUs - this.session.meta.hostStartUs) / 1e6);
    this.session = this.simulate(continuation(this.session, spec.link ?? {}, afterS));
  }

  private simulate(link: LinkSpec): SimSession {
    this.next = 0;
    return simulateSession({ sets: 3, ...this.spec, link, seed: (this.seed + this.index++) >>> 0 });
  }
}
