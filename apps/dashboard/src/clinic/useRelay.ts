import type { ChartMessage, ClientMessage, SessionEvent, Snapshot } from '@hipcue/messages';
import { jetstream } from '@nats-io/jetstream';
import { type NatsConnection, wsconnect } from '@nats-io/nats-core';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { RingBuffer } from '../lib/RingBuffer';
import { initialSessionState, sessionReducer } from '../lib/sessionState';
import { CHART_CAPACITY, CHART_CHANNELS, pushChart } from '../lib/useGateway';
import type { LiveFeed } from '../therapist/LivePanel';

/** A therapist's clinic login (held in memory only, never stored or logged). */
export interface RelayLogin {
  /** The clinic broker's WebSocket listener, e.g. wss://clinic.example:443. */
  wsUrl: string;
  user: string;
  password: string;
  /** Patient ids this therapist may watch (from the clinic admin). */
  patients: string[];
}

/** Subjects: the same layout as packages/relay (docs/relay.md); duplicated here because that package is Node-only. */
export const relaySubjects = {
  liveChart: (pid: string) => `hipcue.live.${pid}.chart`,
  liveState: (pid: string) => `hipcue.live.${pid}.state`,
  events: (pid: string, sessionId: string) => `hipcue.events.${pid}.${sessionId}`,
  control: (pid: string) => `hipcue.ctl.${pid}`,
  inboxPrefix: (user: string) => `_INBOX_${user}`,
};
export const EVENTS_STREAM = 'HIPCUE_EVENTS';

export type RelayStatus = 'connecting' | 'open' | 'refused' | 'closed';

export interface RelayFeed extends LiveFeed {
  status: RelayStatus;
  /** Plain-language reason for `refused` (permissions, wrong login) or the last control reply's error. */
  problem: string | null;
  /** The session being shown (from the patient's state), null until the first state message. */
  sessionId: string | null;
}

function messageOf(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  if (/permission/i.test(m)) return `Not permitted: ${m}`;
  if (/authorization/i.test(m)) return 'The relay refused this login.';
  return m;
}

/**
 * Watches one patient through the clinic's NATS relay: the state snapshot and live charts from core subjects, and
 * the session's events from JetStream from the very first one (a therapist joining late sees the whole session so
 * far, then live). Control messages go back as requests on `hipcue.ctl.<pid>`. Same reducer and ring buffer as the
 * gateway connection, so the live view does not care which transport feeds it.
 */
export function useRelay(login: RelayLogin, pid: string): RelayFeed {
  const [state, dispatch] = useReducer(sessionReducer, initialSessionState);
  const [status, setStatus] = useState<RelayStatus>('connecting');
  const [problem, setProblem] = useState<string | null>(null);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const chart = useMemo(() => new RingBuffer(CHART_CAPACITY, CHART_CHANNELS), []);
  const ncRef = useRef<NatsConnection | null>(null);

  useEffect(() => {
    let stopped = false;
    let nc: NatsConnection | null = null;
    let replaying: string | null = null;
    const fail = (err: unknown) => {
      if (stopped) return;
      setProblem(messageOf(err));
      setStatus('refused');
    };
    const replay = async (c: NatsConnection, sid: string) => {
      // Every event of this session from its start, then live: an ordered consumer, filtered to the session.
      try {
        const js = jetstream(c);
        const consumer = await js.consumers.get(EVENTS_STREAM, { filter_subjects: relaySubjects.events(pid, sid) });
        const messages = await consumer.consume();
        for await (const m of messages) {
          if (stopped || replaying !== sid) break;
          dispatch({ type: 'events', events: [m.json<SessionEvent>()] });
        }
      } catch (err) {
        fail(err);
      }
    };
    (async () => {
      try {
        nc = await wsconnect({
          servers: login.wsUrl,
          user: login.user,
          pass: login.password,
          inboxPrefix: relaySubjects.inboxPrefix(login.user),
          maxReconnectAttempts: -1,
        });
        if (stopped) {
          await nc.close();
          return;
        }
        ncRef.current = nc;
        setStatus('open');
        const conn = nc;
        const state = conn.subscribe(relaySubjects.liveState(pid));
        void state.closed.then((err) => err && fail(err));
        void (async () => {
          for await (const m of state) {
            const snap = m.json<Snapshot>();
            // A new session (or the first state seen): take the snapshot whole, then replay that session's events.
            if (snap.sessionId !== replaying) {
              replaying = snap.sessionId;
              setSessionId(snap.sessionId);
              dispatch(snap);
              void replay(conn, snap.sessionId);
            }
          }
        })();
        const charts = conn.subscribe(relaySubjects.liveChart(pid));
        void charts.closed.then((err) => err && fail(err));
        void (async () => {
          for await (const m of charts) pushChart(chart, m.json<ChartMessage>());
        })();
      } catch (err) {
        fail(err);
      }
    })();
    return () => {
      stopped = true;
      ncRef.current = null;
      void nc?.close();
    };
  }, [login, pid, chart]);

  const send = (msg: ClientMessage) => {
    const nc = ncRef.current;
    if (!nc) return;
    nc.request(relaySubjects.control(pid), JSON.stringify(msg), { timeout: 5000 }).then(
      (r) => {
        const reply = r.json<{ ok: boolean; error?: string }>();
        setProblem(reply.ok ? null : `The gateway refused: ${reply.error ?? 'unknown error'}`);
      },
      (err) => setProblem(messageOf(err)),
    );
  };

  return { state, chart, send, status, problem, sessionId };
}
