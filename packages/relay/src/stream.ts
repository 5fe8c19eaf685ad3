import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EVENTS_STREAM, EVENTS_STREAM_SUBJECTS } from './subjects.ts';

/** Session events are kept 30 days; a re-sent event within 10 minutes of the first copy is dropped as a duplicate. */
export const EVENTS_RETENTION_S = 30 * 24 * 3600;
export const DUPLICATE_WINDOW_S = 600;

/** Creates (or leaves as is) the clinic's events stream. Run once by the clinic admin, never by a gateway. */
export async function ensureEventsStream(o: { servers: string; user: string; password: string }): Promise<void> {
  const nc = await connect({ servers: o.servers, user: o.user, pass: o.password });
  try {
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.streams.info(EVENTS_STREAM);
    } catch {
      await jsm.streams.add({
        name: EVENTS_STREAM,
        subjects: [EVENTS_STREAM_SUBJECTS],
        max_age: EVENTS_RETENTION_S * 1e9,
        duplicate_window: DUPLICATE_WINDOW_S * 1e9,
      });
    }
  } finally {
    await nc.close();
  }
}
