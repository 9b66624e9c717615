import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from './support/require-tool.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('..', import.meta.url));
const haveMosquitto = requireTool('/usr/sbin/mosquitto', 'mosquitto');
const haveInfluxd = requireTool('influxd', 'influxdb');
const TINY = ['--devices', '4', '--seconds', '1', '--warmup', '0.5'];

interface Phase {
  target: string;
  qos: number;
  messagesPerSecond: number;
  refused: number;
  generator: { errors: string[] };
}

/**
 * The ingest benchmarks of issue 7 end to end with tiny parameters, against the built hub and
 * real servers: each exits 0 and appends one results line with the machine and positive rates.
 * Never asserts how fast anything was.
 */
describe('bench/ (issue 7) with tiny parameters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mimamori-bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function bench(name: string, args: string[]): Promise<Record<string, unknown>> {
    await run(process.execPath, [join('bench', `${name}.mjs`), ...args, '--results-dir', dir], {
      cwd: REPO,
      timeout: 100_000,
    });
    const lines = readFileSync(join(dir, `${name}.jsonl`), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({ benchmark: name, machine: { cpus: expect.any(Number), node: process.version } });
    return record;
  }

  function expectPositiveRates(phases: Phase[], targets: string[]) {
    expect(phases.map((p) => `${p.target} QoS ${p.qos}`)).toEqual(targets.flatMap((t) => [`${t} QoS 0`, `${t} QoS 1`]));
    for (const phase of phases) {
      expect(phase.messagesPerSecond, `${phase.target} QoS ${phase.qos}`).toBeGreaterThan(0);
      expect(phase.refused).toBe(0);
      expect(phase.generator.errors).toEqual([]);
    }
  }

  it('ingest.mjs measures raw aedes and the hub and states the ratio', async () => {
    const record = await bench('ingest', TINY);
    expectPositiveRates(record.phases as Phase[], ['aedes', 'hub']);
    expect(record.hubToAedes).toEqual({ qos0: expect.any(Number), qos1: expect.any(Number) });
  }, 120_000);

  it.runIf(haveMosquitto)(
    'peer.mjs measures Mosquitto with a SQLite subscriber against the hub',
    async () => {
      const record = await bench('peer', TINY);
      expectPositiveRates(record.phases as Phase[], ['mosquitto', 'hub']);
    },
    120_000,
  );

  it.runIf(haveInfluxd)(
    'influx.mjs measures the hub with InfluxDB and the forwarder catching up',
    async () => {
      const record = await bench('influx', TINY);
      const phases = record.phases as (Phase & { lagAtEnd: number; catchUpSeconds: number })[];
      expectPositiveRates(phases, ['hub+influx']);
      for (const phase of phases) {
        expect(phase.lagAtEnd).toBe(0);
        expect(phase.catchUpSeconds).toBeGreaterThanOrEqual(0);
      }
    },
    120_000,
  );

  it('api-load.mjs requests every main endpoint while ingesting', async () => {
    const record = await bench('api-load', [
      '--homes',
      '4',
      '--rate',
      '20',
      '--events',
      '200',
      '--seconds',
      '2',
      '--warmup',
      '0.5',
    ]);
    const { http, ingest } = record as {
      http: { endpoints: { name: string; requests: number }[]; total: { errors: number; non2xx: number } };
      ingest: { messagesPerSecond: number };
    };
    expect(http.endpoints.map((e) => e.name)).toEqual([
      'GET /api/alerts',
      'GET /api/checkin-status',
      'GET /api/homes',
      'GET /api/watching',
      'GET /api/homes/:id/overview',
    ]);
    for (const endpoint of http.endpoints) expect(endpoint.requests, endpoint.name).toBeGreaterThan(0);
    expect(http.total).toMatchObject({ errors: 0, non2xx: 0 });
    expect(ingest.messagesPerSecond).toBeGreaterThan(0);
  }, 120_000);
});
