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

  /** Runs a bench, and returns what it printed and the one results line it appended. */
  async function benchRun(name: string, args: string[]): Promise<{ stdout: string; record: Record<string, unknown> }> {
    const { stdout } = await run(process.execPath, [join('bench', `${name}.mjs`), ...args, '--results-dir', dir], {
      cwd: REPO,
      timeout: 100_000,
    });
    const lines = readFileSync(join(dir, `${name}.jsonl`), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({ benchmark: name, machine: { cpus: expect.any(Number), node: process.version } });
    return { stdout, record };
  }
  const bench = async (name: string, args: string[]) => (await benchRun(name, args)).record;

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
    type Phase = {
      http: { endpoints: { name: string; requests: number }[]; total: { errors: number; non2xx: number } };
      ingest: { messagesPerSecond: number };
    };
    const { atMaximum, ...steady } = record as Phase & { atMaximum: Phase };
    // At the rate asked, and again with the devices publishing as fast as the hub takes events.
    for (const { http, ingest } of [steady, atMaximum]) {
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
    }
    expect(atMaximum.ingest.messagesPerSecond).toBeGreaterThan(steady.ingest.messagesPerSecond);
  }, 120_000);

  it('detection.mjs (issue 18) replays every default rule over a small population and prints every figure', async () => {
    const { stdout, record } = await benchRun('detection', [
      ...['--homes', '7', '--days', '8', '--warmup', '15', '--seed', '1', '--workers', '2'],
    ]);
    const figures = record as {
      params: { tuning: boolean; rules: string[] };
      residentMonths: { ordinary: number };
      falseAlertsPerResidentMonth: number;
      falseIncidentsPerResidentMonth: number;
      falseAlertsByRule: Record<string, { count: number; perResidentMonth: number }>;
      incidents: {
        kind: string;
        count: number;
        detectionRate: number;
        alertsPerIncident: number;
        incidentsCausedPerIncident: number | null;
      }[];
    };
    expect(figures.params.tuning).toBe(true);
    expect(figures.residentMonths.ordinary).toBeGreaterThan(0);
    expect(figures.falseAlertsPerResidentMonth).toEqual(expect.any(Number));
    expect(figures.falseIncidentsPerResidentMonth).toEqual(expect.any(Number));
    expect(stdout).toMatch(/false alerts per resident-month on ordinary days: [\d.]+/);
    expect(stdout).toMatch(/false incidents per resident-month .*: [\d.]+/);
    expect(figures.params.rules.length).toBeGreaterThan(10);
    for (const rule of figures.params.rules.filter((r) => !/^(environment\.|device\.battery)/.test(r))) {
      expect(figures.falseAlertsByRule[rule], rule).toMatchObject({ count: expect.any(Number) });
      expect(stdout).toMatch(new RegExp(`^${rule.replace('.', '\\.')} +\\d+ +[\\d.]+$`, 'm'));
    }
    const kinds = figures.incidents.map((i) => i.kind.replace(/ \(.*\)$/, ''));
    expect(new Set(kinds)).toEqual(new Set(['fall', 'no wake', 'vanish', 'long absence', 'dead sensor']));
    for (const incident of figures.incidents) {
      expect(incident.count).toBeGreaterThan(0);
      expect(incident.detectionRate).toEqual(expect.any(Number));
      expect(incident.alertsPerIncident).toEqual(expect.any(Number));
      expect(stdout).toContain(incident.kind);
      // A dead sensor's home is replayed again with the sensor working, to tell what the death caused.
      if (incident.kind.startsWith('dead sensor')) {
        expect(incident.incidentsCausedPerIncident).toEqual(expect.any(Number));
        expect(stdout).toContain(`${incident.kind}: ${incident.incidentsCausedPerIncident} incidents each caused`);
      } else expect(incident.incidentsCausedPerIncident).toBeNull();
    }
  }, 120_000);
});
