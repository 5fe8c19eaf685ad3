import { SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from '@hipcue/messages';

/** WebSocket path on the gateway (same port as the HTTP API and the dashboard). */
export const WS_PATH = '/ws';

/** The access token from `?token=` (the gateway prints links with it), or from the `#token=` hash. */
export function tokenFromLocation(loc: { search: string; hash: string }): string | null {
  const q = new URLSearchParams(loc.search).get('token');
  if (q) return q;
  const h = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  return h || null;
}

export function wsUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}${WS_PATH}`;
}

/** Subprotocols carrying the contract version and the token (keeps the token out of URLs and logs). */
export function wsProtocols(token: string): string[] {
  return [SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** Fetches a JSON API path with the bearer token; typed failure instead of a throw. */
export async function apiGet<T>(
  path: string,
  token: string,
  parse: (v: unknown) => { success: true; data: T } | { success: false; error: { message: string } },
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const msg = (body as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
      return { ok: false, error: `${path}: HTTP ${res.status} ${msg}` };
    }
    const r = parse(body);
    return r.success
      ? { ok: true, value: r.data }
      : { ok: false, error: `${path}: unexpected reply: ${r.error.message}` };
  } catch (e) {
    return { ok: false, error: `${path}: ${(e as Error).message}` };
  }
}
