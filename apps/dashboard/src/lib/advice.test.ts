import { describe, expect, it } from 'vitest';
import { discomfortAdvice } from './advice';

describe('discomfortAdvice', () => {
  it('is fine below 2/10', () => {
    expect(discomfortAdvice('hip-thrust', [0]).kind).toBe('ok');
    expect(discomfortAdvice('hip-thrust', [1, 1]).kind).toBe('ok');
    expect(discomfortAdvice('hip-thrust', []).kind).toBe('ok');
  });

  it('at 2 or more regresses bench thrust → floor bridge and side-plank clamshell → clamshell', () => {
    const thrust = discomfortAdvice('hip-thrust', [2]);
    expect(thrust).toMatchObject({ kind: 'regress', regressTo: 'glute-bridge' });
    expect(thrust.text).toMatch(/glute bridge/i);
    expect(discomfortAdvice('side-plank-clamshell', [0, 3])).toMatchObject({ kind: 'regress', regressTo: 'clamshell' });
  });

  it('eases the load when already on the easiest version', () => {
    expect(discomfortAdvice('glute-bridge', [3]).kind).toBe('ease');
    expect(discomfortAdvice('clamshell', [2]).kind).toBe('ease');
  });

  it('suggests stopping and contacting the therapist after repeated high ratings', () => {
    const a = discomfortAdvice('glute-bridge', [3, 1, 2]);
    expect(a.kind).toBe('stop');
    expect(a.text).toMatch(/therapist/);
    expect(discomfortAdvice('hip-thrust', [0, 1, 1]).kind).toBe('ok');
  });

  it('stops at once on a very high rating', () => {
    expect(discomfortAdvice('hip-thrust', [7]).kind).toBe('stop');
  });
});
