import { defineProject } from 'vitest/config';

// Simulating a session takes ~50–300 ms of CPU; on a loaded 2-core machine a test that simulates several can pass
// vitest's 5 s default, so the limit is generous (none of these tests asserts on time).
export default defineProject({
  test: { name: 'sim', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
});
