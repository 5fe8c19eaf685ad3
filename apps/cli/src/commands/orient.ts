import { orientBatch } from '@hipcue/dsp';
import { type Command, requiredString } from '../command.ts';
import { readInput, writeOutput } from '../files.ts';
import { samplesFromCsv } from './analyze.ts';

export const orient: Command = {
  name: 'orient',
  summary: 'orientation (sensor → earth quaternions) from an IMU CSV',
  options: {
    in: { type: 'string', valueName: 'imu.csv', description: 'IMU CSV (required)' },
    out: { type: 'string', valueName: 'quat.csv', description: 'quaternion CSV to write (required)' },
    'six-axis': { type: 'boolean', description: 'ignore mag_* columns (gyro + accelerometer only)' },
  },
  details: [
    'Input: header naming at least t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z (s, rad/s, m/s²), mag_x,mag_y,mag_z (µT)',
    'optional (used when present and complete, unless --six-axis), other columns ignored — the layout of the BROAD',
    'dataset; .csv.gz is read too.',
    'Output: t_s,qw,qx,qy,qz — sensor → earth, ENU z-up, one row per input row.',
  ].join('\n'),
  async run(values, io) {
    const input = requiredString(values, 'in');
    const out = requiredString(values, 'out');
    const data = samplesFromCsv(input, await readInput(input));
    const tS = data.tS;
    const useMag = values['six-axis'] !== true && data.magUt !== undefined && !data.magUt.some(Number.isNaN);
    const mag = useMag ? data.magUt : undefined;
    const q = orientBatch(tS, data.gyrRadPerS, data.accMps2, mag);
    const lines = ['t_s,qw,qx,qy,qz'];
    for (let i = 0; i < tS.length; i++) {
      lines.push(`${tS[i]},${q[4 * i]},${q[4 * i + 1]},${q[4 * i + 2]},${q[4 * i + 3]}`);
    }
    await writeOutput(out, `${lines.join('\n')}\n`);
    io.stderr.write(`wrote ${out}: ${tS.length} orientations${mag ? ' (with magnetometer)' : ''}\n`);
  },
};
