import { defineConfig } from 'vitest/config';

// One project per package; end-to-end tests under test/ run as their own project.
export default defineConfig({
  test: {
    projects: [
      'firmware-protocol',
      'packages/*',
      'apps/gateway',
      'apps/cli',
      'apps/dashboard',
      { test: { name: 'e2e', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
