/**
 * Scalar motion profiles built from C2-continuous pieces, with exact first and second derivatives.
 *
 * - `ramp`: a quintic minimum-jerk transition by `delta` from t0 to t1 (s(u) = 10u³ − 15u⁴ + 6u⁵; velocity and
 *   acceleration are zero at both ends, so any sum of ramps is C2).
 * - `burst`: a windowed sinusoid amp·sin(2πf(t − t0) + phase)·sin⁴(π(t − t0)/dur); sin⁴ has zero value, slope and
 *   curvature at both ends, so a burst is C2 too. Used for tremor when a band loads or a hold shakes.
 */
export type Piece =
  | { type: 'ramp'; t0: number; t1: number; delta: number }
  | { type: 'burst'; t0: number; t1: number; amp: number; freqHz: number; phase: number };

/** Value, first and second time derivative of a profile at one instant. */
export interface ProfileValue {
  x: number;
  dx: number;
  ddx: number;
}

function addPiece(p: Piece, t: number, out: ProfileValue): void {
  if (t <= p.t0) return;
  if (p.type === 'ramp') {
    if (t >= p.t1) {
      out.x += p.delta;
      return;
    }
    const T = p.t1 - p.t0;
    const u = (t - p.t0) / T;
    const u2 = u * u;
    const u3 = u2 * u;
    out.x += p.delta * (10 * u3 - 15 * u3 * u + 6 * u3 * u2);
    out.dx += (p.delta * (30 * u2 - 60 * u3 + 30 * u2 * u2)) / T;
    out.ddx += (p.delta * (60 * u - 180 * u2 + 120 * u3)) / (T * T);
    return;
  }
  if (t >= p.t1) return;
  const T = p.t1 - p.t0;
  const tau = t - p.t0;
  const w = 2 * Math.PI * p.freqHz;
  const k = Math.PI / T;
  const s = Math.sin(k * tau);
  const c = Math.cos(k * tau);
  // window W = s⁴, W' = 4 s³ c k, W'' = k² (12 s² c² − 4 s⁴)
  const W = s * s * s * s;
  const dW = 4 * s * s * s * c * k;
  const ddW = k * k * (12 * s * s * c * c - 4 * s * s * s * s);
  const sn = Math.sin(w * tau + p.phase);
  const cs = Math.cos(w * tau + p.phase);
  const S = p.amp * sn;
  const dS = p.amp * w * cs;
  const ddS = -p.amp * w * w * sn;
  out.x += S * W;
  out.dx += dS * W + S * dW;
  out.ddx += ddS * W + 2 * dS * dW + S * ddW;
}

/** Evaluate a profile at any time (slow path: visits every piece). */
export function evalProfile(pieces: readonly Piece[], t: number): ProfileValue {
  const out = { x: 0, dx: 0, ddx: 0 };
  for (const p of pieces) addPiece(p, t, out);
  return out;
}

/**
 * Evaluates a profile at non-decreasing times in amortised O(active pieces): pieces are sorted by start, and a
 * finished ramp folds its delta into a running sum.
 */
export class ProfileCursor {
  private readonly pieces: Piece[];
  private nextIndex = 0;
  private active: Piece[] = [];
  private doneSum = 0;
  private lastT = Number.NEGATIVE_INFINITY;
  readonly value: ProfileValue = { x: 0, dx: 0, ddx: 0 };

  constructor(pieces: readonly Piece[]) {
    this.pieces = [...pieces].sort((a, b) => a.t0 - b.t0);
  }

  /** Advance to time t (must not decrease) and return the value there (the same object every call). */
  at(t: number): ProfileValue {
    if (t < this.lastT) throw new RangeError(`ProfileCursor time went back from ${this.lastT} to ${t}`);
    this.lastT = t;
    while (this.nextIndex < this.pieces.length && (this.pieces[this.nextIndex] as Piece).t0 < t) {
      this.active.push(this.pieces[this.nextIndex] as Piece);
      this.nextIndex++;
    }
    const out = this.value;
    out.x = 0;
    out.dx = 0;
    out.ddx = 0;
    let keep = 0;
    for (let i = 0; i < this.active.length; i++) {
      const p = this.active[i] as Piece;
      if (t >= p.t1) {
        if (p.type === 'ramp') this.doneSum += p.delta;
        continue;
      }
      this.active[keep++] = p;
      addPiece(p, t, out);
    }
    if (keep < this.active.length) this.active.length = keep;
    out.x += this.doneSum;
    return out;
  }
}
