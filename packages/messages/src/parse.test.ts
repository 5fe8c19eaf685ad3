import { describe, expect, it } from 'vitest';
import { type ClientMessage, isAllowed } from './client.ts';
import { MAX_CLIENT_MESSAGE_BYTES } from './domain.ts';
import { parseClientMessage, parseServerMessage } from './parse.ts';
import type { ServerMessage } from './server.ts';

describe('parseClientMessage', () => {
  const valid: ClientMessage[] = [
    { type: 'select-exercise', exercise: 'clamshell', side: 'left', id: 'r1' },
    { type: 'calibrate' },
    { type: 'start-set' },
    { type: 'end-set', id: 'x' },
    { type: 'set-thresholds', thresholds: { lumbarArchDeg: 8 } },
    { type: 'pain-rating', setId: 's1', rating: 3, clientRatingId: 'c-1' },
    { type: 'perceived-fatigue', setId: null, rating: 5, clientRatingId: 'c-2' },
    { type: 'note', text: 'keep the ribs down' },
    { type: 'ping', clientTimeMs: 12.5 },
  ];
  it.each(valid)('accepts $type from text and from bytes', (m) => {
    const text = JSON.stringify(m);
    expect(parseClientMessage(text)).toEqual({ ok: true, message: m });
    expect(parseClientMessage(new TextEncoder().encode(text))).toEqual({ ok: true, message: m });
  });

  it('names the path and the value of a wrong field', () => {
    const r = parseClientMessage('{"type":"pain-rating","setId":"s1","rating":11,"clientRatingId":"a","id":"q7"}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad-message');
    expect(r.error.path).toBe('rating');
    expect(r.error.message).toContain('"rating"');
    expect(r.error.message).toContain('11');
    expect(r.error.id).toBe('q7');
  });

  it('refuses unknown types, unknown keys and non-objects', () => {
    for (const raw of ['{"type":"reboot"}', '{"type":"calibrate","force":true}', '42', 'null', '[]', '"ping"']) {
      const r = parseClientMessage(raw);
      expect(r.ok, raw).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-message');
    }
  });

  it('refuses bad JSON and bad UTF-8 without throwing', () => {
    const bad = parseClientMessage('{"type":');
    expect(bad.ok || bad.error.code).toBe('bad-json');
    const bytes = parseClientMessage(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(bytes.ok || bytes.error.code).toBe('bad-json');
  });

  it('refuses oversized messages before parsing them', () => {
    const big = JSON.stringify({ type: 'note', text: 'a'.repeat(MAX_CLIENT_MESSAGE_BYTES) });
    const r = parseClientMessage(big);
    expect(r.ok || r.error.code).toBe('too-large');
  });

  it('never throws on random input', () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const pieces = ['{', '}', '"type"', ':', '"pain-rating"', ',', '"rating"', '1e999', 'null', '[', ']', '"\\u0000"'];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(rnd() * 12);
      for (let k = 0; k < n; k++) s += pieces[Math.floor(rnd() * pieces.length)];
      expect(() => parseClientMessage(s)).not.toThrow();
    }
  });
});

describe('roles', () => {
  it('lets viewers only ping and keeps thresholds and notes for therapists', () => {
    expect(isAllowed('viewer', 'ping')).toBe(true);
    expect(isAllowed('viewer', 'start-set')).toBe(false);
    expect(isAllowed('patient', 'set-thresholds')).toBe(false);
    expect(isAllowed('patient', 'note')).toBe(false);
    expect(isAllowed('therapist', 'set-thresholds')).toBe(true);
    expect(isAllowed('patient', 'pain-rating')).toBe(true);
  });
});

describe('parseServerMessage', () => {
  it('round-trips an events batch and a chart frame', () => {
    const events: ServerMessage = {
      type: 'events',
      events: [
        { type: 'cue', seq: 4, tS: 12.25, code: 'lumbar_arch', text: 'Ribs down', kind: 'correction', repIndex: 2 },
        { type: 'set-start', seq: 5, tS: 13, setId: 's2', index: 2 },
      ],
    };
    expect(parseServerMessage(JSON.stringify(events))).toEqual({ ok: true, message: events });
    const chart: ServerMessage = {
      type: 'chart',
      frame: 3,
      tS: [1, 1.02],
      tiltDeg: [0.5, 0.7],
      obliquityDeg: [0, 0],
      rotationDeg: [0, -0.1],
    };
    expect(parseServerMessage(JSON.stringify(chart))).toEqual({ ok: true, message: chart });
  });

  it('refuses a chart with ragged columns', () => {
    const r = parseServerMessage(
      JSON.stringify({ type: 'chart', frame: 0, tS: [1, 2], tiltDeg: [1], obliquityDeg: [1, 2], rotationDeg: [1, 2] }),
    );
    expect(r.ok).toBe(false);
  });
});
