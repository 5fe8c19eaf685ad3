import { join } from 'node:path';
import { type Command, requiredString } from '../command.ts';
import { toCsv } from '../csv.ts';
import { makeDir, writeOutput } from '../files.ts';
import { loadRecording, pelvisSensorId } from '../session/loadRecording.ts';
import { type DecodedSample, decodeAll } from '../session/SessionDecoder.ts';

function samplesCsv(samples: readonly DecodedSample[]): string {
  const withMag = samples.some((s) => s.magUt !== undefined);
  const header = ['t_s', 'gyr_x', 'gyr_y', 'gyr_z', 'acc_x', 'acc_y', 'acc_z'];
  if (withMag) header.push('mag_x', 'mag_y', 'mag_z');
  header.push('seq', 'sensor_time_us', 'backfill');
  const rows = samples.map((s) => [
    s.tS,
    ...s.gyrRadPerS,
    ...s.accMps2,
    ...(withMag ? (s.magUt ?? ['', '', '']) : []),
    s.seq,
    s.sensorTimeUs,
    s.backfill ? 1 : 0,
  ]);
  return toCsv(header, rows);
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a recording as CSV/JSON (samples, events, truth)',
  options: {
    in: { type: 'string', valueName: 'rec.mcap', description: 'recording to read (required)' },
    out: { type: 'string', valueName: 'dir', description: 'directory to write into (required)' },
  },
  details: [
    'Writes: notifications.csv (host_time_us, sensor_id, characteristic, backfill, bytes_hex: the raw notifications),',
    'samples.csv (pelvis sensor, in the IMU CSV layout `hipcue analyze`/`orient` read: t_s, gyr_* rad/s, acc_* m/s²,',
    '[mag_* µT], seq, sensor_time_us, backfill), samples-<sensorId>.csv for other sensors, gaps.csv, events.csv/.json,',
    'angles.csv (if recorded), truth_reps.csv/.json and truth_angles.csv (simulated sessions), meta.json (session',
    'metadata, completeness, problems).',
  ].join('\n'),
  async run(values, io) {
    const input = requiredString(values, 'in');
    const dir = requiredString(values, 'out');
    const r = await loadRecording(input, io);
    await makeDir(dir);
    const { samples, outputs } = decodeAll(r.notifications);
    const pelvis = pelvisSensorId(r);
    const written: string[] = [];
    const write = async (name: string, data: string) => {
      await writeOutput(join(dir, name), data);
      written.push(name);
    };
    for (const [sensorId, list] of samples) {
      await write(
        sensorId === pelvis ? 'samples.csv' : `samples-${sensorId.replace(/[^\w.-]/g, '_')}.csv`,
        samplesCsv(list),
      );
    }
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    await write(
      'notifications.csv',
      toCsv(
        ['host_time_us', 'sensor_id', 'characteristic', 'backfill', 'bytes_hex'],
        r.notifications.map((n) => [n.hostTimeUs, n.sensorId, n.characteristic, n.backfill ? 1 : 0, hex(n.bytes)]),
      ),
    );
    const gaps = outputs.flatMap((o) => (o.type === 'gap' ? [o] : []));
    await write(
      'gaps.csv',
      toCsv(
        ['sensor_id', 'from_seq', 'to_seq', 'lost_samples', 'from_s', 'to_s'],
        gaps.map((g) => [g.sensorId, g.fromSeq, g.toSeq, g.lostSamples, g.fromS, g.toS]),
      ),
    );
    const events = r.events.map((e) => ({ hostTimeUs: e.hostTimeUs, ...e.event }));
    await write('events.json', `${JSON.stringify(events, null, 1)}\n`);
    await write(
      'events.csv',
      toCsv(
        ['host_time_us', 'type', 't_s', 'details'],
        r.events.map(({ hostTimeUs, event: { type, tS, ...rest } }) => [hostTimeUs, type, tS, rest]),
      ),
    );
    const angleRows = (list: typeof r.angles) => list.map((a) => [a.tS, a.tiltDeg, a.obliquityDeg, a.rotationDeg]);
    const angleHeader = ['t_s', 'tilt_deg', 'obliquity_deg', 'rotation_deg'];
    if (r.angles.length > 0) await write('angles.csv', toCsv(angleHeader, angleRows(r.angles)));
    if (r.truth) {
      await write('truth_reps.json', `${JSON.stringify(r.truth.reps, null, 1)}\n`);
      await write(
        'truth_reps.csv',
        toCsv(
          ['set', 'rep', 'start_s', 'end_s', 'faults', 'fault_start_s'],
          r.truth.reps.map((t) => [
            t.set,
            t.rep,
            t.startS,
            t.endS,
            t.faults.map((f) => f.code).join(';'),
            t.faults.map((f) => f.startS).join(';'),
          ]),
        ),
      );
      await write('truth_angles.csv', toCsv(angleHeader, angleRows(r.truth.angles)));
    }
    const counts = { notifications: r.notifications.length, events: r.events.length, gaps: gaps.length };
    await write(
      'meta.json',
      `${JSON.stringify({ meta: r.meta, complete: r.complete, problems: r.problems, counts }, null, 1)}\n`,
    );
    io.stderr.write(`wrote ${written.length} files to ${dir}: ${written.join(', ')}\n`);
  },
};
