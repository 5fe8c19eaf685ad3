import type { IncomingMessage } from 'node:http';
import { type Role, SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '@hipcue/messages';
import type { Authenticator } from './auth.ts';

export type AuthOutcome =
  | { ok: true; role: Role; via: 'token' | 'ticket' | 'subprotocol' | 'bearer' }
  | { ok: false; status: 401; reason: string };

/** Offered WebSocket subprotocols, in order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol'];
  if (typeof h !== 'string') return [];
  return h
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Finds and checks a credential on a request: `?ticket=` (single use), `?token=`, a `hipcue.token.<token>`
 * subprotocol entry, or `Authorization: Bearer <token>`. The reason never contains the credential.
 */
export function authenticate(req: IncomingMessage, url: URL, auth: Authenticator): AuthOutcome {
  const ticket = url.searchParams.get('ticket');
  if (ticket !== null) {
    const role = auth.redeemTicket(ticket);
    return role
      ? { ok: true, role, via: 'ticket' }
      : { ok: false, status: 401, reason: 'unknown, used or expired ticket' };
  }
  const candidates: [string, 'token' | 'subprotocol' | 'bearer'][] = [];
  const q = url.searchParams.get('token');
  if (q !== null) candidates.push([q, 'token']);
  for (const p of offeredProtocols(req)) {
    if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
      candidates.push([p.slice(TOKEN_SUBPROTOCOL_PREFIX.length), 'subprotocol']);
  }
  const authz = req.headers.authorization;
  if (typeof authz === 'string' && authz.startsWith('Bearer ')) candidates.push([authz.slice(7).trim(), 'bearer']);
  if (candidates.length === 0) return { ok: false, status: 401, reason: 'no token or ticket' };
  for (const [token, via] of candidates) {
    const role = auth.roleForToken(token);
    if (role) return { ok: true, role, via };
  }
  return { ok: false, status: 401, reason: 'invalid token' };
}

/**
 * Browsers send `Origin`; it must be this server itself (same host:port as the `Host` header) or listed in
 * `allowed` (exact `scheme://host:port`). Non-browser clients send no Origin and are judged by their token alone.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): { ok: boolean; origin: string } {
  const origin = req.headers.origin;
  if (origin === undefined) return { ok: true, origin: '' };
  if (allowed.includes(origin)) return { ok: true, origin };
  try {
    const o = new URL(origin);
    const host = req.headers.host;
    return { ok: (o.protocol === 'http:' || o.protocol === 'https:') && host !== undefined && o.host === host, origin };
  } catch {
    return { ok: false, origin };
  }
}

/** The hipcue subprotocol we answer with, if offered. The token entry is never echoed. */
export function selectHipcueProtocol(protocols: Set<string>): string | false {
  return protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}
