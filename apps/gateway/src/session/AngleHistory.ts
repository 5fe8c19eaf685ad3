/**
 * The last `capacity` samples of pelvis angles, so a rep's peaks can be taken over exactly its own window when
 * the rep is reported (independent of when pipeline events are drained). Typed arrays, no allocation per sample.
 */
export class AngleHistory {
  private readonly t: Float64Array;
  private readonly a: Float64Array;
  private n = 0;
  private head = 0;

  constructor(readonly capacity = 200 * 60) {
    this.t = new Float64Array(capacity);
    this.a = new Float64Array(capacity * 3);
  }

  push(tS: number, tiltDeg: number, obliquityDeg: number, rotationDeg: number): void {
    const i = this.head;
    this.t[i] = tS;
    this.a[3 * i] = tiltDeg;
    this.a[3 * i + 1] = obliquityDeg;
    this.a[3 * i + 2] = rotationDeg;
    this.head = (i + 1) % this.capacity;
    if (this.n < this.capacity) this.n++;
  }

  /** Signed value of largest magnitude of each angle over samples with fromS ≤ t ≤ toS. */
  peaks(fromS: number, toS: number): { tilt: number; obliquity: number; rotation: number } {
    const p = { tilt: 0, obliquity: 0, rotation: 0 };
    for (let k = 1; k <= this.n; k++) {
      const i = (this.head - k + this.capacity) % this.capacity;
      const t = this.t[i]!;
      if (t < fromS) break;
      if (t > toS) continue;
      const x = this.a[3 * i]!;
      const y = this.a[3 * i + 1]!;
      const z = this.a[3 * i + 2]!;
      if (Math.abs(x) > Math.abs(p.tilt)) p.tilt = x;
      if (Math.abs(y) > Math.abs(p.obliquity)) p.obliquity = y;
      if (Math.abs(z) > Math.abs(p.rotation)) p.rotation = z;
    }
    return p;
  }

  clear(): void {
    this.n = 0;
    this.head = 0;
  }
}
