import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(`./${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the workspaces' sources so that a test run never depends on a stale build.
    alias: [
      { find: /^@mimamori\/contract$/, replacement: source('contract/src/index.ts') },
      { find: /^@mimamori\/device-link$/, replacement: source('device-link/src/index.ts') },
    ],
  },
  test: {
    include: ['**/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Two files at a time even on two cores (the default is cores − 1): much of the suite is
    // process tests waiting on real clocks (a minute's cron, a one-minute escalation timeout, a
    // crash series aimed across them), and a second file overlaps those waits with work.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
