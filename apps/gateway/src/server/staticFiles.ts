import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file inside `root`, or undefined when it would escape it (`..`, encoded slashes,
 * NUL bytes, backslashes) or cannot be decoded.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const rootAbs = resolve(root);
  const full = resolve(join(rootAbs, decoded));
  if (full !== rootAbs && !full.startsWith(rootAbs + sep)) return undefined;
  return full;
}

/**
 * Serves the built dashboard from `root`: files with their content type, `index.html` for unknown paths
 * without an extension (SPA routes), 404 for missing assets, 400 for paths that try to leave `root`.
 * Returns false when the dashboard is not built (caller answers with a hint).
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
  const file = resolveInside(root, urlPath);
  if (file === undefined) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad path\n');
    return true;
  }
  const index = join(resolve(root), 'index.html');
  let target = file;
  const st = await stat(file).catch(() => undefined);
  if (st?.isDirectory()) target = join(file, 'index.html');
  else if (!st) {
    if (extname(urlPath) !== '') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return true;
    }
    target = index;
  }
  const tst = await stat(target).catch(() => undefined);
  if (!tst?.isFile()) {
    if (target === index) return false;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return true;
  }
  const immutable = target.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': contentTypeFor(target),
    'content-length': tst.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(target)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}
