import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent } from '@hipcue/messages';
import { EVENTS_STREAM, type RelayCredentials, subjects } from '@hipcue/relay';
import { startNatsServer, type TestNatsServer } from '@hipcue/relay/testing';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGateway } from '../e2e/helpers.ts';
import type { Gateway } from '../gateway.ts';

/** A therapist's (or anyone's) NATS connection, as the clinic console makes it. */
function viewer(server: TestNatsServer, creds: RelayCredentials): Promise<NatsConnection> {
  return connect({
    servers: server.url,
    user: creds.user,
    pass: creds.password,
    inboxPrefix: subjects.inboxPrefix(creds.user),
  });
}

/** Every event of one session from JetStream, from its start (a late joiner's replay). */
async function replaySession(nc: NatsConnection, pid: string, sessionId: string): Promise<SessionEvent[]> {
  const js = jetstream(nc);
  const c = await js.consumers.get(EVENTS_STREAM, { filter_subjects: subjects.events(pid, sessionId) });
  const out: SessionEvent[] = [];
  for (;;) {
    const batch = await c.fetch({ max_messages: 500, expires: 1000 });
    let n = 0;
    for await (const m of batch) {
      out.push(m.json<SessionEvent>());
      n++;
    }
    if (n === 0) return out;
  }
}

const seqs = (events: readonly SessionEvent[]) => events.map((e) => e.seq);

describe('clinic relay over NATS JetStream (issue 9)', () => {
  let dir: string;
  let server: TestNatsServer;
  const gateways: Record<string, Gateway> = {};
  const logs: string[][] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hipcue-relay-'));
    server = await startNatsServer({
      dir: join(dir, 'nats'),
      patients: ['P001', 'P002'],
      therapists: { alice: ['P001', 'P002'], bob: ['P002'], mallory: [] },
    });
  });

  afterAll(async () => {
    for (const g of Object.values(gateways)) await g.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('two gateways, three viewers: a broker crash mid-session loses and duplicates nothing; permissions hold', async () => {
    const alice = await viewer(server, server.therapists.alice!);
    const liveCharts: Record<string, number> = { P001: 0, P002: 0 };
    for (const pid of ['P001', 'P002']) {
      const sub = alice.subscribe(subjects.liveChart(pid));
      void (async () => {
        for await (const _ of sub) liveCharts[pid]!++;
      })();
    }
    await alice.flush();
    for (const [pid, seed] of [
      ['P001', 3],
      ['P002', 4],
    ] as const) {
      const { gateway, log } = await testGateway({
        source: 'sim',
        speed: 15,
        simBlocks: 2,
        seed,
        patientLabel: pid,
        dataDir: join(dir, `gw-${pid}`),
        relay: {
          servers: server.url,
          ...(server.gateways[pid] as Required<Pick<RelayCredentials, 'user' | 'password' | 'patient'>>),
        },
      });
      gateways[pid] = gateway;
      logs.push(log.lines);
    }
    // Crash the broker once reps are flowing, keep it down a moment, bring it back on the same store.
    const g1 = gateways.P001!;
    await until(() => g1.session.core.state.reps.length >= 2, 30_000);
    await server.kill();
    // the gateways keep going; their events wait in the disk outbox until the broker is back
    const repsAtCrash = g1.session.core.state.reps.length;
    await until(() => g1.relay!.pending > 0 && g1.session.core.state.reps.length > repsAtCrash, 30_000);
    await sleep(500);
    await server.restart();
    for (const g of Object.values(gateways)) await g.session.whenEnded();
    for (const g of Object.values(gateways)) expect(await g.relay!.drained(20_000)).toBe(true);

    // A therapist joining late replays each session from its first event: every event exactly once, in order.
    const late = await viewer(server, server.therapists.alice!);
    for (const [pid, g] of Object.entries(gateways)) {
      const replayed = await replaySession(late, pid, g.session.sessionId);
      const lastSeq = g.session.core.state.lastSeq;
      expect(seqs(replayed)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
      // the gateway keeps every event except calibration progress ticks: those must match exactly
      const kept = replayed.filter((e) => e.type !== 'calibration' || e.state !== 'holding' || e.progress === 0);
      expect(kept).toEqual(JSON.parse(JSON.stringify(g.session.core.state.recent)));
      expect(replayed.filter((e) => e.type === 'rep').length).toBeGreaterThan(4);
    }
    expect(liveCharts.P001).toBeGreaterThan(0);
    expect(liveCharts.P002).toBeGreaterThan(0);

    // bob sees P002 but not P001; mallory sees nobody.
    const bob = await viewer(server, server.therapists.bob!);
    expect((await replaySession(bob, 'P002', gateways.P002!.session.sessionId)).length).toBeGreaterThan(0);
    await expect(replaySession(bob, 'P001', g1.session.sessionId)).rejects.toThrow();
    const mallory = await viewer(server, server.therapists.mallory!);
    await expect(replaySession(mallory, 'P002', gateways.P002!.session.sessionId)).rejects.toThrow();
    const denied = mallory.subscribe(subjects.liveChart('P001'));
    await expect(denied.closed).resolves.toBeInstanceOf(Error);
    for (const nc of [alice, late, bob, mallory]) await nc.close();
    // the outage was logged, the credentials never
    const all = logs.flat().join('\n');
    expect(all).toContain('relay disconnected');
    for (const c of Object.values(server.gateways)) expect(all).not.toContain(c.password);
  }, 120_000);

  it("threshold changes travel back over request/reply, only from the patient's therapists", async () => {
    const g = gateways.P002!;
    const bob = await viewer(server, server.therapists.bob!);
    const ask = { type: 'set-thresholds', thresholds: { lumbarArchDeg: 7.5 }, id: 'relay-1' };
    const reply = await bob.request(subjects.control('P002'), JSON.stringify(ask), { timeout: 5000 });
    expect(reply.json()).toEqual({ ok: true });
    expect(g.session.core.state.thresholds.lumbarArchDeg).toBe(7.5);
    const bad = await bob.request(subjects.control('P002'), '{"type":"set-thresholds"}', { timeout: 5000 });
    expect(bad.json<{ ok: boolean }>().ok).toBe(false);
    const mallory = await viewer(server, server.therapists.mallory!);
    await expect(mallory.request(subjects.control('P002'), JSON.stringify(ask), { timeout: 2000 })).rejects.toThrow();
    await bob.close();
    await mallory.close();
  });
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
