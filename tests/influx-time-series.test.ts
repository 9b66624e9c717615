import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfluxDB } from 'influx';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfluxForwarder } from '../hub/src/store/influx-forwarder.js';
import { InfluxTimeSeries } from '../hub/src/store/influx-time-series.js';
import { EventJournal, JournalCursor, openDatabase } from '../hub/src/store/index.js';
import { describeTimeSeriesContract } from '../hub/src/store/time-series.contract.js';
import { systemClock } from '../hub/src/time/index.js';
import { startInfluxd, type Influxd } from './support/influxd.js';
import { requireTool } from './support/require-tool.js';

const haveInfluxd = requireTool('influxd', 'influxdb');
let influxd: Influxd;
let databases = 0;

describe.runIf(haveInfluxd)('InfluxDB 1.x (real influxd)', () => {
  beforeAll(async () => {
    influxd = await startInfluxd();
  }, 60_000);
  afterAll(async () => influxd?.destroy());

  describeTimeSeriesContract('InfluxDB', async () => ({
    store: new InfluxTimeSeries(`${influxd.url}/contract_${++databases}`, 400),
    cleanup: async () => {},
  }));

  it('keeps raw events only as long as the hub’s retention, set again when it changes', async () => {
    const policyOf = async () =>
      (await new InfluxDB(`${influxd.url}/retained`).showRetentionPolicies('retained')).find((p) => p.default);
    await new InfluxTimeSeries(`${influxd.url}/retained`, 400).start();
    expect(await policyOf()).toMatchObject({ name: 'autogen', duration: '9600h0m0s' });
    await new InfluxTimeSeries(`${influxd.url}/retained`, 90).start();
    expect(await policyOf()).toMatchObject({ name: 'autogen', duration: '2160h0m0s' });
  });

  it('forwards every journaled event exactly once across an InfluxDB outage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-fwd-'));
    const db = openDatabase(join(dir, 'hub.sqlite'));
    db.prepare(
      `INSERT INTO homes (id, name, timezone, created_at, updated_at) VALUES ('home-1', 'x', 'Asia/Tokyo', 0, 0)`,
    ).run();
    const journal = new EventJournal(db);
    const sink = new InfluxTimeSeries(`${influxd.url}/forwarded`, 400);
    await sink.start();
    const forwarder = new InfluxForwarder({
      journal,
      cursor: new JournalCursor(db, 'influx'),
      sink,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      retryMinMs: 50,
      retryMaxMs: 200,
      pollMs: 50,
    });
    const append = (from: number, count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          journal.append({
            homeId: 'home-1',
            deviceId: 'dev-1',
            receivedAt: Date.now(),
            event: { id: `e${from + i}`, ts: Date.now() - 1000, type: 'heartbeat' },
          }),
        ),
      );
    const countInInflux = async () =>
      (await sink.query({ homeId: 'home-1', from: 0, to: Date.now() + 60_000, limit: 100_000 })).length;
    const waitUntil = async (condition: () => Promise<boolean> | boolean) => {
      const deadline = Date.now() + 20_000;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    forwarder.start();
    await append(0, 300);
    forwarder.notify();
    await waitUntil(() => forwarder.lag() === 0);
    expect(await countInInflux()).toBe(300);

    await influxd.stop();
    await append(300, 500);
    forwarder.notify();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(forwarder.lag()).toBe(500); // held back in the journal, not lost

    await influxd.start();
    await waitUntil(() => forwarder.lag() === 0);
    expect(await countInInflux()).toBe(800);
    await forwarder.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
