import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../gateway.ts';
import { TestClient, testGateway } from './helpers.ts';

// One simulated patient at 25× real time: a ~40 s set takes under 2 s.
let gateway: Gateway;
let log: { lines: string[] };

beforeAll(async () => {
  ({ gateway, log } = await testGateway({ source: 'sim', speed: 25, seed: 3, exercise: 'hip-thrust', side: 'left' }));
});
afterAll(async () => {
  await gateway?.close();
});

describe('live sim session over WebSocket', () => {
  it('sends a snapshot first, then reps, cues and chart frames', async () => {
    const c = await TestClient.connect(gateway, gateway.tokens.patient);
    await c.until(() => c.messages.length > 0, 5000, 'first message');
    const first = c.messages[0]!;
    expect(first.type).toBe('snapshot');
    if (first.type !== 'snapshot') return;
    expect(first.role).toBe('patient');
    expect(first.source).toBe('sim');
    expect(first.sensors[0]?.simulated).toBe(true);
    expect(first.exercise).toBe('hip-thrust');
    await c.until(() => c.events().filter((e) => e.type === 'rep').length >= 3, 30_000, '3 reps');
    const events = c.events();
    expect(events.some((e) => e.type === 'cue')).toBe(true);
    const calibrated =
      first.calibration.state === 'done' || events.some((e) => e.type === 'calibration' && e.state === 'done');
    expect(calibrated).toBe(true);
    const charts = c.of('chart');
    expect(charts.length).toBeGreaterThan(10);
    // seq strictly increasing after the snapshot's lastSeq: nothing lost, nothing repeated.
    let prev = first.lastSeq;
    for (const e of events) {
      expect(e.seq).toBe(prev + 1);
      prev = e.seq;
    }
    expect(c.invalid).toEqual([]);
    c.close();
  });

  it('restores the state from the snapshot on reconnect', async () => {
    const a = await TestClient.connect(gateway, gateway.tokens.therapist);
    await a.until(() => a.events().filter((e) => e.type === 'rep').length >= 1, 30_000, 'a rep');
    a.close();
    const b = await TestClient.connect(gateway, gateway.tokens.therapist);
    await b.until(() => b.messages.length > 0, 5000, 'snapshot');
    const snap = b.messages[0]!;
    expect(snap.type).toBe('snapshot');
    if (snap.type !== 'snapshot') return;
    const seenByA = a
      .events()
      .filter((e) => e.type === 'rep')
      .map((e) => (e.type === 'rep' ? e.rep.index : 0));
    const inSnapshot = snap.reps.map((r) => r.index);
    for (const i of seenByA) expect(inSnapshot).toContain(i);
    expect(snap.lastSeq).toBeGreaterThanOrEqual(Math.max(...a.events().map((e) => e.seq)));
    expect(snap.role).toBe('therapist');
    b.close();
  });

  it('applies control messages with acks, de-duplicates ratings and keeps thresholds for therapists', async () => {
    const patient = await TestClient.connect(gateway, gateway.tokens.patient);
    const therapist = await TestClient.connect(gateway, gateway.tokens.therapist);
    patient.send({ type: 'pain-rating', setId: null, rating: 3, clientRatingId: 'r-1', id: 'q1' });
    patient.send({ type: 'pain-rating', setId: null, rating: 3, clientRatingId: 'r-1', id: 'q2' });
    patient.send({ type: 'set-thresholds', thresholds: { lumbarArchDeg: 4 }, id: 'q3' });
    therapist.send({ type: 'set-thresholds', thresholds: { lumbarArchDeg: 5 }, id: 't1' });
    therapist.send({ type: 'note', text: 'watch the ribs', id: 't2' });
    await patient.until(() => patient.of('ack').length >= 2 && patient.of('error').length >= 1, 5000, 'acks');
    await therapist.until(() => therapist.of('ack').length >= 2, 5000, 'therapist acks');
    expect(patient.of('error')[0]).toMatchObject({ code: 'forbidden', id: 'q3' });
    await patient.until(() => patient.events().some((e) => e.type === 'note'), 5000, 'note event');
    const ratings = patient.events().filter((e) => e.type === 'pain-rating');
    expect(ratings).toHaveLength(1);
    const th = patient.events().find((e) => e.type === 'thresholds');
    expect(th?.type === 'thresholds' && th.thresholds.lumbarArchDeg).toBe(5);
    const snap = gateway.session.snapshot('x', 'viewer');
    expect(snap.appliedRatingIds).toContain('r-1');
    expect(snap.thresholds.lumbarArchDeg).toBe(5);
    expect(log.lines.some((l) => l.includes('refused message') && l.includes('forbidden'))).toBe(true);
    patient.close();
    therapist.close();
  });

  it('starts a new session when the exercise changes and pushes a fresh snapshot to everyone', async () => {
    const viewer = await TestClient.connect(gateway, gateway.tokens.viewer);
    const patient = await TestClient.connect(gateway, gateway.tokens.patient);
    await viewer.until(() => viewer.messages.length > 0, 5000, 'snapshot');
    const before = gateway.session.sessionId;
    patient.send({ type: 'select-exercise', exercise: 'clamshell', side: 'right', id: 'x1' });
    await patient.until(() => patient.of('ack').length === 1, 5000, 'ack');
    await viewer.until(() => viewer.of('snapshot').length >= 2, 10_000, 'second snapshot');
    const fresh = viewer.of('snapshot')[1]!;
    expect(fresh).toMatchObject({ exercise: 'clamshell', side: 'right', lastSeq: expect.any(Number) });
    expect(fresh.sessionId).not.toBe(before);
    expect(fresh.sessionId).toBe(gateway.session.sessionId);
    expect(fresh.reps.length).toBe(0);
    viewer.close();
    patient.close();
  });
});
