import { existsSync, readFileSync, type Stats, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { NobleDriver } from '@hipcue/ble';
import { exerciseSchema, sideSchema, sourceKindSchema } from '@hipcue/messages';
import type { GatewayOptions } from './gateway.ts';
import type { LogLevel } from './logger.ts';

export const USAGE = `Usage: hipcue-gateway [options]

  --source sim|ble|replay   where data comes from (default sim: a simulated patient)
  --in <file.mcap>          recording to replay (with --source replay)
  --speed <x>               sim/replay pace: 1 = real time (default), 10 = ten times, max = as fast as possible
  --exercise <name>         hip-thrust | glute-bridge | clamshell | side-plank-clamshell (default hip-thrust)
  --side left|right         working side (default left)
  --port <n>                HTTP + WebSocket port (default 8720; 0 = any free port)
  --host <addr>             bind address (default 127.0.0.1; 0.0.0.0 exposes it on your LAN)
  --data-dir <dir>          recordings and secrets (default ./data)
  --ble-driver stoprocent|abandonware   noble fork for --source ble (default stoprocent)
  --sensor <role>=[thingy52@]<address|auto>   a sensor for pelvis | thigh | lumbar (repeatable). Default
                            pelvis=auto: the first hipcue sensor found; thingy52@ picks a Nordic Thingy:52 with its
                            stock firmware. A thigh sensor counts clamshells from the knee; a lumbar one measures arching.
  --allow-origin <origin>   extra browser origin allowed to connect (repeatable), e.g. http://localhost:5173
  --patient <label>         pseudonymous patient label (default P001; never a name)
  --seed <n>                simulation seed (default 1)
  --no-record               do not record the session
  --relay nats://host:port  also publish this session to the clinic's NATS JetStream (docs/relay.md), with
  --relay-creds <file.json> this gateway's login from the clinic admin (mode 0600), and for tls:// brokers
  --relay-ca <file.pem>     the CA that signed the broker's certificate
  --log-level debug|info|warn|error (default info)
  --help                    this text
`;

export class ArgsError extends Error {}

export interface ParsedArgs {
  options: Partial<GatewayOptions>;
  logLevel: LogLevel;
  help: boolean;
}

/** Parses the command line; throws ArgsError with one line naming the bad argument. */
export function parseGatewayArgs(argv: string[]): ParsedArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new ArgsError((err as Error).message);
  }
  const options: Partial<GatewayOptions> = {};
  const pick = <T>(
    name: string,
    raw: string | undefined,
    schema: { safeParse(x: unknown): { success: boolean; data?: T } },
  ) => {
    if (raw === undefined) return undefined;
    const r = schema.safeParse(raw);
    if (!r.success) throw new ArgsError(`--${name}: "${raw}" is not valid`);
    return r.data as T;
  };
  const source = pick('source', values.source, sourceKindSchema);
  if (source) options.source = source;
  const exercise = pick('exercise', values.exercise, exerciseSchema);
  if (exercise) options.exercise = exercise;
  const side = pick('side', values.side, sideSchema);
  if (side) options.side = side;
  if (values.in !== undefined) options.replayPath = values.in;
  if (options.source === 'replay' && options.replayPath === undefined)
    throw new ArgsError('--source replay needs --in <file.mcap>');
  if (values.in !== undefined && options.source !== 'replay')
    throw new ArgsError('--in is only used with --source replay');
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new ArgsError(`--port: "${values.port}" is not a port number`);
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  if (values.speed !== undefined) {
    const speed = values.speed === 'max' ? Number.POSITIVE_INFINITY : Number(values.speed);
    if (!(speed > 0)) throw new ArgsError(`--speed: "${values.speed}" must be a positive number or "max"`);
    options.speed = speed;
  }
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new ArgsError(`--seed: "${values.seed}" is not an integer`);
    options.seed = seed;
  }
  if (values['ble-driver'] !== undefined) {
    if (values['ble-driver'] !== 'stoprocent' && values['ble-driver'] !== 'abandonware') {
      throw new ArgsError(`--ble-driver: "${values['ble-driver']}" is not stoprocent or abandonware`);
    }
    options.bleDriver = values['ble-driver'] as NobleDriver;
  }
  const seen = new Set<string>();
  for (const s of values.sensor ?? []) {
    const m = /^(pelvis|thigh|lumbar)=(?:(hipcue|thingy52)@)?([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|auto)$/.exec(s);
    if (!m)
      throw new ArgsError(
        `--sensor: "${s}" should look like pelvis=<address|auto> or thigh=thingy52@aa:bb:cc:dd:ee:ff (roles: pelvis, thigh, lumbar)`,
      );
    const [, role, profile = 'hipcue', where] = m as unknown as [
      string,
      'pelvis' | 'thigh' | 'lumbar',
      'hipcue' | 'thingy52',
      string,
    ];
    if (seen.has(role)) throw new ArgsError(`--sensor: ${role} given twice`);
    seen.add(role);
    const address = where === 'auto' ? undefined : where.toLowerCase();
    if (role === 'pelvis') {
      if (address !== undefined) options.pelvisAddress = address;
      options.pelvisProfile = profile;
    } else {
      options.extraSensors = [...(options.extraSensors ?? []), { role, profile, address }];
    }
  }
  const origins = values['allow-origin'] ?? [];
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new ArgsError(`--allow-origin: "${origin}" should be scheme://host[:port]`);
  }
  options.allowedOrigins = origins;
  if (values.patient !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(values.patient))
      throw new ArgsError('--patient: use a short pseudonymous code (letters, digits, - and _)');
    options.patientLabel = values.patient;
  }
  if (values['no-record']) options.record = false;
  if (values.relay !== undefined) options.relay = relayOptions(values.relay, values['relay-creds'], values['relay-ca']);
  else if (values['relay-creds'] !== undefined) throw new ArgsError('--relay-creds needs --relay nats://host:port');
  const logLevel = (values['log-level'] ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new ArgsError(`--log-level: "${logLevel}" is not debug, info, warn or error`);
  return { options, logLevel, help: values.help === true };
}

/** `--relay`: the clinic broker and this gateway's login (a JSON file from the clinic admin, mode 0600). */
function relayOptions(url: string, credsPath: string | undefined, caFile: string | undefined): GatewayOptions['relay'] {
  if (!/^(nats|tls):\/\/[^\s/]+$/.test(url))
    throw new ArgsError(`--relay: "${url}" should be nats://host:port or tls://host:port`);
  if (credsPath === undefined) throw new ArgsError('--relay needs --relay-creds <file.json> (user, password, patient)');
  let st: Stats;
  let creds: unknown;
  try {
    st = statSync(credsPath);
    creds = JSON.parse(readFileSync(credsPath, 'utf8'));
  } catch (err) {
    throw new ArgsError(`--relay-creds: cannot read "${credsPath}" (${(err as Error).message.split('\n')[0]})`);
  }
  if ((st.mode & 0o077) !== 0) throw new ArgsError(`--relay-creds: "${credsPath}" is readable by others; chmod 600 it`);
  const c = creds as { user?: unknown; password?: unknown; patient?: unknown };
  if (typeof c.user !== 'string' || typeof c.password !== 'string' || typeof c.patient !== 'string')
    throw new ArgsError(`--relay-creds: "${credsPath}" needs string fields user, password and patient`);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(c.patient))
    throw new ArgsError('--relay-creds: patient must be a pseudonymous code');
  if (caFile !== undefined && !existsSync(caFile)) throw new ArgsError(`--relay-ca: "${caFile}" does not exist`);
  return { servers: url, user: c.user, password: c.password, patient: c.patient, ...(caFile ? { caFile } : {}) };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      source: { type: 'string' },
      in: { type: 'string' },
      speed: { type: 'string' },
      exercise: { type: 'string' },
      side: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'ble-driver': { type: 'string' },
      sensor: { type: 'string', multiple: true },
      'allow-origin': { type: 'string', multiple: true },
      patient: { type: 'string' },
      relay: { type: 'string' },
      'relay-creds': { type: 'string' },
      'relay-ca': { type: 'string' },
      seed: { type: 'string' },
      'no-record': { type: 'boolean' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}
