import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Thresholds as DspThresholds } from '@hipcue/dsp';
import { EXPORT_CSV_COLUMNS, isCounted, type SessionListItem, type SessionReview } from '@hipcue/messages';
import type { Recording } from '@hipcue/recording';
import { readRecordingFile } from '@hipcue/recording/node';
import { analyzeRecording, type RecordingAnalysis } from '../session/analyzeRecording.ts';
import type { SessionCore } from '../session/SessionCore.ts';
import type { SessionArchive } from './api.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The review API over `<dataDir>/sessions/*.mcap`. Summaries are re-derived from the raw notifications (same
 * pipeline as live) and cached per file size and mtime; the live session's growing file is re-read each time.
 */
export class DataDirArchive implements SessionArchive {
  private readonly cache = new Map<string, { key: string; item: SessionListItem }>();

  constructor(
    private readonly sessionsDir: string,
    private readonly liveSessionId: () => string | null,
    /** The live session's core: its list entry comes from memory instead of re-analysing a growing file. */
    private readonly liveCore: () => SessionCore | null = () => null,
  ) {}

  async list(): Promise<SessionListItem[]> {
    const names = await readdir(this.sessionsDir).catch(() => [] as string[]);
    const items: SessionListItem[] = [];
    for (const name of names
      .filter((n) => n.endsWith('.mcap'))
      .sort()
      .reverse()) {
      const id = name.slice(0, -'.mcap'.length);
      if (!ID.test(id)) continue;
      const st = await stat(join(this.sessionsDir, name)).catch(() => undefined);
      if (!st?.isFile()) continue;
      const core = this.liveCore();
      if (core && core.sessionId === id) {
        items.push(liveItem(core, st.size));
        continue;
      }
      const key = `${st.size}:${st.mtimeMs}`;
      const cached = this.cache.get(id);
      if (cached && cached.key === key) {
        items.push({ ...cached.item, live: id === this.liveSessionId() });
        continue;
      }
      const loaded = await this.load(id);
      if (!loaded) continue;
      const item = summarize(id, loaded.rec, loaded.analysis, st.size, id === this.liveSessionId());
      this.cache.set(id, { key, item });
      items.push(item);
    }
    return items;
  }

  async review(id: string, thresholds?: Partial<DspThresholds>): Promise<SessionReview | undefined> {
    const loaded = await this.load(id, thresholds);
    if (!loaded) return undefined;
    const { rec, analysis, size } = loaded;
    const st = analysis.core.state;
    return {
      session: summarize(id, rec, analysis, size, id === this.liveSessionId()),
      thresholds: st.thresholds,
      reps: analysis.reps,
      sets: analysis.sets,
      events: analysis.events,
      chart: analysis.chart,
    };
  }

  async exportCsv(id: string): Promise<string | undefined> {
    if (!ID.test(id)) return undefined;
    const rec = await readRecordingFile(join(this.sessionsDir, `${id}.mcap`));
    if (!rec.ok) return undefined;
    const lines: string[] = [EXPORT_CSV_COLUMNS.join(',')];
    const f = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '');
    // Each row's angles are its own sample's (they arrive late for the first reps, analysed after the movement-axis
    // fit); blank before calibration.
    const rows: Array<{ tS: number; imu: string }> = [];
    const angles: Array<{ tS: number; text: string }> = [];
    const analysis = analyzeRecording(rec, id, {
      onSample: (s) => {
        const imu = [s.gyrRadPerS[0], s.gyrRadPerS[1], s.gyrRadPerS[2]].map((x) => f(x, 6));
        for (const x of s.accMps2) imu.push(f(x, 5));
        rows.push({ tS: s.tS, imu: `${f(s.tS, 6)},${imu.join(',')}` });
      },
      onAngles: (tS, tilt, obliquity, rotation) => {
        angles.push({ tS, text: `${f(tilt, 3)},${f(obliquity, 3)},${f(rotation, 3)}` });
      },
    });
    let j = 0;
    for (const r of rows) {
      while (j < angles.length && angles[j]!.tS < r.tS) j++;
      lines.push(`${r.imu},${j < angles.length && angles[j]!.tS === r.tS ? angles[j]!.text : ',,'},,`);
    }
    for (const e of analysis.events) {
      const { type, tS, seq: _seq, ...detail } = e;
      lines.push([f(tS, 6), '', '', '', '', '', '', '', '', '', type, csvQuote(JSON.stringify(detail))].join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  private async load(
    id: string,
    thresholds?: Partial<DspThresholds>,
  ): Promise<{ rec: Recording; analysis: RecordingAnalysis; size: number } | undefined> {
    if (!ID.test(id)) return undefined;
    const path = join(this.sessionsDir, `${id}.mcap`);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const rec = await readRecordingFile(path);
    if (!rec.ok) return undefined;
    return { rec, analysis: analyzeRecording(rec, id, thresholds ? { thresholds } : {}), size: st.size };
  }
}

function summarize(
  id: string,
  rec: Recording,
  a: RecordingAnalysis,
  sizeBytes: number,
  live: boolean,
): SessionListItem {
  const pains = rec.events.flatMap(({ event }) => (event.type === 'pain' ? [event.rating] : []));
  const source = rec.meta?.source;
  const counted = a.reps.filter(isCounted);
  return {
    id,
    patientLabel: rec.meta?.patient ?? '',
    startedAt: rec.meta?.startedAt ?? '',
    durationS: Math.max(0, a.durationS),
    exercise: a.exercise,
    side: a.side,
    source: source === 'sim' ? 'sim' : source === 'replay' ? 'replay' : 'ble',
    simulated: source === 'sim' || rec.meta?.extra.simulated === 'true',
    live,
    reps: counted.length,
    sets: a.sets.length,
    faults: counted.reduce((n, r) => n + r.faults.length, 0),
    maxPainRating: pains.length > 0 ? Math.max(0, Math.min(10, Math.round(Math.max(...pains)))) : null,
    sizeBytes,
  };
}

function liveItem(core: SessionCore, sizeBytes: number): SessionListItem {
  const o = core.options;
  const st = core.state;
  const pains = st.recent.flatMap((e) => (e.type === 'pain-rating' ? [e.rating] : []));
  return {
    id: core.sessionId,
    patientLabel: o.patientLabel,
    startedAt: o.startedAt,
    durationS: Math.max(0, st.nowS),
    exercise: o.exercise,
    side: o.side,
    source: o.source,
    simulated: o.simulated,
    live: true,
    reps: st.reps.length,
    sets: st.sets.length,
    faults: st.reps.reduce((n, r) => n + r.faults.length, 0),
    maxPainRating: pains.length > 0 ? Math.max(...pains) : null,
    sizeBytes,
  };
}

function csvQuote(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
