import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` is fast and needs no tools; `e2e` spawns the real tofu, moto and the
 * built CLI. Both run in `npm test` and in CI; `npm run test:fast` runs `unit` alone.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/harness/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The fast project runs first, then the slow one with its own worker limit.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/toolchain/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          // tofu runs are CPU-heavy; two files at a time on small machines keeps them from starving.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
