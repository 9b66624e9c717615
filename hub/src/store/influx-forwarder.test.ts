import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../time/index.js';
import { InfluxForwarder } from './influx-forwarder.js';
import { storedEvent } from './time-series.contract.js';
import type { StoredEvent, TimeSeriesStore } from './time-series.js';

/** An in-memory sink that fails its first `failures` writes. */
function flakySink(failures: number) {
  const written: StoredEvent[] = [];
  let calls = 0;
  const sink: TimeSeriesStore = {
    backend: 'influx',
    start: async () => {},
    stop: async () => {},
    ping: async () => true,
    query: async () => written,
    write: async (events) => {
      calls += 1;
      if (calls <= failures) throw new Error('connection refused');
      written.push(...events);
    },
  };
  return { sink, written, calls: () => calls };
}

function setup(failures: number, events: StoredEvent[]) {
  const clock = new ManualClock(0);
  let cursor = 0;
  const warnings: unknown[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  const { sink, written, calls } = flakySink(failures);
  const forwarder = new InfluxForwarder({
    journal: {
      readAfter: (seq, limit) => events.filter((e) => e.seq > seq).slice(0, limit),
      headSeq: () => events.at(-1)?.seq ?? 0,
    },
    cursor: { get: () => cursor, set: (seq) => (cursor = seq) },
    sink,
    clock,
    logger,
    batchSize: 2,
    retryMinMs: 100,
    retryMaxMs: 400,
    pollMs: 10_000,
  });
  return { forwarder, clock, written, calls, warnings, cursor: () => cursor };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('InfluxForwarder', () => {
  it('advances the cursor only past batches the sink accepted, backing off 100, 200, 400, 400 ms', async () => {
    const events = [storedEvent(), storedEvent(), storedEvent()];
    const { forwarder, clock, written, calls, warnings, cursor } = setup(4, events);
    forwarder.start();
    await flush();
    expect(cursor()).toBe(0);
    for (const wait of [100, 200, 400]) {
      clock.advance(wait - 1);
      await flush();
      const before = calls();
      clock.advance(1);
      await flush();
      expect(calls()).toBe(before + 1);
      expect(cursor()).toBe(0);
    }
    clock.advance(400);
    await flush();
    await flush();
    expect(written).toEqual(events);
    expect(cursor()).toBe(events.at(-1)?.seq);
    expect(forwarder.lag()).toBe(0);
    expect(warnings).toHaveLength(1); // once per outage, not per retry
    await forwarder.stop();
  });

  it('sets no timer after stop()', async () => {
    const { forwarder, clock, calls } = setup(10, [storedEvent()]);
    forwarder.start();
    await flush();
    await forwarder.stop();
    const before = calls();
    clock.advance(60_000);
    await flush();
    expect(calls()).toBe(before);
  });
});
