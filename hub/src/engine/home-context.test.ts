import { deviceInput, homeInput, residentInput } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import {
  AbsenceRepository,
  BaselineRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  HubStateRepository,
  openDatabase,
} from '../store/index.js';
import { learn } from './baseline.js';
import { HomeContexts } from './home-context.js';

const HOUR = 3_600_000;

function setUp() {
  const db = openDatabase(':memory:');
  const homes = new HomeRepository(db);
  const devices = new DeviceRepository(db);
  const absences = new AbsenceRepository(db);
  const baselines = new BaselineRepository(db);
  const state = new HubStateRepository(db);
  const now = Date.parse('2026-11-23T09:00:00+09:00');
  homes.create(homeInput.parse({ id: 'h1', name: '佐藤さん宅' }), now);
  devices.create(deviceInput.parse({ id: 'h1-motion', homeId: 'h1', kind: 'motion' }), now);
  return {
    db,
    homes,
    devices,
    absences,
    baselines,
    state,
    now,
    contexts: new HomeContexts({ homes, devices, baselines, absences, state }),
  };
}

describe('HomeContexts', () => {
  it('keeps a home’s facts until something the engine reads about it changes, whoever changed it', () => {
    const { homes, devices, absences, baselines, state, now, contexts } = setUp();
    expect(contexts.get('h1', now)).toMatchObject({
      homeId: 'h1',
      residentId: undefined,
      devices: [{ id: 'h1-motion', kind: 'motion' }],
      absent: false,
      baseline: undefined,
    });

    homes.addResident('h1', residentInput.parse({ id: 'h1-r1', name: '佐藤 ハナ' }), now);
    expect(contexts.get('h1', now)?.residentId).toBe('h1-r1');
    devices.create(deviceInput.parse({ id: 'h1-door', homeId: 'h1', kind: 'door' }), now);
    expect(contexts.get('h1', now)?.devices.map((d) => d.id)).toEqual(['h1-door', 'h1-motion']);
    baselines.put('h1', learn([]), now);
    expect(contexts.get('h1', now)?.baseline).toMatchObject({ days: 0 });
    // A baseline of an older shape is not read (the baseline job relearns it at start-up).
    baselines.put('h1', [{ firstActivityMinute: 420 }], now);
    expect(contexts.get('h1', now)?.baseline).toBeUndefined();

    absences.create(
      'h1',
      {
        reason: 'hospital',
        startsAt: new Date(now + HOUR).toISOString(),
        endsAt: new Date(now + 3 * HOUR).toISOString(),
      },
      'staff',
      now,
    );
    expect(contexts.get('h1', now)?.absent).toBe(false);
    // The same cached facts answer for later times: the absence begins and ends without another read.
    expect(contexts.get('h1', now + 2 * HOUR)?.absent).toBe(true);
    expect(contexts.get('h1', now + 4 * HOUR)?.absent).toBe(false);

    homes.delete('h1');
    expect(contexts.get('h1', now)).toBeUndefined();
    expect(state.registryVersion()).toBeGreaterThan(0);
  });

  it('is not invalidated by what every event writes (a device seen, its battery)', async () => {
    const { db, state, now, contexts } = setUp();
    contexts.get('h1', now);
    const before = state.registryVersion();
    await new EventJournal(db).append({
      homeId: 'h1',
      deviceId: 'h1-motion',
      event: { id: 'e1', ts: now, type: 'motion', occupied: true, room: 'living', battery: 80 },
      receivedAt: now,
    });
    expect(state.registryVersion()).toBe(before);
  });
});
