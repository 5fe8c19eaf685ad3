import type { z } from 'zod';
import { type ClientMessage, clientMessageSchema } from './client.ts';
import { MAX_CLIENT_MESSAGE_BYTES } from './domain.ts';
import { type ErrorCode, type ServerMessage, serverMessageSchema } from './server.ts';

export interface ParseError {
  code: Extract<ErrorCode, 'bad-json' | 'bad-message' | 'too-large'>;
  /** Names what was wrong: the JSON path and the offending value. */
  message: string;
  /** Dotted path of the first problem (`thresholds.lumbarArchDeg`), empty for the root. */
  path: string;
  /** The message's `id`, when it had a usable one, so the error can be correlated. */
  id?: string;
}
export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: ParseError };

/** What arrives from a socket: text, or bytes (a Node Buffer is a Uint8Array). */
export type RawMessage = string | Uint8Array | ArrayBuffer;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses and validates a client → server message. Never throws. */
export function parseClientMessage(raw: RawMessage): ParseResult<ClientMessage> {
  return parseWith(clientMessageSchema, raw, MAX_CLIENT_MESSAGE_BYTES);
}

/** Parses and validates a server → client message (for the dashboard and tests). Never throws. */
export function parseServerMessage(raw: RawMessage): ParseResult<ServerMessage> {
  return parseWith(serverMessageSchema, raw, Number.POSITIVE_INFINITY);
}

function parseWith<T>(schema: z.ZodType<T>, raw: RawMessage, maxBytes: number): ParseResult<T> {
  let text: string;
  try {
    const byteLength = typeof raw === 'string' ? raw.length : raw.byteLength;
    if (byteLength > maxBytes) {
      return fail('too-large', `message is ${byteLength} bytes, limit is ${maxBytes}`, '');
    }
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    return fail('bad-json', 'message is not valid UTF-8 text', '');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('bad-json', `message is not JSON: ${(e as Error).message}`, '');
  }
  const id = requestIdOf(value);
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  if (!issue) return fail('bad-message', 'message does not match the schema', '', id);
  const path = issue.path.map(String).join('.');
  const got = path === '' ? '' : `, got ${preview(valueAt(value, issue.path))}`;
  const where = path === '' ? 'message' : `"${path}"`;
  return fail('bad-message', `${where}: ${issue.message}${got}`, path, id);
}

function fail(code: ParseError['code'], message: string, path: string, id?: string): ParseResult<never> {
  return { ok: false, error: id === undefined ? { code, message, path } : { code, message, path, id } };
}

function requestIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A short, safe rendering of an offending value for an error message. */
function preview(value: unknown): string {
  let s: string;
  try {
    s = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
