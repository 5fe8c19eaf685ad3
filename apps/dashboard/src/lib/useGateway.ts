import { type ChartMessage, type ClientMessage, type ServerMessage, serverMessageSchema } from '@hipcue/messages';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { BackoffSettings } from './backoff';
import { type ConnectionStatus, ReconnectingSocket, type SocketLike } from './ReconnectingSocket';
import { RingBuffer } from './RingBuffer';
import { initialSessionState, type SessionState, sessionReducer } from './sessionState';

/** 200 Hz × 20 s: the live window (10 s) plus slack for a late frame. */
export const CHART_CAPACITY = 4096;
/** Chart channels in the ring buffer: tilt, obliquity, rotation (degrees). */
export const CHART_CHANNELS = 3;

/** Pass stable values (memoize `protocols`): a change reconnects. */
export interface GatewayOptions {
  url: string;
  protocols?: string[];
  createSocket?: (url: string, protocols?: string | string[]) => SocketLike;
  storage?: Storage;
  backoff?: BackoffSettings;
}

export interface Gateway {
  state: SessionState;
  status: ConnectionStatus;
  /** Why the last connection closed, and when the next attempt is. */
  statusDetail: { attempt: number; retryInMs?: number; reason?: string };
  /** Control messages: sent now when connected, queued otherwise. */
  send(msg: ClientMessage): void;
  /** Discomfort 0–10 for a set; kept until the gateway confirms it. Returns the client rating id. */
  ratePain(setId: string | null, rating: number): string;
  rateFatigue(setId: string | null, rating: number): string;
  /** Ratings not yet confirmed by the gateway. */
  pendingCount: number;
  /** Live pelvis angles, written by the socket handler, read by charts through requestAnimationFrame. */
  chart: RingBuffer;
  /** Dropped chart frames seen on this client (gaps in `frame`). */
  chartGapsRef: { current: number };
  dropConnection(): void;
}

function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export function pushChart(chart: RingBuffer, m: ChartMessage): void {
  const v = [0, 0, 0];
  for (let i = 0; i < m.tS.length; i++) {
    const t = m.tS[i]!;
    // A new session (or a restarted gateway) starts its clock again: start a fresh trace.
    if (t < chart.lastTimeS() - 1) chart.clear();
    v[0] = m.tiltDeg[i]!;
    v[1] = m.obliquityDeg[i]!;
    v[2] = m.rotationDeg[i]!;
    chart.push(t, v);
  }
}

/** Connects to the gateway; discrete state through a reducer, chart samples into a ring buffer. */
export function useGateway(opts: GatewayOptions): Gateway {
  const [state, dispatch] = useReducer(sessionReducer, initialSessionState);
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [statusDetail, setStatusDetail] = useState<Gateway['statusDetail']>({ attempt: 0 });
  const [pendingCount, setPendingCount] = useState(0);
  const chart = useMemo(() => new RingBuffer(CHART_CAPACITY, CHART_CHANNELS), []);
  const chartGapsRef = useRef(0);
  const lastFrame = useRef(-1);
  const { url, protocols, createSocket, storage, backoff } = opts;

  const socket = useMemo(
    () =>
      new ReconnectingSocket<ServerMessage, ClientMessage>({
        url: () => url,
        ...(protocols ? { protocols } : {}),
        parse: (raw) => {
          const r = serverMessageSchema.safeParse(raw);
          return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.message };
        },
        ...(createSocket ? { createSocket } : {}),
        ...(backoff ? { backoff } : {}),
        // Chart frames arrive at 25 Hz and stats every few seconds; pings make the server answer even when
        // the sensor is idle. A silent link for 5 s is a dead link.
        idleTimeoutMs: 5000,
        heartbeat: { everyMs: 2000, message: (): ClientMessage => ({ type: 'ping', clientTimeMs: Date.now() }) },
        ...(storage ? { storage, storageKey: `hipcue.outbox.${url}` } : {}),
      }),
    [url, protocols, createSocket, storage, backoff],
  );

  useEffect(() => {
    const offStatus = socket.on('status', (s, d) => {
      setStatus(s);
      setStatusDetail(d);
    });
    const offMsg = socket.on('message', (m) => {
      if (m.type === 'chart') {
        if (lastFrame.current >= 0 && m.frame > lastFrame.current + 1)
          chartGapsRef.current += m.frame - lastFrame.current - 1;
        lastFrame.current = m.frame;
        pushChart(chart, m);
        return;
      }
      if (m.type === 'snapshot') {
        lastFrame.current = -1;
        for (const id of m.appliedRatingIds) socket.ack(id);
      } else if (m.type === 'events') {
        for (const e of m.events) {
          if (e.type === 'pain-rating' || e.type === 'perceived-fatigue') socket.ack(e.clientRatingId);
        }
      }
      setPendingCount(socket.pending().length);
      dispatch(m);
    });
    socket.start();
    setPendingCount(socket.pending().length);
    return () => {
      offStatus();
      offMsg();
      socket.stop();
    };
  }, [socket, chart]);

  const send = useCallback((msg: ClientMessage) => socket.send(msg), [socket]);
  const ratePain = useCallback(
    (setId: string | null, rating: number) => {
      const clientRatingId = newId();
      socket.send({ type: 'pain-rating', setId, rating, clientRatingId }, clientRatingId);
      setPendingCount(socket.pending().length);
      return clientRatingId;
    },
    [socket],
  );
  const rateFatigue = useCallback(
    (setId: string | null, rating: number) => {
      const clientRatingId = newId();
      socket.send({ type: 'perceived-fatigue', setId, rating, clientRatingId }, clientRatingId);
      setPendingCount(socket.pending().length);
      return clientRatingId;
    },
    [socket],
  );
  const dropConnection = useCallback(() => socket.dropForTest(), [socket]);

  return {
    state,
    status,
    statusDetail,
    send,
    ratePain,
    rateFatigue,
    pendingCount,
    chart,
    chartGapsRef,
    dropConnection,
  };
}
