import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest's global set-up: every temporary directory the run makes (hubs' data, speakers'
 * sounds, certificates) goes under one directory of its own, removed when the run ends. Tests
 * that stop a hub by killing it cannot always clean up after themselves, and a full run left
 * about 60 directories and a few GiB of SQLite files in the system's temporary directory.
 * The test workers inherit `TMPDIR`, and so do the processes they start with their environment.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'mimamori-test-run-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
