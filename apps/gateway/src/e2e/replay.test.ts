import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionEvent } from '@hipcue/messages';
import { readRecordingFile } from '@hipcue/recording/node';
import { describe, expect, it } from 'vitest';
import { analyzeRecording } from '../session/analyzeRecording.ts';
import { TestClient, testGateway } from './helpers.ts';

/** Events as comparable values: without `seq` (sensor-status events differ between live and replay). */
function comparable(events: readonly SessionEvent[]) {
  return events.filter((e) => e.type !== 'sensor').map(({ seq: _seq, ...rest }) => rest);
}

describe('recording and replay', () => {
  it('records a live session that replays to the same events, commands included', async () => {
    const { gateway, dataDir } = await testGateway({ source: 'sim', speed: 10, simBlocks: 1, seed: 21 });
    const therapist = await TestClient.connect(gateway, gateway.tokens.therapist);
    // A threshold change mid-session must be recorded and re-applied at the same sample on replay.
    const snap = () => therapist.messages[0];
    await therapist.until(
      () =>
        therapist.events().some((e) => e.type === 'rep') ||
        (snap()?.type === 'snapshot' && snap()!.type === 'snapshot' && (snap() as { reps: unknown[] }).reps.length > 0),
      20_000,
      'first rep',
    );
    therapist.send({ type: 'set-thresholds', thresholds: { lumbarArchDeg: 3 }, id: 't' });
    therapist.send({ type: 'pain-rating', setId: null, rating: 4, clientRatingId: 'p1' });
    await therapist.until(() => therapist.of('ack').length === 1, 5000, 'ack');
    await gateway.session.whenEnded();
    const live = gateway.session.core.state;
    const liveEvents = comparable(live.recent);
    expect(live.reps.length).toBeGreaterThanOrEqual(4);
    expect(live.lastSeq).toBeLessThan(200); // `recent` holds the whole session
    therapist.close();
    await gateway.close();

    const files = await readdir(join(dataDir, 'sessions'));
    expect(files).toEqual([`${gateway.session.sessionId}.mcap`]);
    const rec = await readRecordingFile(join(dataDir, 'sessions', files[0]!));
    expect(rec.ok).toBe(true);
    if (!rec.ok) return;
    expect(rec.complete).toBe(true);
    expect(rec.meta?.patient).toBe('P001');
    expect(rec.meta?.exercise).toBe('hip-thrust');

    // Offline re-analysis (the review API's path).
    const offline = analyzeRecording(rec, 'x');
    expect(comparable(offline.core.state.recent)).toEqual(liveEvents.filter((e) => e.type !== 'pain-rating'));
    expect(
      offline.events.filter((e) => e.type === 'pain-rating').map((e) => e.type === 'pain-rating' && e.rating),
    ).toEqual([4]);

    // A gateway replaying the file through the live path.
    const { gateway: replay } = await testGateway({
      source: 'replay',
      replayPath: join(dataDir, 'sessions', files[0]!),
      speed: Number.POSITIVE_INFINITY,
    });
    await replay.session.whenEnded();
    expect(replay.session.source.kind).toBe('replay');
    expect(replay.session.snapshot('c', 'viewer').sensors[0]?.simulated).toBe(true);
    const replayed = comparable(replay.session.core.state.recent);
    expect(replayed).toEqual(liveEvents.filter((e) => e.type !== 'pain-rating'));
    expect(replay.session.core.state.reps).toEqual(live.reps);
    await replay.close();
  });
});
