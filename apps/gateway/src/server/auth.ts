import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLES, type Role } from '@hipcue/messages';

/** Access tokens per role, as stored in `<data-dir>/secrets.json` (mode 0600). */
export interface Secrets {
  version: 1;
  tokens: Record<Role, string>;
}

export const TICKET_TTL_MS = 30_000;

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * Reads `<dataDir>/secrets.json`, creating it (mode 0600, tokens from `crypto.randomBytes`) when missing or
 * unreadable. Permissions are re-tightened on every start.
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<Secrets> {
  const path = join(dataDir, 'secrets.json');
  await mkdir(dataDir, { recursive: true });
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    if (isSecrets(parsed)) {
      await chmod(path, 0o600);
      return parsed;
    }
  } catch {
    // missing or corrupt: create below
  }
  const secrets: Secrets = {
    version: 1,
    tokens: { patient: newSecret(), therapist: newSecret(), viewer: newSecret() },
  };
  await writeFile(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return secrets;
}

function isSecrets(v: unknown): v is Secrets {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as { version?: unknown; tokens?: Record<string, unknown> };
  return (
    s.version === 1 &&
    typeof s.tokens === 'object' &&
    s.tokens !== null &&
    ROLES.every((r) => typeof s.tokens?.[r] === 'string' && (s.tokens[r] as string).length >= 16)
  );
}

/**
 * Checks tokens in constant time (SHA-256 of both sides, then `timingSafeEqual`) and issues short-lived,
 * single-use tickets (`POST /api/ticket`), so a browser need not put a long-lived token in a WebSocket URL.
 */
export class Authenticator {
  private readonly tokenHashes: [Role, Buffer][];
  /** sha256(ticket) hex → role and expiry. Keyed by hash so the map never holds a usable ticket. */
  private readonly tickets = new Map<string, { role: Role; expiresMs: number }>();

  constructor(
    secrets: Secrets,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.tokenHashes = ROLES.map((r) => [r, sha256(secrets.tokens[r])]);
  }

  /** The role a token grants, or undefined. Compares against every role so timing does not depend on which matched. */
  roleForToken(token: string): Role | undefined {
    const h = sha256(token);
    let found: Role | undefined;
    for (const [role, expected] of this.tokenHashes) {
      if (timingSafeEqual(h, expected)) found = role;
    }
    return found;
  }

  issueTicket(role: Role): { ticket: string; expiresAt: string } {
    this.pruneTickets();
    const ticket = newSecret();
    const expiresMs = this.nowMs() + TICKET_TTL_MS;
    this.tickets.set(sha256(ticket).toString('hex'), { role, expiresMs });
    return { ticket, expiresAt: new Date(expiresMs).toISOString() };
  }

  /** Redeems a ticket once; a second use, or use after expiry, returns undefined. */
  redeemTicket(ticket: string): Role | undefined {
    const key = sha256(ticket).toString('hex');
    const entry = this.tickets.get(key);
    if (!entry) return undefined;
    this.tickets.delete(key);
    return entry.expiresMs >= this.nowMs() ? entry.role : undefined;
  }

  private pruneTickets(): void {
    const now = this.nowMs();
    for (const [k, v] of this.tickets) if (v.expiresMs < now) this.tickets.delete(k);
    // Bound memory even under a ticket flood from a valid token.
    while (this.tickets.size > 1000) {
      const first = this.tickets.keys().next().value;
      if (first === undefined) break;
      this.tickets.delete(first);
    }
  }
}
