/**
 * The `hipcue` command as a user runs it: a child process (tsx on main.ts), asserting exit codes, stdout and the
 * one-line stderr for user errors. The happy path chains sim → export → analyze → replay on one small session.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.ts';

const root = join(import.meta.dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const mainTs = join(import.meta.dirname, 'main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function hipcue(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [mainTs, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A user error: non-zero exit, exactly one stderr line matching `pattern`, no stack trace. */
function expectOneLineError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hipcue-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** In process (fast) for the many argument cases; the child-process tests below cover each kind once. */
async function inProcess(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    ({
      write: (s: string) => {
        append(s);
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  const code = await main(args, {
    stdout: sink((s) => {
      stdout += s;
    }),
    stderr: sink((s) => {
      stderr += s;
    }),
    interactive: false,
  });
  return { code, stdout, stderr };
}

describe('hipcue arguments (in process)', () => {
  it('prints the command list and exits 2 without a command', async () => {
    const r = await inProcess();
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Commands:[\s\S]*replay/);
  });

  it('names an unknown command', async () => {
    expectOneLineError(await inProcess('simulate'), 2, /unknown command 'simulate'/);
  });

  it('names a bad choice, a bad number, a bad fault list and a missing option', async () => {
    expectOneLineError(
      await inProcess('sim', '--exercise', 'yoga', '--out', 'x.mcap'),
      2,
      /--exercise 'yoga' is not one of/,
    );
    expectOneLineError(await inProcess('sim', '--loss', 'lots', '--out', 'x.mcap'), 2, /--loss 'lots' is not a number/);
    expectOneLineError(
      await inProcess('sim', '--faults', 'wobble', '--out', 'x.mcap'),
      2,
      /'wobble' is not a fault code/,
    );
    expectOneLineError(await inProcess('sim', '--reps', '5-2', '--out', 'x.mcap'), 2, /--reps '5-2'/);
    expectOneLineError(
      await inProcess('sim', '--extra-sensors', 'thigh,knee', '--out', 'x.mcap'),
      2,
      /--extra-sensors: 'knee' is not a sensor \(thigh, lumbar\)/,
    );
    expectOneLineError(await inProcess('export', '--in', 'a.mcap'), 2, /--out is required/);
    expectOneLineError(await inProcess('analyze', '--exercise', 'clamshell', '--in', 'a.csv'), 2, /--side is required/);
    expectOneLineError(await inProcess('replay', '--in', 'a.mcap', 'extra'), 2, /unexpected argument 'extra'/);
  });

  it('refuses a file that is not a recording', async () => {
    const csv = join(dir, 'not-a-recording.csv');
    await writeFile(csv, 'hello\n');
    expectOneLineError(await inProcess('replay', '--in', csv), 1, /not a hipcue recording: not an MCAP file/);
  });

  it('orients a gzipped CSV and names damaged gzip data', async () => {
    const rows = ['t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z,extra'];
    for (let i = 0; i < 400; i++) rows.push(`${i / 200},0,0,${i < 200 ? 0 : 0.5},0,0,9.80665,x`);
    const gz = join(dir, 'imu.csv.gz');
    await writeFile(gz, gzipSync(`${rows.join('\n')}\n`));
    const q = join(dir, 'gz-quat.csv');
    const r = await inProcess('orient', '--in', gz, '--out', q, '--six-axis');
    expect(r.code, r.stderr).toBe(0);
    const out = (await readFile(q, 'utf8')).trimEnd().split('\n');
    expect(out).toHaveLength(401);
    // Level, then 0.5 rad/s about z for 199 samples at 200 Hz: the heading turns by that angle θ, qz = ±sin(θ/2).
    const [, w, x, y, z] = out.at(-1)!.split(',').map(Number);
    expect(Math.abs(z!)).toBeCloseTo(Math.sin((0.5 * (399 - 200)) / 200 / 2), 1);
    expect(Math.hypot(x!, y!)).toBeLessThan(0.01);
    expect(Math.hypot(w!, x!, y!, z!)).toBeCloseTo(1, 9);
    const bad = join(dir, 'bad.csv.gz');
    await writeFile(bad, Buffer.from([0x1f, 0x8b, 0x08, 1, 2, 3]));
    expectOneLineError(await inProcess('orient', '--in', bad, '--out', q), 1, /gzip data is damaged/);
  });

  it('answers --help on every subcommand', async () => {
    for (const name of ['sim', 'replay', 'export', 'corpus', 'orient', 'analyze', 'eval']) {
      const r = await inProcess(name, '--help');
      expect(r.code, name).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^hipcue ${name} — [\\s\\S]*--help`));
    }
  });
});

describe.concurrent('hipcue bad arguments and bad files (child process)', () => {
  it('names an unknown option', async () => {
    expectOneLineError(await hipcue('sim', '--sedd', '3', '--out', join(dir, 'x.mcap')), 2, /--sedd/);
  });

  it('names a missing file', async () => {
    expectOneLineError(
      await hipcue('export', '--in', join(dir, 'missing.mcap'), '--out', join(dir, 'o')),
      1,
      /cannot read .*missing\.mcap: no such file/,
    );
  });

  it('names the line and column of a bad CSV', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, 't_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z\n0,0,0,0,0,0,9.8\n0.005,0,zero,0,0,0,9.8\n');
    expectOneLineError(
      await hipcue('orient', '--in', csv, '--out', join(dir, 'q.csv')),
      1,
      /bad\.csv: .*(line 3|gyr_y)/,
    );
  });
});

describe.concurrent('hipcue: sim → export → analyze → replay', () => {
  const rec = () => join(dir, 'session.mcap');
  const out = () => join(dir, 'export');
  let truthReps = 0;
  let analysis: Promise<Run> | undefined;
  /** `hipcue analyze` on the recording, run once and shared by the tests that compare against it. */
  const analyzeRecording = () => {
    analysis ??= hipcue('analyze', '--exercise', 'glute-bridge', '--side', 'right', '--in', rec());
    return analysis;
  };

  beforeAll(async () => {
    const r = await hipcue(
      'sim',
      '--exercise',
      'glute-bridge',
      '--side',
      'right',
      '--seed',
      '11',
      '--reps',
      '3',
      '--faults',
      'lumbar_arch:0.5',
      '--out',
      rec(),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/wrote .*session\.mcap/);
    const e = await hipcue('export', '--in', rec(), '--out', out());
    expect(e.code, e.stderr).toBe(0);
    truthReps = JSON.parse(await readFile(join(out(), 'truth_reps.json'), 'utf8')).length;
  });

  it('exports samples, truth and metadata', async () => {
    expect(truthReps).toBe(3);
    const samples = (await readFile(join(out(), 'samples.csv'), 'utf8')).trimEnd().split('\n');
    expect(samples[0]).toBe('t_s,gyr_x,gyr_y,gyr_z,acc_x,acc_y,acc_z,seq,sensor_time_us,backfill');
    expect(samples.length).toBeGreaterThan(1000);
    const meta = JSON.parse(await readFile(join(out(), 'meta.json'), 'utf8'));
    const raw = (await readFile(join(out(), 'notifications.csv'), 'utf8')).trimEnd().split('\n');
    expect(raw.length - 1).toBe(meta.counts.notifications);
    expect(raw[1]).toMatch(/^\d+,sim-pelvis,7a1e0002[0-9a-f]+,0,[0-9a-f]+$/);
    expect(meta).toMatchObject({
      complete: true,
      problems: [],
      meta: { exercise: 'glute-bridge', side: 'right', source: 'sim' },
    });
  });

  it('analyzes the recording and its CSV export identically', async () => {
    const args = ['analyze', '--exercise', 'glute-bridge', '--side', 'right', '--in'];
    const [fromMcap, fromCsv] = await Promise.all([analyzeRecording(), inProcess(...args, join(out(), 'samples.csv'))]);
    expect(fromMcap.code, fromMcap.stderr).toBe(0);
    expect(fromCsv.stdout).toBe(fromMcap.stdout);
    const a = JSON.parse(fromMcap.stdout);
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['reps', 'sets', 'cues', 'summary']));
    for (const rep of a.reps)
      expect(rep).toMatchObject({ start_s: expect.any(Number), end_s: expect.any(Number), faults: expect.any(Array) });
    expect(Math.abs(a.reps.length - truthReps)).toBeLessThanOrEqual(1);
  });

  it('replays the recording through the pipeline as JSON lines, a cut copy as far as it goes', async () => {
    const bytes = await readFile(rec());
    const cut = join(dir, 'cut.mcap');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const [r, a, c] = await Promise.all([
      hipcue('replay', '--in', rec()),
      analyzeRecording(),
      hipcue('replay', '--in', cut),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ type: 'replay-summary', complete: true });
    const analyzed = JSON.parse(a.stdout);
    expect(lines.filter((l) => l.type === 'rep').map((l) => l.rep.endS)).toEqual(
      analyzed.reps.map((x: { end_s: number }) => x.end_s),
    );

    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(/^hipcue: warning: .*cut\.mcap: .*(cut|declares)/);
    const cutSummary = JSON.parse(c.stdout.trimEnd().split('\n').at(-1)!);
    expect(cutSummary).toMatchObject({ type: 'replay-summary', complete: false });
    expect(cutSummary.notifications).toBeGreaterThan(0);
    expect(cutSummary.notifications).toBeLessThan(summary.notifications);
  });

  it('orients the exported samples, one unit quaternion per row', async () => {
    const q = join(dir, 'quat.csv');
    const r = await hipcue('orient', '--in', join(out(), 'samples.csv'), '--out', q);
    expect(r.code, r.stderr).toBe(0);
    const rows = (await readFile(q, 'utf8')).trimEnd().split('\n');
    const samples = (await readFile(join(out(), 'samples.csv'), 'utf8')).trimEnd().split('\n');
    expect(rows[0]).toBe('t_s,qw,qx,qy,qz');
    expect(rows.length).toBe(samples.length);
    for (const row of rows.slice(1, 200)) {
      const [, w, x, y, z] = row.split(',').map(Number);
      expect(Math.hypot(w!, x!, y!, z!)).toBeCloseTo(1, 9);
    }
  });
});

describe('hipcue analyze: a recording with a second sensor', () => {
  it('puts the thigh on the pelvis time base and counts the clamshells from it', async () => {
    const rec = join(dir, 'clamshell-thigh.mcap');
    const args = ['--exercise', 'clamshell', '--side', 'left', '--seed', '9', '--reps', '9'];
    const sim = await inProcess(
      'sim',
      ...args,
      '--faults',
      'partial_range:0.4',
      '--extra-sensors',
      'thigh',
      '--out',
      rec,
    );
    expect(sim.code, sim.stderr).toBe(0);
    const truth = Number(/(\d+) reps/.exec(sim.stderr)?.[1]);
    const r = await inProcess('analyze', '--exercise', 'clamshell', '--side', 'left', '--in', rec);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.calibration.segments).toEqual({ thigh: 'ok' });
    expect(a.reps).toHaveLength(truth);
    // the knee opening (30–50° for a full rep) is the range now, not the pelvis's 1–4° roll
    expect(Math.max(...a.reps.map((x: { range_deg: number }) => x.range_deg))).toBeGreaterThan(20);
  });
});
