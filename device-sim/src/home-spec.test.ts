import { ID_PATTERN, deviceKind } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { batteryLevel } from './battery.js';
import { describeHome } from './home-spec.js';
import { DAY_MS } from './jst.js';

describe('simulated home description', () => {
  it('derives ids from the seed and the home number, so a second run finds the same records', () => {
    const home = describeHome(7, 0);
    expect(home.homeId).toBe('sim-7-001');
    expect(home.persona.residentId).toBe('sim-7-001-r1');
    expect(home.devices.map((d) => [d.id, d.kind])).toEqual([
      ['sim-7-001-speaker', 'speaker'],
      ['sim-7-001-motion-living', 'motion'],
      ['sim-7-001-door-entrance', 'door'],
      ['sim-7-001-env-living', 'environment'],
      ['sim-7-001-power-main', 'power'],
      ['sim-7-001-sos', 'sos_button'],
    ]);
    expect(describeHome(7, 41).homeId).toBe('sim-7-042');
    expect(describeHome(7, 0)).toEqual(home);
  });

  it('gives valid ids and kinds even for the largest seed and home number', () => {
    const home = describeHome(999_999_999, 999);
    for (const id of [home.homeId, home.persona.residentId, ...home.devices.map((d) => d.id)])
      expect(id).toMatch(ID_PATTERN);
    for (const device of home.devices) expect(deviceKind.safeParse(device.kind).success).toBe(true);
  });

  it('names homes and residents in Japanese, with a 丁目 address, differently per home', () => {
    const homes = Array.from({ length: 20 }, (_, i) => describeHome(1, i));
    for (const home of homes) {
      expect(home.persona.name).toMatch(/^\S+ \S+$/);
      expect(home.name).toBe(`${home.persona.name.split(' ')[0]}さん宅`);
      expect(home.address).toMatch(/丁目\d+-\d+$/);
      expect(home.timezone).toBe('Asia/Tokyo');
    }
    expect(new Set(homes.map((h) => h.persona.name)).size).toBeGreaterThan(10);
  });

  it('gives a per-room home a sensor in each lived-in room, some a 脱衣所 and a 納戸; only some check in', () => {
    const homes = Array.from({ length: 40 }, (_, i) => describeHome(1, i, undefined, 'per-room'));
    for (const home of homes) {
      const rooms = home.devices.filter((d) => d.role === 'motion').map((d) => d.room);
      expect(rooms.slice(0, 4)).toEqual(['living', 'bedroom', 'kitchen', 'toilet']);
      expect(home.devices.map((d) => d.id)).toContain(`${home.homeId}-motion-toilet`);
      expect(Object.keys(home.coverage).sort()).toEqual([...rooms].sort());
      expect(home.devices.find((d) => d.role === 'sos')?.heartbeatEveryMs).toBe(3_600_000);
    }
    const rooms = homes.flatMap((h) => h.devices.map((d) => d.room));
    expect(rooms).toContain('closet');
    expect(rooms).toContain('bathroom');
    const checkIn = homes.filter((h) => h.devices.find((d) => d.role === 'door')?.heartbeatEveryMs !== undefined);
    expect(checkIn.length).toBeGreaterThan(5);
    expect(checkIn.length).toBeLessThan(35);
    // The open-plan home of the same seed and number is the live simulator's, whatever its per-room twin has.
    expect(describeHome(1, 0).devices.map((d) => d.id)).toHaveLength(6);
    expect(describeHome(1, 0).persona).toEqual(homes[0]?.persona);
  });

  it('gives batteries only to the battery-powered sensors, and drains them slowly', () => {
    const home = describeHome(1, 0);
    const powered = home.devices.filter((d) => d.battery).map((d) => d.role);
    expect(powered).toEqual(['motion', 'door', 'environment', 'sos']);
    const battery = { startPct: 80.4, drainPctPerDay: 1 };
    expect(batteryLevel(battery, 0)).toBe(80);
    expect(batteryLevel(battery, 10 * DAY_MS)).toBe(70);
    expect(batteryLevel(battery, 1000 * DAY_MS)).toBe(0);
  });
});
