import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BENCH = fileURLToPath(new URL('../bench/scale.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * The scale benchmark (issue 7) end to end on 200 homes: the built hub in its own process, 200
 * speakers on real MQTT connections, the 9:00 burst and the 10:00 close of the silent homes'
 * windows. Asserts the counts the benchmark reports, never its timings.
 */
describe('bench/scale.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mimamori-bench-scale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prompts every home at 9:00, settles every answer, alerts each silent home once and writes one results line', async () => {
    const results = join(dir, 'scale.jsonl');
    const { stdout } = await run(
      process.execPath,
      [
        BENCH,
        '--homes',
        '200',
        '--silent-pct',
        '10',
        '--timeout',
        '60',
        '--data',
        join(dir, 'data'),
        '--results-dir',
        dir,
      ],
      {
        cwd: REPO,
      },
    );
    expect(stdout).toMatch(/^9:00 burst: 200 check-ins due at once; 200 prompts received/m);

    const lines = readFileSync(results, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const figures = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(figures).toMatchObject({
      benchmark: 'scale',
      params: { homes: 200, silent: 20 },
      connected: 200,
      startup: { deadlines: 201 }, // one due time per schedule, and the hub's liveness note
      burst: { checkins: 200, prompts: 200, answered: 180 },
      deadlines: { fired: 20, alerts: 20, outboxAlerts: 20, outboxRows: 20 },
    });
  }, 120_000);
});
