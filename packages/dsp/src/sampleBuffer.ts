/**
 * Samples held while the movement axis is being fitted, analysed once the mounting is known: time, attitude
 * quaternion, bias-removed gyro (rad/s, sensor frame), stillness, the extra sensor's attitude at that time (NaN when
 * none) and the specific force (m/s², sensor frame). Preallocated; `push` beyond the capacity is refused (returns false).
 */
export class SampleBuffer {
  static readonly STRIDE = 16;
  readonly data: Float64Array;
  n = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity * SampleBuffer.STRIDE);
  }

  push(
    tS: number,
    q: ArrayLike<number>,
    wx: number,
    wy: number,
    wz: number,
    still: boolean,
    segmentQ: ArrayLike<number> | undefined,
    ax: number,
    ay: number,
    az: number,
  ): boolean {
    if (this.n >= this.capacity) return false;
    const d = this.data;
    const o = this.n * SampleBuffer.STRIDE;
    d[o] = tS;
    d[o + 1] = q[0]!;
    d[o + 2] = q[1]!;
    d[o + 3] = q[2]!;
    d[o + 4] = q[3]!;
    d[o + 5] = wx;
    d[o + 6] = wy;
    d[o + 7] = wz;
    d[o + 8] = still ? 1 : 0;
    if (segmentQ) {
      d[o + 9] = segmentQ[0]!;
      d[o + 10] = segmentQ[1]!;
      d[o + 11] = segmentQ[2]!;
      d[o + 12] = segmentQ[3]!;
    } else d[o + 9] = Number.NaN;
    d[o + 13] = ax;
    d[o + 14] = ay;
    d[o + 15] = az;
    this.n++;
    return true;
  }
}
