export { Rng } from './prng.ts';
export { simulateSession } from './session.ts';
export * from './types.ts';
