import { defineProject } from 'vitest/config';

// The CLI tests spawn `tsx main.ts` child processes: seconds each on a loaded 2-core machine.
export default defineProject({
  test: { name: 'cli', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
