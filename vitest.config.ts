import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // one jieba dictionary per worker is enough; keep memory modest on small machines
    pool: 'forks',
    maxWorkers: 2,
  },
});
