import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Authenticator, loadOrCreateSecrets, TICKET_TTL_MS } from './auth.ts';

describe('secrets', () => {
  it('creates distinct tokens in a 0600 file and reads the same ones back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hipcue-auth-'));
    const a = await loadOrCreateSecrets(dir);
    expect(new Set(Object.values(a.tokens)).size).toBe(3);
    const st = await stat(join(dir, 'secrets.json'));
    expect(st.mode & 0o777).toBe(0o600);
    const b = await loadOrCreateSecrets(dir);
    expect(b).toEqual(a);
    expect(JSON.parse(await readFile(join(dir, 'secrets.json'), 'utf8'))).toEqual(a);
  });
});

describe('Authenticator', () => {
  const secrets = {
    version: 1 as const,
    tokens: { patient: 'p'.repeat(32), therapist: 't'.repeat(32), viewer: 'v'.repeat(32) },
  };

  it('maps tokens to roles and refuses others', () => {
    const auth = new Authenticator(secrets);
    expect(auth.roleForToken('t'.repeat(32))).toBe('therapist');
    expect(auth.roleForToken('v'.repeat(32))).toBe('viewer');
    expect(auth.roleForToken('t'.repeat(31))).toBeUndefined();
    expect(auth.roleForToken('')).toBeUndefined();
  });

  it('tickets are single use and expire', () => {
    let now = 1000;
    const auth = new Authenticator(secrets, () => now);
    const { ticket } = auth.issueTicket('patient');
    expect(auth.redeemTicket(ticket)).toBe('patient');
    expect(auth.redeemTicket(ticket)).toBeUndefined();
    const late = auth.issueTicket('viewer');
    now += TICKET_TTL_MS + 1;
    expect(auth.redeemTicket(late.ticket)).toBeUndefined();
  });
});
