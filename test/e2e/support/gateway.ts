import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// test/ is not a workspace package, so the gateway is imported by path (it resolves its own dependencies).
import {
  createMemoryLogger,
  type Gateway,
  type GatewayOptions,
  startGateway,
} from '../../../apps/gateway/src/index.ts';
import { DASHBOARD_DIST, ensureDashboardBuilt } from './dashboardDist.ts';

/**
 * The real gateway, in process, in sim mode on 127.0.0.1:0, serving the built dashboard, with a temporary
 * data directory. `speed` fast-forwards the simulated patient.
 */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hipcue-e2e-'));
}

export async function startTestGateway(options: Partial<GatewayOptions> = {}) {
  ensureDashboardBuilt();
  const dataDir = options.dataDir ?? (await tempDir());
  const log = createMemoryLogger('warn');
  const gateway: Gateway = await startGateway({
    source: 'sim',
    port: 0,
    host: '127.0.0.1',
    dataDir,
    dashboardDir: DASHBOARD_DIST,
    speed: 4,
    seed: 7,
    log,
    ...options,
  });
  return {
    gateway,
    log,
    dataDir,
    async close() {
      await gateway.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
