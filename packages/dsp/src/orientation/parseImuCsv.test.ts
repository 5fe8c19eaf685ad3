import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImuCsv } from './parseImuCsv.ts';

const HEADER = 't_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z';

describe('parseImuCsv', () => {
  it('reads the required columns, in any order, ignoring extra columns and CRLF', () => {
    const text = [
      'note,acc_z,acc_y,acc_x,gyr_z,gyr_y,gyr_x,t_s',
      'a,9.8,0.2,0.1,3,2,1,0.5',
      'b,9.7,0.3,0.4,6,5,4,0.51',
      '',
    ].join('\r\n');
    const r = parseImuCsv(text);
    expect(r.type).toBe('ok');
    if (r.type !== 'ok') return;
    expect(Array.from(r.data.tS)).toEqual([0.5, 0.51]);
    expect(Array.from(r.data.gyrRadPerS)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(r.data.accMps2)).toEqual([0.1, 0.2, 9.8, 0.4, 0.3, 9.7]);
    expect(r.data.magUt).toBeUndefined();
    expect(r.data.truthQ).toBeUndefined();
  });

  it('reads mag, truth (NaN allowed) and movement when present', () => {
    const text = [
      `${HEADER},mag_x,mag_y,mag_z,truth_qw,truth_qx,truth_qy,truth_qz,movement`,
      '0,0,0,0,0,0,9.8,10,20,30,1,0,0,0,0',
      '0.01,0,0,0,0,0,9.8,,NaN,30,NaN,NaN,NaN,NaN,1',
    ].join('\n');
    const r = parseImuCsv(text);
    expect(r.type).toBe('ok');
    if (r.type !== 'ok') return;
    expect(Array.from(r.data.magUt!.slice(0, 3))).toEqual([10, 20, 30]);
    expect(Number.isNaN(r.data.magUt![3]!)).toBe(true);
    expect(r.data.truthQ![0]).toBe(1);
    expect(Number.isNaN(r.data.truthQ![4]!)).toBe(true);
    expect(Array.from(r.data.movement!)).toEqual([0, 1]);
  });

  it('names a missing column', () => {
    const r = parseImuCsv('t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_z\n0,0,0,0,0,9.8\n');
    expect(r).toMatchObject({ type: 'error', code: 'missing-column', line: 1, column: 'acc_y' });
    const m = parseImuCsv(`${HEADER},mag_x,mag_y\n0,0,0,0,0,0,9.8,1,2\n`);
    expect(m).toMatchObject({ type: 'error', code: 'missing-column', column: 'mag_z' });
  });

  it('names the line, column and cell of a non-number', () => {
    const r = parseImuCsv(`${HEADER}\n0,0,0,0,0,0,9.8\n0.01,0,0,abc,0,0,9.8\n`);
    expect(r).toMatchObject({ type: 'error', code: 'not-a-number', line: 3, column: 'gyr_z', value: 'abc' });
    const empty = parseImuCsv(`${HEADER}\n0,0,0,0,,0,9.8\n`);
    expect(empty).toMatchObject({ type: 'error', code: 'not-a-number', line: 2, column: 'acc_x' });
  });

  it('rejects time that does not increase, and short rows', () => {
    const r = parseImuCsv(`${HEADER}\n0,0,0,0,0,0,9.8\n0.01,0,0,0,0,0,9.8\n0.01,0,0,0,0,0,9.8\n`);
    expect(r).toMatchObject({ type: 'error', code: 'non-increasing-time', line: 4, column: 't_s' });
    const short = parseImuCsv(`${HEADER}\n0,0,0,0,0\n`);
    expect(short).toMatchObject({ type: 'error', code: 'too-few-cells', line: 2, column: 'acc_y' });
  });

  it('never throws, whatever the text (property test)', () => {
    const cell = fc.oneof(
      fc.constantFrom('', 'NaN', '1e309', '-0', ' 2 ', 'x', '\r'),
      fc.double().map(String),
      fc.string(),
    );
    const line = fc.array(cell, { maxLength: 10 }).map((cells) => cells.join(','));
    const text = fc
      .tuple(fc.boolean(), fc.array(line, { maxLength: 20 }))
      .map(([withHeader, lines]) =>
        (withHeader ? [`${HEADER},mag_x,mag_y,mag_z,movement`, ...lines] : lines).join('\n'),
      );
    fc.assert(
      fc.property(text, (t) => {
        const r = parseImuCsv(t);
        return r.type === 'ok'
          ? r.data.tS.length * 3 === r.data.gyrRadPerS.length
          : r.line >= 1 && r.message.length > 0;
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('reports an empty file', () => {
    expect(parseImuCsv('')).toMatchObject({ type: 'error', code: 'empty', line: 1 });
  });
});
