import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultThresholds } from '@hipcue/dsp';
import {
  type HttpError,
  type Role,
  rerunRequestSchema,
  type SessionList,
  type SessionReview,
  type TicketResponse,
  type Whoami,
} from '@hipcue/messages';
import type { Logger } from '../logger.ts';
import type { Authenticator } from './auth.ts';
import { authenticate, originAllowed } from './requestAuth.ts';

/** Recorded sessions as the review API sees them (implemented over the data directory). */
export interface SessionArchive {
  list(): Promise<SessionList['sessions']>;
  /** Undefined when there is no such session. With thresholds: a "what if" re-run from the start. */
  review(id: string, thresholds?: Record<string, number>): Promise<SessionReview | undefined>;
  /** CSV text, or undefined when there is no such session. */
  exportCsv(id: string): Promise<string | undefined>;
}

export interface ApiContext {
  auth: Authenticator;
  archive: SessionArchive;
  allowedOrigins: readonly string[];
  liveSessionId: () => string | null;
  log: Logger;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } } satisfies HttpError);
}

/** Handles `/api/*`. Every route needs a token; refusals are logged without the credential. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, ctx: ApiContext): Promise<void> {
  const origin = originAllowed(req, ctx.allowedOrigins);
  if (!origin.ok) {
    ctx.log.warn('refused http: origin not allowed', { path: url.pathname, origin: origin.origin });
    sendError(res, 403, 'forbidden', 'origin not allowed');
    return;
  }
  // Tickets are for WebSocket upgrades only; the API wants a token.
  url.searchParams.delete('ticket');
  const who = authenticate(req, url, ctx.auth);
  if (!who.ok) {
    ctx.log.warn('refused http: unauthorized', { path: url.pathname, reason: who.reason });
    sendError(res, 401, 'unauthorized', who.reason);
    return;
  }
  const role: Role = who.role;
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const method = req.method ?? 'GET';
  try {
    if (parts.length === 2 && parts[1] === 'whoami' && method === 'GET') {
      sendJson(res, 200, { role, liveSessionId: ctx.liveSessionId() } satisfies Whoami);
      return;
    }
    if (parts.length === 2 && parts[1] === 'ticket' && method === 'POST') {
      sendJson(res, 200, { ...ctx.auth.issueTicket(role), role } satisfies TicketResponse);
      return;
    }
    if (parts[1] === 'sessions' && parts.length === 4 && parts[3] === 'rerun' && method === 'POST') {
      await rerun(req, res, parts[2] ?? '', ctx);
      return;
    }
    if (parts[1] === 'sessions' && method === 'GET') {
      if (parts.length === 2) {
        sendJson(res, 200, { sessions: await ctx.archive.list() } satisfies SessionList);
        return;
      }
      const id = parts[2] ?? '';
      if (!SESSION_ID.test(id)) {
        sendError(res, 400, 'bad-request', `session id must match ${SESSION_ID.source}`);
        return;
      }
      if (parts.length === 3) {
        const review = await ctx.archive.review(id);
        if (review) sendJson(res, 200, review satisfies SessionReview);
        else sendError(res, 404, 'not-found', `no session ${id}`);
        return;
      }
      if (parts.length === 4 && parts[3] === 'export.csv') {
        const csv = await ctx.archive.exportCsv(id);
        if (csv === undefined) {
          sendError(res, 404, 'not-found', `no session ${id}`);
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="hipcue-${id}.csv"`,
          'cache-control': 'no-store',
        });
        res.end(csv);
        return;
      }
    }
    sendError(res, 404, 'not-found', `no route ${method} ${url.pathname}`);
  } catch (err) {
    ctx.log.error('api failed', { path: url.pathname, error: (err as Error).message });
    if (!res.headersSent) sendError(res, 500, 'internal', 'internal error');
    else res.destroy();
  }
}

const MAX_BODY_BYTES = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function rerun(req: IncomingMessage, res: ServerResponse, id: string, ctx: ApiContext): Promise<void> {
  if (!SESSION_ID.test(id)) {
    sendError(res, 400, 'bad-request', `session id must match ${SESSION_ID.source}`);
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    sendError(res, 413, 'too-large', `request body over ${MAX_BODY_BYTES} bytes`);
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    sendError(res, 400, 'bad-json', `body is not JSON: ${(e as Error).message}`);
    return;
  }
  const parsed = rerunRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    sendError(res, 400, 'bad-message', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
    return;
  }
  const unknown = Object.keys(parsed.data.thresholds).filter((k) => !(k in defaultThresholds));
  if (unknown.length > 0) {
    sendError(res, 400, 'bad-message', `unknown threshold ${unknown.map((k) => `"${k}"`).join(', ')}`);
    return;
  }
  const review = await ctx.archive.review(id, parsed.data.thresholds);
  if (review) sendJson(res, 200, review satisfies SessionReview);
  else sendError(res, 404, 'not-found', `no session ${id}`);
}
