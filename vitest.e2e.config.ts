import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the day-in-the-life scenario (real minutes of refreshes, real shells, the real aws CLI).
// One file at a time; it sets its own long timeouts.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 10 * 60_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
