import { ClockAligner, type SegmentRole, type SessionSamples } from '@hipcue/dsp';
import type { Recording } from '@hipcue/recording';
import { pelvisSensorId } from './loadRecording.ts';
import { type DecodedSample, SessionDecoder } from './SessionDecoder.ts';

/** A recording's pelvis samples, and its thigh / upper-lumbar sensors' on the pelvis's time base. */
export interface RecordingColumns {
  pelvis: SessionSamples;
  segments: Partial<Record<SegmentRole, SessionSamples>>;
}

function columns(list: readonly DecodedSample[], tS: (s: DecodedSample) => number): SessionSamples {
  const n = list.length;
  const t = new Float64Array(n);
  const gyr = new Float64Array(3 * n);
  const acc = new Float64Array(3 * n);
  list.forEach((s, i) => {
    t[i] = tS(s);
    gyr.set(s.gyrRadPerS, 3 * i);
    acc.set(s.accMps2, 3 * i);
  });
  return { tS: t, gyrRadPerS: gyr, accMps2: acc };
}

/**
 * Decodes a recording as the gateway does live: every sensor's stream reassembled, each sensor's clock fitted to the
 * host clock from its notifications' arrival (ClockAligner: the lower envelope of arrival − sensor time), so a thigh
 * or upper-lumbar sample lands on the pelvis's time base (sensor → host → pelvis sensor). Backfilled samples are
 * placed by their sequence but not used for the fit (they arrived late by design).
 */
export function recordingColumns(r: Recording): RecordingColumns {
  const pelvisId = pelvisSensorId(r) ?? '';
  const roles = new Map<string, SegmentRole>();
  for (const s of r.meta?.sensors ?? []) {
    if (s.sensorId !== pelvisId && (s.role === 'thigh' || s.role === 'lumbar')) roles.set(s.sensorId, s.role);
  }
  const decoder = new SessionDecoder();
  const lists = new Map<string, DecodedSample[]>();
  const clocks = new Map<string, ClockAligner>();
  let merged = false;
  const take = (outputs: ReturnType<SessionDecoder['feed']>, hostUs: number | undefined) => {
    for (const o of outputs) {
      if (o.type !== 'samples' || (o.sensorId !== pelvisId && !roles.has(o.sensorId))) continue;
      const list = lists.get(o.sensorId) ?? [];
      list.push(...o.samples);
      lists.set(o.sensorId, list);
      merged ||= o.recovered;
      if (hostUs === undefined || o.recovered) continue;
      const clock = clocks.get(o.sensorId) ?? new ClockAligner();
      clocks.set(o.sensorId, clock);
      clock.observe(o.samples.at(-1)!.sensorTimeUs, hostUs);
    }
  };
  for (const n of r.notifications) take(decoder.feed(n), n.hostTimeUs);
  take(decoder.finish(), undefined);
  if (merged) for (const list of lists.values()) list.sort((a, b) => a.seq - b.seq);

  const pelvisList = lists.get(pelvisId) ?? [];
  const pelvis = columns(pelvisList, (s) => s.tS);
  const segments: RecordingColumns['segments'] = {};
  const first = pelvisList[0];
  const pelvisClock = clocks.get(pelvisId);
  if (!first || !pelvisClock) return { pelvis, segments };
  const pelvisT0Us = first.sensorTimeUs - first.tS * 1e6;
  for (const [id, role] of roles) {
    const clock = clocks.get(id);
    const list = lists.get(id);
    if (!clock || !list || list.length === 0) continue;
    const onPelvis = (s: DecodedSample) => (pelvisClock.toSensorUs(clock.toHostUs(s.sensorTimeUs)) - pelvisT0Us) / 1e6;
    segments[role] = columns(list, onPelvis);
  }
  return { pelvis, segments };
}
