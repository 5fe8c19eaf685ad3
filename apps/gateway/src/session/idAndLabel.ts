import { randomBytes } from 'node:crypto';

/** A session id that sorts by start time and says nothing about the patient: `20261123-191500-3fa2`. */
export function newSessionId(now = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
