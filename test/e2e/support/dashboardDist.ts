import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const DASHBOARD_DIST = join(REPO_ROOT, 'apps/dashboard/dist');

/** Builds the dashboard unless `npm test` already did (it builds before the test run). */
export function ensureDashboardBuilt(): void {
  if (existsSync(join(DASHBOARD_DIST, 'index.html'))) return;
  const r = spawnSync(join(REPO_ROOT, 'apps/dashboard/node_modules/.bin/vite'), ['build'], {
    cwd: join(REPO_ROOT, 'apps/dashboard'),
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`dashboard build failed with exit code ${r.status}`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/** A bare static server for dist/, for browser tests that need no gateway (the chart frame-time test). */
export async function serveDist(): Promise<{ url: string; close(): Promise<void> }> {
  ensureDashboardBuilt();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(DASHBOARD_DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DASHBOARD_DIST) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
