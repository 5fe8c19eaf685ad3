import { createServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { MAX_CLIENT_MESSAGE_BYTES, type Role } from '@hipcue/messages';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';
import { type ApiContext, handleApi } from './api.ts';
import { type FoxgloveBridge, selectFoxgloveProtocol } from './FoxgloveBridge.ts';
import type { Hub } from './Hub.ts';
import { authenticate, offeredProtocols, originAllowed, selectHipcueProtocol } from './requestAuth.ts';
import { serveStatic } from './staticFiles.ts';

export interface GatewayServerOptions {
  host: string;
  port: number;
  /** Built dashboard (apps/dashboard/dist). */
  dashboardDir: string;
  /** Most WebSocket connections at once (hipcue + Foxglove). */
  maxConnections: number;
  api: ApiContext;
  hub: Hub;
  foxglove: FoxgloveBridge;
  log: Logger;
}

/** The path hipcue clients connect to; Foxglove clients may use any path (they are told apart by subprotocol). */
export const WS_PATH = '/ws';

/**
 * HTTP and WebSocket on one port. Upgrades are authenticated here, before the WebSocket handshake completes
 * (origin allow-list, connection cap, token / ticket), and refused with a plain HTTP status and reason.
 */
export class GatewayServer {
  readonly http: Server;
  private readonly hipcueWss: WebSocketServer;
  private readonly foxgloveWss: WebSocketServer;
  private readonly log: Logger;

  constructor(private readonly options: GatewayServerOptions) {
    this.log = options.log;
    const common = { noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false } as const;
    this.hipcueWss = new WebSocketServer({ ...common, handleProtocols: selectHipcueProtocol });
    this.foxgloveWss = new WebSocketServer({ ...common, handleProtocols: selectFoxgloveProtocol });
    this.http = createServer((req, res) => {
      this.onRequest(req, res).catch((err: Error) => {
        this.log.error('request failed', { error: err.message });
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    this.http.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    this.http.on('clientError', (err, socket) => {
      this.log.warn('refused http: malformed request', { error: err.message });
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    });
    this.http.headersTimeout = 10_000;
    this.http.requestTimeout = 30_000;
  }

  listen(): Promise<{ port: number; url: string }> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', reject);
        const { port } = this.http.address() as AddressInfo;
        const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
        resolve({ port, url: `http://${host}:${port}` });
      });
    });
  }

  async close(): Promise<void> {
    this.options.hub.close();
    this.options.foxglove.close();
    this.hipcueWss.close();
    this.foxgloveWss.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  get connectionCount(): number {
    return this.options.hub.clients.size + this.options.foxglove.sockets.size;
  }

  private async onRequest(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      await handleApi(req, res, url, this.options.api);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const served = await serveStatic(this.options.dashboardDir, req, res);
    if (!served) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The dashboard is not built. Run `npm start` from the repository root (it builds apps/dashboard).\n');
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.log.debug('upgrade socket error', { error: err.message }));
    const url = new URL(req.url ?? '/', 'http://gateway');
    const protocols = new Set(offeredProtocols(req));
    const foxglove = selectFoxgloveProtocol(protocols) !== false;
    const refuse = (status: number, reason: string, fields: Record<string, string> = {}) => {
      this.log.warn('refused upgrade', { status, reason, path: url.pathname, ...fields });
      const body = `${reason}\n`;
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    };
    const checked = this.checkUpgrade(req, url, foxglove);
    if (!checked.ok) {
      refuse(checked.status, checked.reason, checked.fields);
      return;
    }
    const role = checked.role;
    const wss = foxglove ? this.foxgloveWss : this.hipcueWss;
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (foxglove) this.options.foxglove.attach(ws, role);
      else this.options.hub.attach(ws, role);
    });
  }

  private checkUpgrade(
    req: IncomingMessage,
    url: URL,
    foxglove: boolean,
  ): { ok: true; role: Role } | { ok: false; status: number; reason: string; fields?: Record<string, string> } {
    if (!foxglove && url.pathname !== WS_PATH)
      return { ok: false, status: 404, reason: `WebSocket endpoint is ${WS_PATH}` };
    const origin = originAllowed(req, this.options.api.allowedOrigins);
    if (!origin.ok) return { ok: false, status: 403, reason: 'origin not allowed', fields: { origin: origin.origin } };
    if (this.connectionCount >= this.options.maxConnections)
      return { ok: false, status: 503, reason: 'too many connections' };
    const who = authenticate(req, url, this.options.api.auth);
    return who.ok ? { ok: true, role: who.role } : { ok: false, status: who.status, reason: who.reason };
  }
}
