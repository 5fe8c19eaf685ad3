import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { type ClinicSpec, gatewayUser, type RelayCredentials, serverConfig, therapistUser } from '../serverConfig.ts';
import { ensureEventsStream } from '../stream.ts';

export const NATS_SERVER_BIN = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => existsSync(p));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function accepting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = new Socket();
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
      c.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not accept connections on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TestNatsServer {
  url: string;
  wsUrl: string;
  admin: RelayCredentials;
  /** Gateway login per patient id. */
  gateways: Record<string, RelayCredentials>;
  /** Therapist login per therapist name. */
  therapists: Record<string, RelayCredentials>;
  /** The running server's process id (benchmarks read its CPU time). */
  readonly pid: number;
  /** SIGKILL: no goodbye, as a crash or power cut. */
  kill(): Promise<void>;
  /** Start again on the same ports and store (JetStream data survives). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const secret = () => randomBytes(18).toString('base64url');

/**
 * A real nats-server for tests and benchmarks, on free 127.0.0.1 ports (client + WebSocket), with the clinic's
 * logins and permissions (serverConfig) and the events stream created. Needs `nats-server` (Debian package; the
 * test command installs it).
 */
export async function startNatsServer(spec: ClinicSpec & { dir: string }): Promise<TestNatsServer> {
  if (!NATS_SERVER_BIN) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const port = await freePort();
  const wsPort = await freePort();
  await mkdir(spec.dir, { recursive: true });
  const admin: RelayCredentials = { user: 'admin', password: secret() };
  const gateways = Object.fromEntries(
    spec.patients.map((p) => [p, { user: gatewayUser(p), password: secret(), patient: p }]),
  );
  const therapists = Object.fromEntries(
    Object.entries(spec.therapists).map(([t, patients]) => [
      t,
      { user: therapistUser(t), password: secret(), patients },
    ]),
  );
  const configPath = join(spec.dir, 'nats.conf');
  await writeFile(
    configPath,
    serverConfig({
      host: '127.0.0.1',
      port,
      wsPort,
      storeDir: join(spec.dir, 'jetstream'),
      admin,
      users: [...Object.values(gateways), ...Object.values(therapists)],
    }),
    { mode: 0o600 },
  );
  let child: ChildProcess | undefined;
  const launch = async () => {
    const c = spawn(NATS_SERVER_BIN!, ['-c', configPath], { stdio: 'ignore' });
    child = c;
    await accepting(port, 10_000);
  };
  const exited = (c: ChildProcess) =>
    new Promise<void>((resolve) =>
      c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()),
    );
  await launch();
  const url = `nats://127.0.0.1:${port}`;
  await ensureEventsStream({ servers: url, user: admin.user, password: admin.password });
  return {
    url,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    admin,
    gateways,
    therapists,
    get pid() {
      return child?.pid ?? -1;
    },
    async kill() {
      const c = child;
      if (!c) return;
      c.kill('SIGKILL');
      await exited(c);
      child = undefined;
    },
    async restart() {
      await launch();
    },
    async stop() {
      const c = child;
      if (!c) return;
      c.kill('SIGTERM');
      await exited(c);
      child = undefined;
    },
  };
}
