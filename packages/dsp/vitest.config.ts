import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'dsp', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
