import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'ble', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
