import { defineConfig } from 'vitest/config';

// The conformance suite: the real Claude Code binary against the fake AWS (npm run test:claude).
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    // Each case runs one claude, one status and one doctor process: three cases at a time fit 2 cores.
    maxConcurrency: 3,
  },
});
