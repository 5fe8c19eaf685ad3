import type { ChartMessage } from '@hipcue/messages';

/** Slack for float accumulation of the schedule, s. */
const EPS_S = 1e-9;

/**
 * Decimates per-sample pelvis angles to chart points and batches them into `chart` frames on the sample
 * clock (so fast replay and live give the same frames). Values are rounded (ms, 0.01°) to keep frames small.
 */
export class ChartBatcher {
  private tS: number[] = [];
  private tilt: number[] = [];
  private obliquity: number[] = [];
  private rotation: number[] = [];
  private frame = 0;
  private nextFlushS = Number.NaN;
  private nextPointS = Number.NaN;

  constructor(
    /** Chart frames per second of sample time. */
    private readonly framesPerS = 25,
    /** Chart points per second of sample time (at most the sample rate). */
    private readonly pointsPerS = 50,
  ) {}

  /** Adds one sample; returns a finished frame when the sample clock crossed a frame boundary. */
  add(tS: number, tiltDeg: number, obliquityDeg: number, rotationDeg: number): ChartMessage | undefined {
    if (Number.isNaN(this.nextFlushS)) {
      this.nextFlushS = tS + 1 / this.framesPerS;
      this.nextPointS = tS;
    }
    if (tS + EPS_S >= this.nextPointS) {
      this.tS.push(Math.round(tS * 1000) / 1000);
      this.tilt.push(Math.round(tiltDeg * 100) / 100);
      this.obliquity.push(Math.round(obliquityDeg * 100) / 100);
      this.rotation.push(Math.round(rotationDeg * 100) / 100);
      // Step from the schedule, not from tS, so jitter does not drift the rate; resync after a gap.
      this.nextPointS += 1 / this.pointsPerS;
      if (this.nextPointS <= tS) this.nextPointS = tS + 1 / this.pointsPerS;
    }
    if (tS + EPS_S < this.nextFlushS) return undefined;
    this.nextFlushS += 1 / this.framesPerS;
    if (this.nextFlushS <= tS) this.nextFlushS = tS + 1 / this.framesPerS;
    return this.flush();
  }

  /** The points collected so far as a frame, or undefined when there are none. */
  flush(): ChartMessage | undefined {
    if (this.tS.length === 0) return undefined;
    const msg: ChartMessage = {
      type: 'chart',
      frame: this.frame++,
      tS: this.tS,
      tiltDeg: this.tilt,
      obliquityDeg: this.obliquity,
      rotationDeg: this.rotation,
    };
    this.tS = [];
    this.tilt = [];
    this.obliquity = [];
    this.rotation = [];
    return msg;
  }

  /** Starts over after a clock reset (recalibration keeps the session clock, so this is rarely needed). */
  reset(): void {
    this.flush();
    this.nextFlushS = Number.NaN;
    this.nextPointS = Number.NaN;
  }
}
