import { join, resolve } from 'node:path';
import type { NobleDriver } from '@hipcue/ble';
import type { Exercise, Role, Side, SourceKind } from '@hipcue/messages';
import { RelayPublisher } from '@hipcue/relay';
import { createLogger, type Logger } from './logger.ts';
import { Authenticator, loadOrCreateSecrets } from './server/auth.ts';
import { DataDirArchive } from './server/DataDirArchive.ts';
import { FoxgloveBridge } from './server/FoxgloveBridge.ts';
import { GatewayServer, WS_PATH } from './server/GatewayServer.ts';
import { defaultHubSettings, Hub, type HubSettings } from './server/Hub.ts';
import { LiveSession } from './session/LiveSession.ts';
import { type BleProfileName, BleSource, type ExtraSensor } from './sources/BleSource.ts';
import { ReplaySource } from './sources/ReplaySource.ts';
import { SimSource } from './sources/SimSource.ts';
import type { NotificationSource } from './sources/types.ts';

export interface GatewayOptions {
  source: SourceKind;
  /** Recording to replay (`--in`). */
  replayPath?: string;
  exercise: Exercise;
  side: Side;
  host: string;
  /** 0 = any free port. */
  port: number;
  dataDir: string;
  dashboardDir: string;
  /** Extra browser origins allowed besides the gateway's own (e.g. the Vite dev server). */
  allowedOrigins: string[];
  /** Sim/replay pacing: 1 = real time, Infinity = as fast as possible. */
  speed: number;
  seed: number;
  /** Sim: stop after this many sets (default endless). */
  simBlocks?: number;
  /** Sim: rest after each set, s (default 20–30; 0 = sets back to back, e.g. for tests that need a set open). */
  simRestS?: number;
  /** Record sessions to `<dataDir>/sessions` (default true; replays are not re-recorded). */
  record: boolean;
  bleDriver: NobleDriver;
  pelvisAddress?: string;
  /** `--sensor pelvis=thingy52@…`: a Thingy:52 on the pelvis instead of a hipcue sensor. */
  pelvisProfile?: BleProfileName;
  /** Thigh / upper-lumbar sensors: recorded beside the pelvis, used by the pipeline where they help. */
  extraSensors?: ExtraSensor[];
  patientLabel: string;
  maxConnections: number;
  hub?: Partial<HubSettings>;
  /** Embedding (tests, benchmarks): use this source instead of the one `source` names. */
  createSource?: (exercise: Exercise, side: Side) => Promise<NotificationSource>;
  /** Chart frames and points per second of sample time (default 25 and 50). */
  chart?: { framesPerS: number; pointsPerS: number };
  log?: Logger;
  /** Clinic relay (issue 9): publish this session to NATS JetStream. */
  relay?: { servers: string; user: string; password: string; patient: string; caFile?: string };
}

export const defaultGatewayOptions: GatewayOptions = {
  source: 'sim',
  exercise: 'hip-thrust',
  side: 'left',
  host: '127.0.0.1',
  port: 8720,
  dataDir: './data',
  dashboardDir: resolve(import.meta.dirname, '../../dashboard/dist'),
  allowedOrigins: [],
  speed: 1,
  seed: 1,
  record: true,
  bleDriver: 'stoprocent',
  patientLabel: 'P001',
  maxConnections: 64,
};

export interface Gateway {
  url: string;
  port: number;
  tokens: Record<Role, string>;
  /** Ready-to-open links, one per role. */
  links: Record<Role, string>;
  session: LiveSession;
  hub: Hub;
  server: GatewayServer;
  auth: Authenticator;
  /** Set with `relay`: the clinic publisher (outbox, counters). */
  relay: RelayPublisher | undefined;
  close(): Promise<void>;
}

/** Starts source, session, recording, hub, HTTP/WebSocket server. Throws (e.g. BleUnavailableError) if it cannot. */
export async function startGateway(partial: Partial<GatewayOptions>): Promise<Gateway> {
  const o: GatewayOptions = { ...defaultGatewayOptions, ...partial };
  const log = o.log ?? createLogger();
  const secrets = await loadOrCreateSecrets(o.dataDir);
  const auth = new Authenticator(secrets);
  const sessionsDir = join(o.dataDir, 'sessions');
  const replay = o.source === 'replay' ? await ReplaySource.open(o.replayPath ?? '', { speed: o.speed }) : undefined;
  let firstReplay = true;
  const createSource = async (exercise: Exercise, side: Side): Promise<NotificationSource> => {
    if (o.createSource) return o.createSource(exercise, side);
    if (o.source === 'replay') {
      if (firstReplay && replay) {
        firstReplay = false;
        return replay;
      }
      return ReplaySource.open(o.replayPath ?? '', { speed: o.speed });
    }
    if (o.source === 'ble')
      return new BleSource({
        driver: o.bleDriver,
        pelvisAddress: o.pelvisAddress,
        ...(o.pelvisProfile ? { pelvisProfile: o.pelvisProfile } : {}),
        ...(o.extraSensors ? { extraSensors: o.extraSensors } : {}),
        log: log.child('ble'),
      });
    return new SimSource({
      exercise,
      side,
      seed: o.seed,
      speed: o.speed,
      ...(o.simBlocks === undefined ? {} : { maxBlocks: o.simBlocks }),
      ...(o.simRestS === undefined ? {} : { restAfterSetS: o.simRestS }),
    });
  };
  const session = new LiveSession({
    createSource,
    exercise: o.exercise,
    side: o.side,
    sessionsDir: o.record && o.source !== 'replay' ? sessionsDir : undefined,
    patientLabel: o.patientLabel,
    log: log.child('session'),
    ...(o.chart ? { chart: o.chart } : {}),
  });
  await session.start();
  let relay: RelayPublisher | undefined;
  if (o.relay) {
    const { servers, user, password, patient, caFile } = o.relay;
    relay = new RelayPublisher(session, {
      servers,
      user,
      password,
      patient,
      dataDir: o.dataDir,
      ...(caFile ? { caFile } : {}),
      log: log.child('relay'),
    });
    relay.start();
  }
  const hub = new Hub(session, log.child('ws'), { ...defaultHubSettings, ...o.hub });
  const foxglove = new FoxgloveBridge(session, log.child('foxglove'));
  const server = new GatewayServer({
    host: o.host,
    port: o.port,
    dashboardDir: o.dashboardDir,
    maxConnections: o.maxConnections,
    hub,
    foxglove,
    log: log.child('http'),
    api: {
      auth,
      archive: new DataDirArchive(
        sessionsDir,
        () => session.sessionId,
        () => session.core,
      ),
      allowedOrigins: o.allowedOrigins,
      liveSessionId: () => session.sessionId,
      log: log.child('api'),
    },
  });
  let listening: { port: number; url: string };
  try {
    listening = await server.listen();
  } catch (err) {
    await session.close();
    hub.close();
    foxglove.close();
    throw err;
  }
  const links = Object.fromEntries(
    (['patient', 'therapist', 'viewer'] as const).map((r) => [r, `${listening.url}/?token=${secrets.tokens[r]}`]),
  ) as Record<Role, string>;
  return {
    url: listening.url,
    port: listening.port,
    tokens: secrets.tokens,
    links,
    session,
    hub,
    server,
    auth,
    relay,
    async close() {
      await server.close();
      await session.close();
      await relay?.close();
    },
  };
}

export { WS_PATH };
