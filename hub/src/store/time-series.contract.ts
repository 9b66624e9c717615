import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent, TimeSeriesStore } from './time-series.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');

let nextSeq = 1;
/** A motion event unless `overrides` give another type with its data. */
export function storedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  const seq = nextSeq++;
  const event = {
    seq,
    homeId: 'home-1',
    deviceId: 'dev-1',
    eventId: `e-${seq}`,
    type: 'motion',
    ts: T0 + seq * 1000,
    receivedAt: T0 + seq * 1000 + 5,
    data: { occupied: true, room: 'living' },
    ...overrides,
  };
  return event as StoredEvent;
}

/** The behaviour every time-series backend must have; SQLite and InfluxDB both run it. */
export function describeTimeSeriesContract(
  name: string,
  create: () => Promise<{ store: TimeSeriesStore; cleanup(): Promise<void> }>,
) {
  describe(`time-series contract: ${name}`, () => {
    let store: TimeSeriesStore;
    let cleanup: () => Promise<void>;
    const all = (homeId = 'home-1') => store.query({ homeId, from: 0, to: T0 * 2, limit: 10_000 });

    beforeEach(async () => {
      ({ store, cleanup } = await create());
      await store.start();
    });
    afterEach(async () => {
      await store.stop();
      await cleanup();
    });

    it('returns what was written with every field intact', async () => {
      const events = [
        storedEvent(),
        storedEvent({ type: 'environment', data: { temperatureC: 28.5, humidityPct: 61 } }),
        storedEvent({
          type: 'checkin',
          data: { answer: 'unwell', via: 'voice', text: 'ちょっと頭が痛い', items: { health: 'not_ok' } },
        }),
      ];
      await store.write(events);
      expect(await all()).toEqual(events);
    });

    it('includes from, excludes to, and keeps other homes out', async () => {
      const [a, b, c] = [storedEvent(), storedEvent(), storedEvent()] as [StoredEvent, StoredEvent, StoredEvent];
      await store.write([a, b, c, storedEvent({ homeId: 'home-2' })]);
      expect(await store.query({ homeId: 'home-1', from: a.ts, to: c.ts, limit: 100 })).toEqual([a, b]);
      expect(await store.query({ homeId: 'home-1', from: c.ts + 1, to: c.ts + 2, limit: 100 })).toEqual([]);
    });

    it('filters by type, orders by time and returns the oldest `limit`', async () => {
      const late = storedEvent({ ts: T0 + 9_000_000 });
      const early = storedEvent({ ts: T0 + 1 });
      const door = storedEvent({ type: 'door', data: { open: true }, ts: T0 + 2 });
      await store.write([late, early, door]);
      expect(await all()).toEqual([early, door, late]);
      expect(await store.query({ homeId: 'home-1', from: 0, to: T0 * 2, limit: 2 })).toEqual([early, door]);
      expect(await store.query({ homeId: 'home-1', from: 0, to: T0 * 2, limit: 10, types: ['door'] })).toEqual([door]);
    });

    it('is idempotent when the same events are written again', async () => {
      const events = [storedEvent(), storedEvent()];
      await store.write(events);
      await store.write(events);
      expect(await all()).toEqual(events);
    });

    it('keeps two events of one device in the same millisecond', async () => {
      const a = storedEvent({ ts: T0 + 42 });
      const b = storedEvent({ ts: T0 + 42 });
      await store.write([a, b]);
      expect(await all()).toHaveLength(2);
    });

    // Real home ids are `[A-Za-z0-9_-]` (contract `entityId`); this guards the query builder itself.
    it('treats a home id with quotes as data, not query text', async () => {
      const odd = `o'ne" OR 1=1 --`;
      await store.write([storedEvent(), storedEvent({ homeId: odd })]);
      expect((await all(odd)).map((e) => e.homeId)).toEqual([odd]);
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
