/**
 * Black-box scorer: runs `hipcue analyze` (apps/cli) on every recording written by generate.ts and compares its reps,
 * sets and fault flags with the labels. See README.md in this folder.
 *
 *   node_modules/.bin/tsx test/independent/score.ts --in /tmp/indep [--out /tmp/indep/score.json] [--jobs 2]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const CLI = join('apps', 'cli', 'src', 'main.ts');
const MIN_OVERLAP = 0.3;

const FAULT_CODES = ['lumbar_arch', 'pelvic_drop', 'pelvic_roll', 'hip_sag', 'partial_range', 'rushed_tempo'] as const;
type FaultCode = (typeof FAULT_CODES)[number];
const APPLIES: Record<FaultCode, readonly string[]> = {
  lumbar_arch: ['glute-bridge', 'hip-thrust'],
  pelvic_drop: ['glute-bridge', 'hip-thrust'],
  pelvic_roll: ['clamshell', 'side-plank-clamshell'],
  hip_sag: ['side-plank-clamshell'],
  partial_range: ['glute-bridge', 'hip-thrust', 'clamshell', 'side-plank-clamshell'],
  rushed_tempo: ['glute-bridge', 'hip-thrust', 'clamshell', 'side-plank-clamshell'],
};

interface TrueRep {
  start_s: number;
  peak_s: number;
  end_s: number;
  faults: string[];
}

interface Label {
  id: string;
  exercise: string;
  side: 'left' | 'right';
  duration_s: number;
  calibration?: { start_s: number; end_s: number };
  factors: { levels?: Record<string, string> } & Record<string, unknown>;
  sets: { start_s: number; end_s: number; reps: number }[];
  reps: TrueRep[];
}

interface DetRep {
  start_s: number;
  end_s: number;
  faults: string[];
}

interface RunOutcome {
  ok: boolean;
  exitCode: number | null;
  stderr: string;
  wallS: number;
  reps: DetRep[];
  sets: number;
  cues: number;
  anomalies: string[];
  /** Softer oddities: set intervals that do not fit their reps, a calibration hold that is not the real one. */
  notes: string[];
  raw: Record<string, unknown> | null;
  stdout: string;
}

interface RecordingResult {
  id: string;
  exercise: string;
  side: string;
  levels: Record<string, string>;
  ok: boolean;
  error: string | null;
  wallS: number;
  trueReps: number;
  detReps: number;
  matched: number;
  trueSets: number;
  detSets: number;
  countError: number;
  anomalies: string[];
  /** Per true rep: index of the matched detected rep, or -1. */
  match: number[];
  trueFaults: string[][];
  detFaults: string[][];
  detFaultsUnmatched: string[];
  notes: string[];
  /** The CLI's calibration output, if it reports one, against the truth. */
  calibration: {
    holdStartS: number | null;
    holdEndS: number | null;
    inTrueHold: boolean | null;
    qpsErrorDeg: number | null;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI.

function runCli(label: Label, csv: string, timeoutS: number): Promise<RunOutcome> {
  return new Promise((done) => {
    const t0 = Date.now();
    const args = [CLI, 'analyze', '--exercise', label.exercise, '--side', label.side, '--in', csv];
    const child = spawn(TSX, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    }, timeoutS * 1000);
    child.on('error', (e) => {
      err.push(Buffer.from(String(e)));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallS = (Date.now() - t0) / 1000;
      const stdout = Buffer.concat(out).toString('utf8');
      let stderr = Buffer.concat(err).toString('utf8').trim();
      if (timedOut) stderr = `timed out after ${timeoutS} s. ${stderr}`;
      if (code !== 0 || timedOut) {
        done({ ...FAILED_RUN, exitCode: code, stderr, wallS, stdout });
        return;
      }
      done(parseOutput(stdout, stderr, wallS, label));
    });
  });
}

const FAILED_RUN: RunOutcome = {
  ok: false,
  exitCode: null,
  stderr: '',
  wallS: 0,
  reps: [],
  sets: 0,
  cues: 0,
  anomalies: [],
  notes: [],
  raw: null,
  stdout: '',
};

/** The commit (and whether the tree has changes) of the code under test, for the report. */
function gitDescribe(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'apps'], {
      cwd: REPO,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} + uncommitted changes in ${dirty.split('\n').length} file(s)` : head;
  } catch {
    return 'unknown';
  }
}

function qAngleDeg(a: number[], b: number[]): number {
  const d = Math.abs(a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!);
  return (2 * Math.acos(Math.min(1, d)) * 180) / Math.PI;
}

/** Reads an optional `calibration: { holdStartS, holdEndS, qPS }` from the CLI output; compares it with the truth. */
function calibrationCheck(raw: Record<string, unknown> | null, label: Label): RecordingResult['calibration'] {
  const c = (raw?.calibration ?? null) as Record<string, unknown> | null;
  const out: RecordingResult['calibration'] = { holdStartS: null, holdEndS: null, inTrueHold: null, qpsErrorDeg: null };
  if (!c) return out;
  if (isFiniteNumber(c.holdStartS) && isFiniteNumber(c.holdEndS)) {
    out.holdStartS = c.holdStartS;
    out.holdEndS = c.holdEndS;
    const end = label.calibration?.end_s;
    // the pelvis is still until the first rep starts (lead-in), so accept holds that end before it
    const firstRep = label.reps[0]?.start_s ?? Number.POSITIVE_INFINITY;
    if (end !== undefined) out.inTrueHold = c.holdEndS <= Math.max(end, firstRep) + 0.05;
  }
  const truth = label.factors.mounting_q_ps;
  if (Array.isArray(c.qPS) && c.qPS.length === 4 && Array.isArray(truth) && truth.length === 4) {
    out.qpsErrorDeg = Math.round(qAngleDeg(c.qPS as number[], truth as number[]) * 10) / 10;
  }
  return out;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function parseOutput(stdout: string, stderr: string, wallS: number, label: Label): RunOutcome {
  const anomalies: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch (e) {
    return {
      ...FAILED_RUN,
      exitCode: 0,
      stderr: `exit 0 but stdout is not JSON (${String(e)}): ${stdout.slice(0, 200)} ${stderr}`,
      wallS,
      anomalies: ['stdout not JSON'],
      stdout,
    };
  }
  if (stderr) anomalies.push(`stderr on success: ${stderr.slice(0, 200)}`);
  const o = (doc ?? {}) as Record<string, unknown>;
  const repsRaw = Array.isArray(o.reps) ? (o.reps as unknown[]) : [];
  if (!Array.isArray(o.reps)) anomalies.push('no reps array');
  if (!Array.isArray(o.sets)) anomalies.push('no sets array');
  if (!Array.isArray(o.cues)) anomalies.push('no cues array');
  if (o.summary === undefined) anomalies.push('no summary');
  const reps: DetRep[] = [];
  repsRaw.forEach((r, i) => {
    const rr = (r ?? {}) as Record<string, unknown>;
    if (!isFiniteNumber(rr.start_s) || !isFiniteNumber(rr.end_s)) {
      anomalies.push(`rep ${i}: start_s/end_s not finite numbers`);
      return;
    }
    if (rr.end_s < rr.start_s) anomalies.push(`rep ${i}: end_s < start_s`);
    if (rr.start_s < -0.5 || rr.end_s > label.duration_s + 0.5) anomalies.push(`rep ${i}: outside the recording`);
    const faults = Array.isArray(rr.faults) ? rr.faults.filter((f): f is string => typeof f === 'string') : [];
    if (!Array.isArray(rr.faults)) anomalies.push(`rep ${i}: faults not an array`);
    for (const f of faults) {
      if (!(FAULT_CODES as readonly string[]).includes(f)) anomalies.push(`unknown fault code ${f}`);
      else if (!APPLIES[f as FaultCode].includes(label.exercise)) anomalies.push(`${f} flagged on ${label.exercise}`);
    }
    reps.push({ start_s: rr.start_s, end_s: rr.end_s, faults });
  });
  for (let i = 1; i < reps.length; i++) {
    if (reps[i]!.start_s < reps[i - 1]!.end_s - 1e-6) anomalies.push(`reps ${i - 1} and ${i} overlap or are unsorted`);
  }
  const setsRaw = Array.isArray(o.sets) ? (o.sets as unknown[]) : [];
  const notes: string[] = [];
  let setRepSum = 0;
  setsRaw.forEach((s, i) => {
    const ss = (s ?? {}) as Record<string, unknown>;
    if (!isFiniteNumber(ss.start_s) || !isFiniteNumber(ss.end_s)) anomalies.push(`set ${i}: bad start_s/end_s`);
    if (isFiniteNumber(ss.reps)) setRepSum += ss.reps;
    else anomalies.push(`set ${i}: reps not a number`);
    // reps that name this set (if the output carries a set index)
    const mine = repsRaw
      .map((r) => (r ?? {}) as Record<string, unknown>)
      .filter((r) => r.set === i && isFiniteNumber(r.start_s) && isFiniteNumber(r.end_s));
    if (mine.length && isFiniteNumber(ss.start_s) && isFiniteNumber(ss.end_s)) {
      const first = Math.min(...mine.map((r) => r.start_s as number));
      const last = Math.max(...mine.map((r) => r.end_s as number));
      if (isFiniteNumber(ss.reps) && ss.reps !== mine.length) {
        anomalies.push(`set ${i}: reps ${ss.reps} but ${mine.length} reps carry set ${i}`);
      }
      if (first - ss.start_s > 5)
        notes.push(`set ${i} starts ${(first - ss.start_s).toFixed(1)} s before its first rep`);
      if (ss.start_s > first + 0.05)
        notes.push(`set ${i} starts ${(ss.start_s - first).toFixed(2)} s after its first rep`);
      if (ss.end_s < last - 0.05) notes.push(`set ${i} ends ${(last - ss.end_s).toFixed(2)} s before its last rep`);
      if (ss.end_s - last > 5) notes.push(`set ${i} ends ${(ss.end_s - last).toFixed(1)} s after its last rep`);
    }
  });
  if (setsRaw.length > 0 && setRepSum !== reps.length) {
    anomalies.push(`sets count ${setRepSum} reps but reps[] has ${reps.length}`);
  }
  const cues = Array.isArray(o.cues) ? o.cues.length : 0;
  return {
    ok: true,
    exitCode: 0,
    stderr,
    wallS,
    reps,
    sets: setsRaw.length,
    cues,
    anomalies: [...new Set(anomalies)],
    notes,
    raw: o,
    stdout,
  };
}

async function pool<T, R>(items: T[], jobs: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Matching and metrics.

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** One-to-one greedy matching by greatest overlap; a pair qualifies when it overlaps ≥ 30 % of the true rep. */
function matchReps(truth: TrueRep[], det: DetRep[]): number[] {
  const pairs: { i: number; j: number; ov: number }[] = [];
  truth.forEach((t, i) => {
    const dur = Math.max(1e-6, t.end_s - t.start_s);
    det.forEach((d, j) => {
      const ov = overlap(t.start_s, t.end_s, d.start_s, d.end_s);
      if (ov >= MIN_OVERLAP * dur) pairs.push({ i, j, ov });
    });
  });
  pairs.sort((a, b) => b.ov - a.ov);
  const match = new Array<number>(truth.length).fill(-1);
  const used = new Set<number>();
  for (const p of pairs) {
    if (match[p.i] !== -1 || used.has(p.j)) continue;
    match[p.i] = p.j;
    used.add(p.j);
  }
  return match;
}

interface CountStats {
  n: number;
  exactPct: number;
  within1Pct: number;
  meanAbsErr: number;
  meanSignedErr: number;
  repRecallPct: number;
  repPrecisionPct: number;
  failures: number;
}

function countStats(rs: RecordingResult[]): CountStats {
  const n = rs.length;
  const exact = rs.filter((r) => r.countError === 0).length;
  const w1 = rs.filter((r) => Math.abs(r.countError) <= 1).length;
  const tr = rs.reduce((s, r) => s + r.trueReps, 0);
  const dr = rs.reduce((s, r) => s + r.detReps, 0);
  const m = rs.reduce((s, r) => s + r.matched, 0);
  const pct = (a: number, b: number): number => (b > 0 ? Math.round((1000 * a) / b) / 10 : Number.NaN);
  return {
    n,
    exactPct: pct(exact, n),
    within1Pct: pct(w1, n),
    meanAbsErr: n ? Math.round((100 * rs.reduce((s, r) => s + Math.abs(r.countError), 0)) / n) / 100 : Number.NaN,
    meanSignedErr: n ? Math.round((100 * rs.reduce((s, r) => s + r.countError, 0)) / n) / 100 : Number.NaN,
    repRecallPct: pct(m, tr),
    repPrecisionPct: pct(m, dr),
    failures: rs.filter((r) => !r.ok).length,
  };
}

interface FaultStats {
  code: string;
  exercises: string[];
  trueFaulty: number;
  trueFaultyMatched: number;
  flagged: number;
  sensitivityPct: number;
  cleanMatched: number;
  cleanNotFlagged: number;
  specificityPct: number;
  flaggedOnUnmatchedDetections: number;
  perExercise: Record<string, { trueFaulty: number; flagged: number; cleanMatched: number; falseFlags: number }>;
  /** What the detector flagged on matched true reps of this code (codes → count; 'none' = nothing). */
  flaggedAs: Record<string, number>;
}

function faultStats(rs: RecordingResult[]): FaultStats[] {
  const pct = (a: number, b: number): number => (b > 0 ? Math.round((1000 * a) / b) / 10 : Number.NaN);
  return FAULT_CODES.map((code) => {
    const ex = APPLIES[code];
    const st: FaultStats = {
      code,
      exercises: [...ex],
      trueFaulty: 0,
      trueFaultyMatched: 0,
      flagged: 0,
      sensitivityPct: Number.NaN,
      cleanMatched: 0,
      cleanNotFlagged: 0,
      specificityPct: Number.NaN,
      flaggedOnUnmatchedDetections: 0,
      perExercise: {},
      flaggedAs: {},
    };
    for (const r of rs) {
      if (!ex.includes(r.exercise)) continue;
      if (!st.perExercise[r.exercise]) {
        st.perExercise[r.exercise] = { trueFaulty: 0, flagged: 0, cleanMatched: 0, falseFlags: 0 };
      }
      const pe = st.perExercise[r.exercise]!;
      r.trueFaults.forEach((tf, i) => {
        const j = r.match[i]!;
        const det = j >= 0 ? r.detFaults[j]! : null;
        if (tf.includes(code)) {
          st.trueFaulty++;
          pe.trueFaulty++;
          if (det) {
            st.trueFaultyMatched++;
            const key = det.length ? det.join('+') : 'none';
            st.flaggedAs[key] = (st.flaggedAs[key] ?? 0) + 1;
            if (det.includes(code)) {
              st.flagged++;
              pe.flagged++;
            }
          }
        } else if (det) {
          st.cleanMatched++;
          pe.cleanMatched++;
          if (!det.includes(code)) st.cleanNotFlagged++;
          else pe.falseFlags++;
        }
      });
      st.flaggedOnUnmatchedDetections += r.detFaultsUnmatched.filter((f) => f === code).length;
    }
    st.sensitivityPct = pct(st.flagged, st.trueFaulty);
    st.specificityPct = pct(st.cleanNotFlagged, st.cleanMatched);
    return st;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Report.

function fmt(x: number): string {
  return Number.isNaN(x) ? '–' : String(x);
}

function countTable(title: string, rows: [string, CountStats][]): string {
  const head =
    `| ${title} | n | exact % | ±1 % | mean abs err | mean signed err | rep recall % | rep precision % | failures |\n` +
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n';
  return (
    head +
    rows
      .map(
        ([k, s]) =>
          `| ${k} | ${s.n} | ${fmt(s.exactPct)} | ${fmt(s.within1Pct)} | ${fmt(s.meanAbsErr)} | ` +
          `${fmt(s.meanSignedErr)} | ${fmt(s.repRecallPct)} | ${fmt(s.repPrecisionPct)} | ${s.failures} |`,
      )
      .join('\n')
  );
}

function groupBy(rs: RecordingResult[], key: (r: RecordingResult) => string): [string, RecordingResult[]][] {
  const m = new Map<string, RecordingResult[]>();
  for (const r of rs) {
    const k = key(r);
    const arr = m.get(k) ?? [];
    arr.push(r);
    m.set(k, arr);
  }
  return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }));
}

function badness(r: RecordingResult): number {
  if (!r.ok) return 1e6 + r.trueReps;
  const misses = r.trueReps - r.matched;
  const extras = r.detReps - r.matched;
  return 1000 * Math.abs(r.countError) + misses + extras;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      jobs: { type: 'string', default: '2' },
      timeout: { type: 'string', default: '900' },
      worst: { type: 'string', default: '10' },
      limit: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.in) {
    process.stdout.write(
      'usage: tsx test/independent/score.ts --in <dir> [--out <dir>/score.json] [--jobs 2] [--timeout 900] ' +
        '[--worst 10] [--limit N]\n',
    );
    process.exit(values.help ? 0 : 2);
  }
  const dir = resolve(values.in);
  const outPath = resolve(values.out ?? join(dir, 'score.json'));
  const jobs = Math.max(1, Number(values.jobs));
  const timeoutS = Number(values.timeout);
  const worstN = Number(values.worst);
  let labels: Label[] = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && existsSync(join(dir, f.replace(/\.json$/, '.csv'))))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Label)
    .filter((l) => typeof l.id === 'string' && Array.isArray(l.reps));
  if (values.limit) labels = labels.slice(0, Number(values.limit));
  if (labels.length === 0) throw new Error(`no recordings (<id>.csv + <id>.json) in ${dir}`);

  const commit = gitDescribe();
  const cliDir = join(dirname(outPath), 'cli-out');
  mkdirSync(cliDir, { recursive: true });
  const t0 = Date.now();
  let done = 0;
  const results = await pool(labels, jobs, async (label) => {
    const csv = join(dir, `${label.id}.csv`);
    const run = await runCli(label, csv, timeoutS);
    done++;
    const match = run.ok ? matchReps(label.reps, run.reps) : label.reps.map(() => -1);
    const matchedDet = new Set(match.filter((j) => j >= 0));
    const detReps = run.ok ? run.reps.length : 0;
    const res: RecordingResult = {
      id: label.id,
      exercise: label.exercise,
      side: label.side,
      levels: label.factors.levels ?? {},
      ok: run.ok,
      error: run.ok ? null : `exit ${run.exitCode}: ${run.stderr.slice(0, 500)}`,
      wallS: run.wallS,
      trueReps: label.reps.length,
      detReps,
      matched: matchedDet.size,
      trueSets: label.sets.length,
      detSets: run.sets,
      countError: detReps - label.reps.length,
      anomalies: run.anomalies,
      match,
      trueFaults: label.reps.map((r) => r.faults),
      detFaults: run.reps.map((r) => r.faults),
      detFaultsUnmatched: run.reps.flatMap((r, j) => (matchedDet.has(j) ? [] : r.faults)),
      notes: run.notes,
      calibration: calibrationCheck(run.raw, label),
    };
    if (run.stdout) writeFileSync(join(cliDir, `${label.id}.json`), run.stdout);
    if (res.calibration.inTrueHold === false) {
      res.notes.push(
        `calibration hold taken at ${res.calibration.holdStartS?.toFixed(1)}-` +
          `${res.calibration.holdEndS?.toFixed(1)} s, ` +
          `the true hold is 0-${label.calibration?.end_s} s`,
      );
    }
    process.stderr.write(
      `[${done}/${labels.length}] ${label.id}: true ${res.trueReps} det ${res.detReps} matched ${res.matched}` +
        `${run.ok ? '' : ' FAILED'} (${run.wallS.toFixed(1)} s)\n`,
    );
    return res;
  });
  const wallS = (Date.now() - t0) / 1000;

  const overall = countStats(results);
  const perExercise = Object.fromEntries(groupBy(results, (r) => r.exercise).map(([k, v]) => [k, countStats(v)]));
  const factorKeys = [...new Set(results.flatMap((r) => Object.keys(r.levels)))].filter((k) => k !== 'exercise');
  const perFactor: Record<string, Record<string, CountStats>> = {};
  for (const key of factorKeys) {
    perFactor[key] = Object.fromEntries(
      groupBy(results, (r) => r.levels[key] ?? '?').map(([k, v]) => [k, countStats(v)]),
    );
  }
  const perExerciseFactor: Record<string, Record<string, Record<string, CountStats>>> = {};
  for (const [ex, rs] of groupBy(results, (r) => r.exercise)) {
    perExerciseFactor[ex] = {};
    for (const key of ['tempo', 'hold', 'pause', 'mounting', 'rate', 'lever']) {
      perExerciseFactor[ex]![key] = Object.fromEntries(
        groupBy(rs, (r) => r.levels[key] ?? '?').map(([k, v]) => [k, countStats(v)]),
      );
    }
  }
  const faults = faultStats(results);
  const setsExactPct =
    Math.round((1000 * results.filter((r) => r.ok && r.detSets === r.trueSets).length) / results.length) / 10;
  const worst = [...results].sort((a, b) => badness(b) - badness(a)).slice(0, worstN);
  const factorsById = new Map(labels.map((l) => [l.id, l.factors]));
  const cliTimes = results.map((r) => r.wallS).sort((a, b) => a - b);
  const calRs = results.filter((r) => r.calibration.inTrueHold !== null);
  const calibrationSummary = Object.fromEntries(
    groupBy(calRs, (r) => r.exercise).map(([ex, rs]) => {
      const errs = rs
        .map((r) => r.calibration.qpsErrorDeg)
        .filter((x): x is number => x !== null)
        .sort((a, b) => a - b);
      return [
        ex,
        {
          n: rs.length,
          holdInTrueWindowPct: Math.round((1000 * rs.filter((r) => r.calibration.inTrueHold).length) / rs.length) / 10,
          qpsErrorMedianDeg: errs.length ? errs[Math.floor(errs.length / 2)] : null,
          qpsErrorP90Deg: errs.length ? errs[Math.floor(errs.length * 0.9)] : null,
          qpsErrorMaxDeg: errs.length ? errs[errs.length - 1] : null,
        },
      ];
    }),
  );
  const report = {
    dir,
    commit,
    recordings: results.length,
    jobs,
    timing: {
      wallS: Math.round(wallS * 10) / 10,
      cliMedianS: cliTimes[Math.floor(cliTimes.length / 2)],
      cliMaxS: cliTimes[cliTimes.length - 1],
    },
    overall,
    setsExactPct,
    calibrationSummary,
    notes: results.filter((r) => r.notes.length).map((r) => ({ id: r.id, notes: r.notes })),
    perExercise,
    perFactor,
    perExerciseFactor,
    faults,
    worst: worst.map((r) => ({ ...r, factors: factorsById.get(r.id) })),
    failures: results.filter((r) => !r.ok).map((r) => ({ id: r.id, error: r.error })),
    anomalies: results.filter((r) => r.anomalies.length).map((r) => ({ id: r.id, anomalies: r.anomalies })),
    results,
  };
  writeFileSync(outPath, `${JSON.stringify(report, null, 1)}\n`);

  // markdown
  const md: string[] = [];
  md.push(`# hipcue analyze vs the independent generator (${results.length} recordings, ${dir})`);
  md.push('');
  md.push(
    `Scoring took ${report.timing.wallS} s with ${jobs} parallel runs ` +
      `(CLI median ${fmt(report.timing.cliMedianS ?? Number.NaN)} s, ` +
      `max ${fmt(report.timing.cliMaxS ?? Number.NaN)} s). Sets count exact: ${setsExactPct} %.`,
  );
  md.push('');
  md.push(`Code under test: ${commit}.`);
  md.push('');
  md.push('## Rep counts');
  md.push('');
  md.push(countTable('scope', [['overall', overall], ...Object.entries(perExercise)]));
  md.push('');
  md.push('## Per factor level (all exercises)');
  for (const key of factorKeys) {
    md.push('');
    md.push(countTable(key, Object.entries(perFactor[key]!)));
  }
  md.push('');
  md.push('## Faults (rep level, only exercises where the code applies)');
  md.push('');
  md.push(
    '| code | exercises | true faulty reps | matched | flagged | sensitivity % | matched clean reps | ' +
      'specificity % | ' +
      'flags on unmatched detections | matched faulty reps were flagged as |',
  );
  md.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const f of faults) {
    const as = Object.entries(f.flaggedAs)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    md.push(
      `| ${f.code} | ${f.exercises.join(', ')} | ${f.trueFaulty} | ${f.trueFaultyMatched} | ${f.flagged} | ` +
        `${fmt(f.sensitivityPct)} | ${f.cleanMatched} | ${fmt(f.specificityPct)} | ` +
        `${f.flaggedOnUnmatchedDetections} | ${as} |`,
    );
  }
  md.push('');
  md.push('Per exercise (true faulty / flagged; matched clean / falsely flagged):');
  md.push('');
  for (const f of faults) {
    const parts = Object.entries(f.perExercise).map(
      ([ex, v]) => `${ex} ${v.trueFaulty}/${v.flagged}; ${v.cleanMatched}/${v.falseFlags}`,
    );
    md.push(`- ${f.code}: ${parts.join(' · ')}`);
  }
  md.push('');
  md.push(`## ${worstN} worst recordings`);
  md.push('');
  md.push(
    '| id | true | det | matched | sets true/det | tempo/hold/pause | up/hold/down/pause s | rate | mounting | ' +
      'lever | ' +
      'roll | gaps | true faulty reps | error |',
  );
  md.push('| --- | ---: | ---: | ---: | --- | --- | --- | ---: | --- | --- | --- | --- | --- | --- |');
  for (const r of worst) {
    const f = (factorsById.get(r.id) ?? {}) as Record<string, unknown>;
    const lv = r.levels;
    md.push(
      `| ${r.id} | ${r.trueReps} | ${r.detReps} | ${r.matched} | ${r.trueSets}/${r.detSets} | ` +
        `${lv.tempo}/${lv.hold}/${lv.pause} | ` +
        `${f.up_s}/${f.hold_s}/${f.down_s}/${f.pause_s} | ${lv.rate} | ${lv.mounting} | ${lv.lever} | ` +
        `${lv.roll === 'n/a' ? '–' : f.natural_roll_deg} | ${lv.gaps} | ` +
        `${f.faulty_reps} | ${r.error ? r.error.slice(0, 80).replace(/\|/g, '/').replace(/\n/g, ' ') : ''} |`,
    );
  }
  if (report.failures.length) {
    md.push('');
    md.push('## Failures');
    md.push('');
    for (const f of report.failures) md.push(`- ${f.id}: ${(f.error ?? '').slice(0, 300).replace(/\n/g, ' ')}`);
  }
  if (calRs.length) {
    md.push('');
    md.push('## Calibration (from the CLI output `calibration`, if present)');
    md.push('');
    md.push('| exercise | n | hold found in the true still start % | qPS error median ° | p90 ° | max ° |');
    md.push('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [ex, c] of Object.entries(calibrationSummary)) {
      md.push(
        `| ${ex} | ${c.n} | ${c.holdInTrueWindowPct} | ${c.qpsErrorMedianDeg ?? '–'} | ${c.qpsErrorP90Deg ?? '–'} | ` +
          `${c.qpsErrorMaxDeg ?? '–'} |`,
      );
    }
  }
  if (report.notes.length) {
    md.push('');
    md.push(`## Notes (${report.notes.length} recordings)`);
    md.push('');
    for (const a of report.notes) md.push(`- ${a.id}: ${a.notes.slice(0, 4).join('; ')}`);
  }
  if (report.anomalies.length) {
    md.push('');
    md.push('## Output anomalies');
    md.push('');
    for (const a of report.anomalies) md.push(`- ${a.id}: ${a.anomalies.slice(0, 5).join('; ')}`);
  }
  md.push('');
  md.push(`Full results: ${outPath}`);
  const text = `${md.join('\n')}\n`;
  writeFileSync(outPath.replace(/\.json$/, '.md'), text);
  process.stdout.write(text);
  if (!statSync(outPath).isFile()) process.exitCode = 1;
}

await main();
