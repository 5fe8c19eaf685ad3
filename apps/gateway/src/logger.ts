/**
 * A small leveled, namespaced logger. Lines go to a sink (stderr by default) as
 * `2026-11-23T19:00:00.000Z warn  gateway:ws refused upgrade reason=bad-origin origin=http://evil`.
 * Never pass tokens, tickets or patient names to it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type LogFields = Record<string, string | number | boolean | undefined>;
export type LogSink = (line: string, level: Exclude<LogLevel, 'silent'>) => void;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(namespace: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  namespace?: string;
}

const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

export function createLogger(options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? 'info'];
  const sink = options.sink ?? stderrSink;
  const ns = options.namespace ?? 'gateway';
  const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    let line = `${new Date().toISOString()} ${level.padEnd(5)} ${ns} ${msg}`;
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        if (v !== undefined) line += ` ${k}=${formatValue(v)}`;
      }
    }
    sink(line, level);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (sub) => createLogger({ ...options, namespace: `${ns}:${sub}` }),
  };
}

function formatValue(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  const clipped = v.length > 120 ? `${v.slice(0, 117)}...` : v;
  return /^[\w.:/@-]*$/.test(clipped) && clipped !== '' ? clipped : JSON.stringify(clipped);
}

/** A logger that keeps lines in memory (tests assert that refusals are logged). */
export function createMemoryLogger(level: LogLevel = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ level, sink: (l) => lines.push(l) }), { lines });
}
