import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Authenticator } from './auth.ts';
import { authenticate, originAllowed } from './requestAuth.ts';

const secrets = {
  version: 1 as const,
  tokens: { patient: 'p'.repeat(32), therapist: 't'.repeat(32), viewer: 'v'.repeat(32) },
};
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const url = (q: string) => new URL(`http://127.0.0.1:8720/ws${q}`);

describe('authenticate', () => {
  const auth = new Authenticator(secrets);
  it('accepts a token in the query, a subprotocol or a bearer header', () => {
    expect(authenticate(req({}), url(`?token=${'t'.repeat(32)}`), auth)).toMatchObject({ ok: true, role: 'therapist' });
    const sp = req({ 'sec-websocket-protocol': `hipcue.v1, hipcue.token.${'v'.repeat(32)}` });
    expect(authenticate(sp, url(''), auth)).toMatchObject({ ok: true, role: 'viewer', via: 'subprotocol' });
    expect(authenticate(req({ authorization: `Bearer ${'p'.repeat(32)}` }), url(''), auth)).toMatchObject({
      ok: true,
      role: 'patient',
    });
  });
  it('refuses missing and wrong credentials without echoing them', () => {
    expect(authenticate(req({}), url(''), auth)).toMatchObject({ ok: false, status: 401 });
    const bad = authenticate(req({}), url('?token=guess'), auth);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).not.toContain('guess');
  });
  it('redeems a ticket once', () => {
    const { ticket } = auth.issueTicket('patient');
    expect(authenticate(req({}), url(`?ticket=${ticket}`), auth)).toMatchObject({ ok: true, role: 'patient' });
    expect(authenticate(req({}), url(`?ticket=${ticket}`), auth)).toMatchObject({ ok: false });
  });
});

describe('originAllowed', () => {
  it('allows same origin, listed origins and no origin; refuses others', () => {
    expect(originAllowed(req({ host: '127.0.0.1:8720', origin: 'http://127.0.0.1:8720' }), []).ok).toBe(true);
    expect(originAllowed(req({ host: '127.0.0.1:8720' }), []).ok).toBe(true);
    expect(
      originAllowed(req({ host: '127.0.0.1:8720', origin: 'http://localhost:5173' }), ['http://localhost:5173']).ok,
    ).toBe(true);
    expect(originAllowed(req({ host: '127.0.0.1:8720', origin: 'http://evil.example' }), []).ok).toBe(false);
    expect(originAllowed(req({ host: '127.0.0.1:8720', origin: 'null' }), []).ok).toBe(false);
  });
});
