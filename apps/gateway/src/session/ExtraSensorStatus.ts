import type { Pipeline, SegmentRole, SegmentStatus } from '@hipcue/dsp';
import type { SensorStatus } from '@hipcue/messages';
import type { SegmentFeed, SegmentSensor } from './SegmentFeed.ts';

/** What the pipeline makes of an extra sensor, in words for the therapist and the patient. */
export function segmentMessage(role: SegmentRole, used: SegmentStatus | undefined, calibrated: boolean): string {
  const what = role === 'thigh' ? 'counts clamshell reps from the knee opening' : 'measures lumbar arching';
  switch (used) {
    case undefined:
      return role === 'thigh'
        ? 'Recorded; used for clamshells only.'
        : 'Recorded; used for hip thrusts and bridges only.';
    case 'missing':
      return calibrated ? 'No data during the start hold: not used.' : `Waits for the start hold; then ${what}.`;
    case 'moved':
      return 'Moved during the start hold: not used until the next calibration.';
    case 'lost':
      return 'No data for a while: the pelvis sensor works alone until the next calibration.';
    case 'ok':
      return `In use: ${what}.`;
  }
}

/**
 * The sensor statuses of the thigh and upper-lumbar sensors: connection state (from the source), rate (samples per
 * second, as the pelvis's) and a message saying what the pipeline uses each for. `statuses` is the session state's
 * list, updated in place; `emit` publishes a changed status as a `sensor` event.
 */
export class ExtraSensorStatus {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly sensors: readonly SegmentSensor[],
    private readonly statuses: SensorStatus[],
    private readonly pipeline: () => Pipeline,
    private readonly emit: (s: SensorStatus) => void,
    simulated: boolean,
  ) {
    for (const x of sensors) {
      statuses.push({
        sensorId: x.sensorId,
        position: x.role === 'thigh' ? 'thigh' : 'upper-lumbar',
        state: 'connecting',
        simulated,
        profile: x.profile,
        batteryPct: null,
        lossPct: 0,
        rateHz: 0,
        message: this.message(x.role),
      });
    }
  }

  /** Applies `patch` to one sensor's status; the message is the connection's when given, else the pipeline's use. */
  update(sensorId: string, patch: Partial<SensorStatus>, message?: string): void {
    const k = this.statuses.findIndex((x) => x.sensorId === sensorId);
    const old = this.statuses[k];
    const role = this.sensors.find((x) => x.sensorId === sensorId)?.role;
    if (!old || !role) return;
    const next: SensorStatus = { ...old, ...patch, message: message ?? this.message(role) };
    const changed =
      next.state !== old.state ||
      next.message !== old.message ||
      Math.abs(next.rateHz - old.rateHz) >= 5 ||
      Math.abs(next.lossPct - old.lossPct) >= 0.5;
    this.statuses[k] = next;
    if (changed) this.emit(next);
  }

  /** Every sensor's message again (after a calibration), and `state` for all when given (a source that ended). */
  refresh(state?: SensorStatus['state']): void {
    for (const x of this.sensors) this.update(x.sensorId, state ? { state } : {});
  }

  /** Periodic report: rates over the last `dtS` seconds; data flowing from a sim or replay sensor means streaming. */
  report(dtS: number, feed: SegmentFeed): void {
    for (const x of this.sensors) {
      const count = feed.sampleCount(x.sensorId);
      const rateHz = dtS > 0 ? Math.round((count - (this.counts.get(x.sensorId) ?? 0)) / dtS) : 0;
      this.counts.set(x.sensorId, count);
      const old = this.statuses.find((s) => s.sensorId === x.sensorId);
      const state =
        old && (old.state === 'connecting' || old.state === 'connected') && count > 0 ? 'streaming' : old?.state;
      this.update(x.sensorId, { rateHz, ...(state ? { state } : {}) });
    }
  }

  private message(role: SegmentRole): string {
    const p = this.pipeline();
    return segmentMessage(role, p.segments[role], p.calibration !== undefined);
  }
}
