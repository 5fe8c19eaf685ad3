import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket.ts';

describe('TokenBucket', () => {
  it('allows a burst of capacity, then the refill rate', () => {
    const b = new TokenBucket(5, 10, 0);
    let ok = 0;
    for (let i = 0; i < 20; i++) if (b.take(0)) ok++;
    expect(ok).toBe(5);
    expect(b.take(50)).toBe(false); // 0.5 token
    expect(b.take(100)).toBe(true); // +0.5 -> 1
    let later = 0;
    for (let i = 0; i < 20; i++) if (b.take(10_000)) later++;
    expect(later).toBe(5); // capped at capacity
  });
});
