import { defineProject } from 'vitest/config';

// End-to-end tests start real servers and a simulated patient; they wait on data, not on timers.
export default defineProject({
  test: {
    name: 'gateway',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
