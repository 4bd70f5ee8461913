import { defineConfig } from 'vitest/config';

// One test command for the whole workspace. Packages are imported through their
// built `dist` (run `pnpm build` first; `pnpm test` does), so tests exercise what users get.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // 2 cores: heavy numerical and browser tests must not fight each other.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    globalSetup: ['test/global-setup.ts'],
  },
});
