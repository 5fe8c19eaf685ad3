import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'recording', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
