import { HIPCUE_UUIDS } from '@hipcue/firmware-protocol';
import type { SessionEvent } from '@hipcue/messages';
import { simulateSession } from '@hipcue/sim';
import { describe, expect, it } from 'vitest';
import { testGateway } from '../e2e/helpers.ts';
import type { NotificationSource, SourceSink } from '../sources/types.ts';
import { HAPTIC_CORRECTION_MS } from './LiveSession.ts';

/** A hipcue sensor with a motor: records every buzz the gateway asks for. */
function buzzingSensor(link: Parameters<typeof simulateSession>[0]['link'] = {}) {
  const buzzes: (readonly number[])[] = [];
  const sim = simulateSession({
    seed: 12,
    exercise: 'hip-thrust',
    side: 'left',
    sets: 1,
    reps: 10,
    faults: { lumbar_arch: 0.5, pelvic_drop: 0.3 },
    link: { sensorId: 'pelvis', ...link },
  });
  const source: NotificationSource = {
    kind: 'ble',
    simulated: true,
    sensorId: 'pelvis',
    profile: 'hipcue',
    backfill: true,
    haptics: true,
    haptic: (p) => buzzes.push(p),
    async start(sink: SourceSink) {
      for (const n of sim.notifications) sink.notification({ ...n, characteristic: HIPCUE_UUIDS.imuData.noble });
      sink.end();
    },
    async stop() {},
  };
  return { source, buzzes };
}

const cues = (events: readonly SessionEvent[]) => events.flatMap((e) => (e.type === 'cue' ? [e] : []));

describe('haptic cues (issue 6)', () => {
  it('buzzes once per correction cue, never for good-rep praise, and says so in the snapshot', async () => {
    const { source, buzzes } = buzzingSensor();
    const { gateway } = await testGateway({ createSource: async () => source, record: false });
    await gateway.session.whenEnded();
    const all = cues(gateway.session.core.state.recent);
    const corrections = all.filter((c) => c.kind === 'correction');
    expect(corrections.length).toBeGreaterThan(0);
    expect(all.some((c) => c.kind === 'positive')).toBe(true);
    expect(buzzes).toHaveLength(corrections.length);
    expect(buzzes.every((b) => b === HAPTIC_CORRECTION_MS)).toBe(true);
    expect(gateway.session.snapshot('c', 'patient').sensors[0]?.haptics).toBe(true);
    await gateway.close();
  });

  it('does not buzz for cues about backfilled history after a link drop', async () => {
    const { source, buzzes } = buzzingSensor({ disconnect: { startS: 14, durationS: 6 }, backfill: {} });
    const { gateway } = await testGateway({ createSource: async () => source, record: false });
    await gateway.session.whenEnded();
    const corrections = cues(gateway.session.core.state.recent).filter((c) => c.kind === 'correction');
    const late = corrections.filter((c) => c.late);
    expect(late.length).toBeGreaterThan(0);
    expect(buzzes).toHaveLength(corrections.length - late.length);
    await gateway.close();
  });
});
