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
    globalSetup: ['tests/support/temp-root.ts'],
    // Three files at a time on two cores (the default is cores − 1): much of the suite is
    // process tests waiting on real clocks (a minute's cron, a one-minute escalation timeout, a
    // crash series aimed across them, a browser setting up a home), and more files overlap those
    // waits with work. On the project machine the whole run took 631 s with two, 484 s with three.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
