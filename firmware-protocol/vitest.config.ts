import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'firmware-protocol', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
