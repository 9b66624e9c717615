import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbsenceRepository,
  DeviceRepository,
  EventJournal,
  HomeRepository,
  openDatabase,
  type Db,
} from '../store/index.js';
import { importHistory } from './import-history.js';

const NOW = Date.parse('2026-11-23T09:00:00+09:00');
async function* linesOf(records: readonly unknown[]) {
  for (const r of records) yield typeof r === 'string' ? r : JSON.stringify(r);
}

const FILE = [
  { home: { id: 'home-1', name: '佐藤さん宅', district: '中央', timezone: 'Asia/Tokyo' } },
  { resident: { id: 'home-1-r1', homeId: 'home-1', name: '佐藤 ハナ' } },
  { device: { id: 'home-1-motion', homeId: 'home-1', kind: 'motion' } },
  {
    absence: {
      homeId: 'home-1',
      reason: 'hospital',
      startsAt: '2026-11-10T10:00:00+09:00',
      endsAt: '2026-11-14T12:00:00+09:00',
    },
  },
  {
    homeId: 'home-1',
    deviceId: 'home-1-motion',
    event: { id: 'm1', ts: '2026-11-20T07:40:00+09:00', type: 'motion', occupied: true },
  },
  {
    homeId: 'home-1',
    deviceId: 'home-1-motion',
    event: { id: 'm2', ts: '2026-11-20T07:41:30+09:00', type: 'motion', occupied: false, battery: 80 },
  },
];

describe('importing a history file', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    dir = mkdtempSync(join(tmpdir(), 'mimamori-import-'));
    db = openDatabase(join(dir, 'mimamori.sqlite'));
    const deps = {
      homes: new HomeRepository(db),
      devices: new DeviceRepository(db),
      absences: new AbsenceRepository(db),
      journal: new EventJournal(db),
      now: NOW,
    };
    return deps;
  };

  it('creates what is missing, stores events at their own time, and changes nothing when imported again', async () => {
    const deps = open();
    expect(await importHistory(linesOf(FILE), deps)).toEqual({
      lines: 6,
      created: { homes: 1, residents: 1, devices: 1, absences: 1 },
      events: 2,
      duplicates: 0,
      rejected: 0,
      problems: [],
    });
    expect(deps.homes.get('home-1')).toMatchObject({ district: '中央' });
    expect(
      [...deps.journal.history('home-1', 0, NOW)].map((e) => [
        e.eventId,
        new Date(e.ts).toISOString(),
        e.receivedAt === e.ts,
      ]),
    ).toEqual([
      ['m1', '2026-11-19T22:40:00.000Z', true],
      ['m2', '2026-11-19T22:41:30.000Z', true],
    ]);
    expect(await importHistory(linesOf(FILE), deps)).toMatchObject({
      created: { homes: 0, residents: 0, devices: 0, absences: 0 },
      events: 0,
      duplicates: 2,
    });
  });

  it('reports every bad line by number and keeps all the good ones', async () => {
    const deps = open();
    const report = await importHistory(
      linesOf([
        ...FILE.slice(0, 3),
        'not json',
        {
          homeId: 'home-1',
          deviceId: 'home-1-motion',
          event: { id: 'm3', ts: '2026-11-20T08:00:00+09:00', type: 'motion' },
        },
        {
          homeId: 'home-1',
          deviceId: 'nobody',
          event: { id: 'm4', ts: '2026-11-20T08:00:00+09:00', type: 'motion', occupied: true },
        },
        {
          homeId: 'home-1',
          deviceId: 'home-1-motion',
          event: { id: 'm5', ts: '2026-12-20T08:00:00+09:00', type: 'motion', occupied: true },
        },
        { device: { id: 'd2', homeId: 'elsewhere', kind: 'door' } },
        {
          absence: {
            homeId: 'home-1',
            reason: 'trip',
            startsAt: '2026-11-10T10:00:00+09:00',
            endsAt: '2026-11-09T10:00:00+09:00',
          },
        },
        '',
        { something: 'else' },
        FILE[4],
      ]),
      deps,
    );
    expect(report).toMatchObject({ lines: 12, events: 1, rejected: 7 });
    expect(report.problems).toEqual([
      { line: 4, message: 'not JSON' },
      { line: 5, message: 'event.occupied: Invalid input: expected boolean, received undefined' },
      { line: 6, message: 'device nobody is not registered in home home-1' },
      { line: 7, message: 'event m5 is stamped in the future' },
      { line: 8, message: 'home elsewhere does not exist (list it before its devices)' },
      { line: 9, message: 'absence.endsAt: endsAt must be after startsAt' },
      { line: 11, message: expect.stringContaining('not a history record') },
    ]);
  });
});
