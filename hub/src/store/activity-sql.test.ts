import { EVENT_TYPES, isActivity, type DeviceEvent } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { activityCondition } from './activity-sql.js';

/** One event of every type, and the readings on either side of each threshold. */
const SAMPLES: DeviceEvent[] = [
  { id: 'm1', ts: 1, type: 'motion', occupied: true, room: 'living' },
  { id: 'm2', ts: 1, type: 'motion', occupied: false },
  { id: 'd1', ts: 1, type: 'door', open: true },
  { id: 'd2', ts: 1, type: 'door', open: false, name: 'entrance' },
  { id: 'e1', ts: 1, type: 'environment', temperatureC: 31 },
  { id: 'p0', ts: 1, type: 'power', watts: 0 },
  { id: 'p1', ts: 1, type: 'power', watts: 199.5 },
  { id: 'p2', ts: 1, type: 'power', watts: 200 },
  { id: 'p3', ts: 1, type: 'power', watts: 3000 },
  { id: 'c1', ts: 1, type: 'checkin', answer: 'fine', via: 'button' },
  { id: 's1', ts: 1, type: 'sos', via: 'button' },
  { id: 'h1', ts: 1, type: 'heartbeat', battery: 80 },
];

describe('activityCondition', () => {
  it('covers every event type in the samples', () => {
    expect(new Set(SAMPLES.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
  });

  for (const options of [{}, { powerWatts: 200 }, { powerWatts: 1 }]) {
    it(`selects exactly the events isActivity counts (${JSON.stringify(options)})`, () => {
      const db = openDatabase(':memory:');
      const insert = db.prepare(
        'INSERT INTO events (home_id, device_id, event_id, type, ts, received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const { id, ts, type, ...data } of SAMPLES) insert.run('h', 'd', id, type, ts, ts, JSON.stringify(data));
      const condition = activityCondition(options);
      const selected = db
        .prepare(`SELECT event_id FROM events WHERE ${condition.sql} ORDER BY seq`)
        .pluck()
        .all(...condition.params);
      const counted = SAMPLES.filter(({ type, ...data }) => isActivity({ type, data }, options));
      const expected = counted.map((e) => e.id);
      expect(selected).toEqual(expected);
    });
  }

  it('does not count a 0 W reading as activity at the default threshold (the drift issue 17 found)', () => {
    const condition = activityCondition({ powerWatts: 200 });
    const db = openDatabase(':memory:');
    db.prepare(
      "INSERT INTO events (home_id, device_id, event_id, type, ts, received_at, data) VALUES ('h', 'p', 'x', 'power', 1, 1, '{\"watts\":0}')",
    ).run();
    expect(
      db
        .prepare(`SELECT COUNT(*) FROM events WHERE ${condition.sql}`)
        .pluck()
        .get(...condition.params),
    ).toBe(0);
  });
});
