import { gunzipSync } from 'node:zlib';
import { analyzeSession, exercises, type ImuCsv, parseImuCsv } from '@hipcue/dsp';
import { SIDES } from '@hipcue/sim';
import { CliError } from '../cliError.ts';
import type { Io } from '../command.ts';
import { type Command, choiceValue, requiredString } from '../command.ts';
import { looksLikeMcap, readInput } from '../files.ts';
import { analysisJson } from '../session/analysisJson.ts';
import { loadRecording } from '../session/loadRecording.ts';
import { type RecordingColumns, recordingColumns } from '../session/recordingColumns.ts';

/**
 * A recording's pelvis samples as analysis columns, with its thigh and upper-lumbar sensors on the same time base
 * (the pipeline uses them where they help, as live).
 */
async function samplesFromRecording(path: string, io: Io): Promise<RecordingColumns> {
  const r = recordingColumns(await loadRecording(path, io));
  if (r.pelvis.tS.length === 0) throw new CliError(`${path} holds no decodable IMU samples`);
  return r;
}

/** An IMU CSV, plain or gzipped (BROAD layout, dsp's parser); a bad file is one CliError naming line and column. */
export function samplesFromCsv(path: string, bytes: Uint8Array): ImuCsv {
  let text: Uint8Array = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes);
    } catch (error) {
      throw new CliError(`${path}: gzip data is damaged (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const parsed = parseImuCsv(new TextDecoder().decode(text));
  if (parsed.type === 'error') throw new CliError(`${path}: ${parsed.message}`);
  if (parsed.data.tS.length < 2) throw new CliError(`${path}: needs at least 2 samples, has ${parsed.data.tS.length}`);
  return parsed.data;
}

export const analyze: Command = {
  name: 'analyze',
  summary: 'reps, sets, faults and cues of a session (IMU CSV or recording) as JSON',
  options: {
    exercise: { type: 'string', description: `exercise (required): ${exercises.join(' | ')}` },
    side: { type: 'string', description: 'working (or top) side (required): left | right' },
    in: {
      type: 'string',
      valueName: 'imu.csv|rec.mcap',
      description: 'session starting with the calibration hold (required)',
    },
  },
  details: [
    'CSV input: header naming at least t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z (s, rad/s, m/s²); extra columns ignored.',
    'Prints { "reps": [{ "start_s", "end_s", "faults", … }], "sets": [{ "start_s", "end_s", "reps", … }],',
    '"cues": [{ "t_s", "code", "text" }], "summary": {…} } on stdout.',
  ].join('\n'),
  async run(values, io) {
    const exercise = choiceValue(values, 'exercise', exercises);
    const side = choiceValue(values, 'side', SIDES);
    const input = requiredString(values, 'in');
    const bytes = await readInput(input);
    const { pelvis, segments } = looksLikeMcap(bytes)
      ? await samplesFromRecording(input, io)
      : { pelvis: samplesFromCsv(input, bytes), segments: {} };
    const result = analyzeSession(pelvis, { exercise, side, segments });
    io.stdout.write(`${JSON.stringify(analysisJson(result), null, 1)}\n`);
  },
};
