/**
 * Parser for the IMU CSV layout shared by BROAD and `hipcue orient`/`analyze`:
 * a header naming at least `t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z` (s, rad/s, m/s²), optionally `mag_x,mag_y,mag_z`
 * (µT), `truth_qw,truth_qx,truth_qy,truth_qz` (sensor → earth) and `movement` (0/1); other columns are ignored.
 * Pure: takes the text, never throws on bad content, returns a typed error naming the line (1-based, header = 1) and
 * column.
 */
export interface ImuCsv {
  /** Sample times, seconds, strictly increasing. */
  tS: Float64Array;
  /** Gyro x,y,z interleaved, rad/s (3n). */
  gyrRadPerS: Float64Array;
  /** Accelerometer x,y,z interleaved, m/s² (3n). */
  accMps2: Float64Array;
  /** Magnetometer x,y,z interleaved, µT (3n); NaN where a cell is empty or NaN. Absent without mag columns. */
  magUt?: Float64Array;
  /** Truth quaternions w,x,y,z interleaved (4n); NaN where the optical truth is missing. */
  truthQ?: Float64Array;
  /** The `movement` column (1 = evaluate), when present. */
  movement?: Uint8Array;
}

export type ImuCsvErrorCode = 'empty' | 'missing-column' | 'not-a-number' | 'non-increasing-time' | 'too-few-cells';

export interface ImuCsvError {
  type: 'error';
  code: ImuCsvErrorCode;
  /** 1-based line number in the text (the header is line 1). */
  line: number;
  /** The column's header name. */
  column: string;
  /** The offending cell, when there is one. */
  value?: string;
  message: string;
}

export type ImuCsvResult = { type: 'ok'; data: ImuCsv } | ImuCsvError;

const REQUIRED = ['t_s', 'gyr_x', 'gyr_y', 'gyr_z', 'acc_x', 'acc_y', 'acc_z'] as const;
const MAG = ['mag_x', 'mag_y', 'mag_z'] as const;
const TRUTH = ['truth_qw', 'truth_qx', 'truth_qy', 'truth_qz'] as const;

function fail(code: ImuCsvErrorCode, line: number, column: string, message: string, value?: string): ImuCsvError {
  return value === undefined
    ? { type: 'error', code, line, column, message }
    : { type: 'error', code, line, column, value, message };
}

/** Number of a cell; NaN for anything that is not a finite decimal (Number('') would be 0, so empty is NaN). */
function cellNumber(cell: string): number {
  return cell.trim() === '' ? Number.NaN : Number(cell);
}

function isNanCell(cell: string): boolean {
  const c = cell.trim().toLowerCase();
  return c === '' || c === 'nan';
}

export function parseImuCsv(text: string): ImuCsvResult {
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').trim();
  if (header === '') return fail('empty', 1, '', 'line 1: expected a CSV header, found an empty line');
  const names = header.split(',').map((h) => h.trim());
  const index = (name: string): number => names.indexOf(name);
  for (const name of REQUIRED) {
    if (index(name) < 0) return fail('missing-column', 1, name, `line 1: missing column "${name}"`);
  }
  const magPresent = MAG.filter((m) => index(m) >= 0).length;
  if (magPresent > 0 && magPresent < 3) {
    const missing = MAG.find((m) => index(m) < 0)!;
    return fail('missing-column', 1, missing, `line 1: missing column "${missing}" (mag needs all three axes)`);
  }
  const truthPresent = TRUTH.filter((m) => index(m) >= 0).length;
  if (truthPresent > 0 && truthPresent < 4) {
    const missing = TRUTH.find((m) => index(m) < 0)!;
    return fail('missing-column', 1, missing, `line 1: missing column "${missing}" (truth needs all four components)`);
  }
  const required = REQUIRED.map(index);
  const mag = magPresent === 3 ? MAG.map(index) : undefined;
  const truth = truthPresent === 4 ? TRUTH.map(index) : undefined;
  const movementCol = index('movement');
  const needCells = 1 + Math.max(...required, ...(mag ?? []), ...(truth ?? []), movementCol);

  const cap = lines.length;
  const tS = new Float64Array(cap);
  const gyr = new Float64Array(3 * cap);
  const acc = new Float64Array(3 * cap);
  const magUt = mag ? new Float64Array(3 * cap) : undefined;
  const truthQ = truth ? new Float64Array(4 * cap) : undefined;
  const movement = movementCol >= 0 ? new Uint8Array(cap) : undefined;
  let n = 0;
  for (let li = 1; li < lines.length; li++) {
    const raw = lines[li]!;
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineText.trim() === '') continue;
    const line = li + 1;
    const cells = lineText.split(',');
    if (cells.length < needCells) {
      const column = names[cells.length] ?? '';
      return fail('too-few-cells', line, column, `line ${line}: ${cells.length} cells, expected ${names.length}`);
    }
    for (let c = 0; c < 7; c++) {
      const col = required[c]!;
      const cell = cells[col]!;
      const v = cellNumber(cell);
      if (!Number.isFinite(v)) {
        return fail(
          'not-a-number',
          line,
          names[col]!,
          `line ${line}, column "${names[col]}": "${cell}" is not a number`,
          cell,
        );
      }
      if (c === 0) tS[n] = v;
      else if (c < 4) gyr[3 * n + c - 1] = v;
      else acc[3 * n + c - 4] = v;
    }
    if (n > 0 && !(tS[n]! > tS[n - 1]!)) {
      const cell = cells[required[0]!]!;
      return fail(
        'non-increasing-time',
        line,
        't_s',
        `line ${line}, column "t_s": ${cell} does not increase on the previous sample (${tS[n - 1]})`,
        cell,
      );
    }
    if (mag && magUt) {
      for (let c = 0; c < 3; c++) {
        const cell = cells[mag[c]!]!;
        const v = cellNumber(cell);
        if (!Number.isFinite(v) && !isNanCell(cell)) {
          return fail(
            'not-a-number',
            line,
            MAG[c]!,
            `line ${line}, column "${MAG[c]}": "${cell}" is not a number`,
            cell,
          );
        }
        magUt[3 * n + c] = v;
      }
    }
    if (truth && truthQ) {
      for (let c = 0; c < 4; c++) {
        const cell = cells[truth[c]!]!;
        const v = cellNumber(cell);
        if (!Number.isFinite(v) && !isNanCell(cell)) {
          return fail(
            'not-a-number',
            line,
            TRUTH[c]!,
            `line ${line}, column "${TRUTH[c]}": "${cell}" is not a number`,
            cell,
          );
        }
        truthQ[4 * n + c] = v;
      }
    }
    if (movement) {
      const cell = cells[movementCol]!;
      const v = cellNumber(cell);
      if (!Number.isFinite(v)) {
        return fail(
          'not-a-number',
          line,
          'movement',
          `line ${line}, column "movement": "${cell}" is not a number`,
          cell,
        );
      }
      movement[n] = v !== 0 ? 1 : 0;
    }
    n++;
  }
  const data: ImuCsv = { tS: tS.slice(0, n), gyrRadPerS: gyr.slice(0, 3 * n), accMps2: acc.slice(0, 3 * n) };
  if (magUt) data.magUt = magUt.slice(0, 3 * n);
  if (truthQ) data.truthQ = truthQ.slice(0, 4 * n);
  if (movement) data.movement = movement.slice(0, n);
  return { type: 'ok', data };
}
