import { deviceInput, homeInput } from '@mimamori/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStores } from './stores.js';

describe('the journal and a device’s online state', () => {
  it('does not bring a device back online with an event received before its will said offline', async () => {
    const stores = openStores(':memory:');
    stores.homes.create(homeInput.parse({ id: 'h1', name: 'h1' }), 0);
    stores.devices.create(deviceInput.parse({ id: 'btn-1', homeId: 'h1', kind: 'sos_button' }), 0);
    const append = (id: string, receivedAt: number) =>
      stores.journal.append({
        homeId: 'h1',
        deviceId: 'btn-1',
        event: { id, ts: receivedAt, type: 'heartbeat' },
        receivedAt,
      });
    const online = () => stores.devices.list('h1')[0]?.online;

    // Received at 1000; its group commits only after the will (at 1001) was taken: still offline.
    const held = append('e1', 1000);
    stores.devices.setOnline('btn-1', false, 1001);
    await held;
    expect(online()).toBe(false);
    // Heard from again afterwards: online.
    await append('e2', 1002);
    expect(online()).toBe(true);
  });
});

describe('group commits', () => {
  it('let the event loop turn between groups of a large burst, and store every event in order', async () => {
    const stores = openStores(':memory:');
    stores.homes.create(homeInput.parse({ id: 'h1', name: 'h1' }), 0);
    stores.devices.create(deviceInput.parse({ id: 'pir-1', homeId: 'h1', kind: 'motion' }), 0);
    let stored = 0;
    const appends = Array.from({ length: 2500 }, (_, i) =>
      stores.journal
        .append({
          homeId: 'h1',
          deviceId: 'pir-1',
          event: { id: `e${i}`, ts: i, type: 'motion', occupied: true },
          receivedAt: i,
        })
        .then((event) => {
          stored += 1;
          return event?.eventId;
        }),
    );
    // Queued after the burst arrived, as an HTTP request would be: served before the burst is all stored.
    const storedWhenServed = await new Promise<number>((resolve) => setImmediate(() => resolve(stored)));
    expect(storedWhenServed).toBeGreaterThan(0);
    expect(storedWhenServed).toBeLessThan(2500);
    expect(await Promise.all(appends)).toEqual(Array.from({ length: 2500 }, (_, i) => `e${i}`));
    expect(stores.journal.readAfter(0, 3000).map((e) => e.eventId)).toEqual(
      Array.from({ length: 2500 }, (_, i) => `e${i}`),
    );
  });
});

describe('stopping', () => {
  it('commits every event still waiting for its group before the file closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mimamori-journal-'));
    const file = join(dir, 'hub.sqlite');
    const stores = openStores(file);
    stores.homes.create(homeInput.parse({ id: 'h1', name: 'h1' }), 0);
    stores.devices.create(deviceInput.parse({ id: 'pir-1', homeId: 'h1', kind: 'motion' }), 0);
    const appends = Array.from({ length: 2500 }, (_, i) =>
      stores.journal.append({
        homeId: 'h1',
        deviceId: 'pir-1',
        event: { id: `e${i}`, ts: i, type: 'motion', occupied: true },
        receivedAt: i,
      }),
    );
    await stores.component.stop?.();
    expect((await Promise.all(appends)).every((event) => event !== undefined)).toBe(true);
    const reopened = openStores(file);
    expect(reopened.journal.headSeq()).toBe(2500);
    await reopened.component.stop?.();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a home’s history', () => {
  it('reads an event back as the journal handed it to the rules when it was stored', async () => {
    const stores = openStores(':memory:');
    stores.homes.create(homeInput.parse({ id: 'h1', name: 'h1' }), 0);
    stores.devices.create(deviceInput.parse({ id: 'env-1', homeId: 'h1', kind: 'environment' }), 0);
    let handed: unknown;
    const stored = await stores.journal.append(
      {
        homeId: 'h1',
        deviceId: 'env-1',
        event: { id: 'e1', ts: 5000, type: 'environment', temperatureC: 31.5, humidityPct: 70, battery: 80 },
        receivedAt: 5001,
      },
      (event) => (handed = event),
    );
    expect(handed).toEqual(stored);
    expect([...stores.journal.history('h1', 0, 10_000)]).toEqual([stored]);
    expect(stores.journal.readAfter(0, 10)).toEqual([stored]);
    expect(stored).toEqual({
      seq: 1,
      homeId: 'h1',
      deviceId: 'env-1',
      eventId: 'e1',
      type: 'environment',
      ts: 5000,
      receivedAt: 5001,
      data: { temperatureC: 31.5, humidityPct: 70, battery: 80 },
    });
  });

  it('reads every event from `from` until `to` in (ts, seq) order, across pages and ties, of the types asked for', () => {
    const stores = openStores(':memory:');
    stores.homes.create(homeInput.parse({ id: 'h1', name: 'h1' }), 0);
    stores.homes.create(homeInput.parse({ id: 'h2', name: 'h2' }), 0);
    const insert = stores.db.prepare(
      "INSERT INTO events (home_id, device_id, event_id, type, ts, received_at, data) VALUES (?, 'd', ?, ?, ?, 0, '{}')",
    );
    // Three events at each instant, stored newest first half of the time, so seq and ts disagree;
    // every fifth a door, and the other home's events in between: more than two pages' worth.
    stores.db.transaction(() => {
      for (let i = 0; i < 9_000; i++) {
        const ts = 1_000 + Math.floor((i % 2 === 0 ? i : 9_000 - i) / 3);
        insert.run('h1', `e${i}`, i % 5 === 0 ? 'door' : 'heartbeat', ts);
        insert.run('h2', `f${i}`, 'heartbeat', ts);
      }
    })();
    const expected = stores.db
      .prepare(
        "SELECT seq FROM events WHERE home_id = 'h1' AND type = 'heartbeat' AND ts >= 1100 AND ts < 3900 ORDER BY ts, seq",
      )
      .all()
      .map((r) => (r as { seq: number }).seq);
    const read = [...stores.journal.history('h1', 1_100, 3_900, ['heartbeat'])];
    expect(expected.length).toBeGreaterThan(5_000);
    expect(read.map((e) => e.seq)).toEqual(expected);
    expect([...stores.journal.history('h1', 0, 10_000)]).toHaveLength(9_000);
  });
});
