import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HIPCUE_UUIDS } from '@hipcue/firmware-protocol';
import type { SessionEvent } from '@hipcue/messages';
import { readRecordingFile } from '@hipcue/recording/node';
import { simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { analyzeRecording } from '../session/analyzeRecording.ts';
import type { NotificationSource, SourceSink } from '../sources/types.ts';
import { testGateway } from './helpers.ts';

function comparable(events: readonly SessionEvent[]) {
  return events.filter((e) => e.type !== 'sensor').map(({ seq: _seq, ...rest }) => rest);
}

/** A hipcue v1.1 sensor over BLE, as the gateway sees it: a 5 s link drop mid-set, then the gap resent as BACKFILL. */
function droppingSensor(): NotificationSource {
  const sim = simulateSession({
    seed: 81,
    exercise: 'hip-thrust',
    side: 'left',
    sets: 1,
    reps: 10,
    link: { sensorId: 'pelvis', disconnect: { startS: 14, durationS: 5 }, backfill: {} },
  });
  let stopped = false;
  return {
    kind: 'ble',
    simulated: true,
    sensorId: 'pelvis',
    profile: 'hipcue',
    backfill: true,
    async start(sink: SourceSink) {
      sink.state('streaming');
      for (const n of sim.notifications) {
        if (stopped) return;
        sink.notification({ ...n, characteristic: HIPCUE_UUIDS.imuData.noble });
      }
      sink.end();
    },
    async stop() {
      stopped = true;
    },
  };
}

describe('backfill in recordings (issue 8)', () => {
  it('a live session with a backfilled drop replays to the same events, offline and through a replaying gateway', async () => {
    const { gateway, dataDir } = await testGateway({ createSource: async () => droppingSensor() });
    await gateway.session.whenEnded();
    const live = gateway.session.core.state;
    const liveEvents = comparable(live.recent);
    const bf = liveEvents.filter((e) => e.type === 'backfill');
    expect(bf).toHaveLength(1);
    expect(bf[0]).toMatchObject({ samplesLost: 0 });
    expect(live.reps.length).toBe(10);
    await gateway.close();

    const files = await readdir(join(dataDir, 'sessions'));
    const path = join(dataDir, 'sessions', files[0]!);
    const rec = await readRecordingFile(path);
    if (!rec.ok) throw new Error(rec.message);
    // the backfilled notifications are kept, on their own channel, as received
    expect(rec.notifications.some((n) => n.backfill)).toBe(true);

    const offline = analyzeRecording(rec, 'x');
    expect(comparable(offline.core.state.recent)).toEqual(liveEvents);

    const { gateway: replay } = await testGateway({
      source: 'replay',
      replayPath: path,
      speed: Number.POSITIVE_INFINITY,
    });
    await replay.session.whenEnded();
    expect(comparable(replay.session.core.state.recent)).toEqual(liveEvents);
    await replay.close();
  });
});
