import { historyLine, type HistoryLine } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-args.js';
import { parseHistoryArgs } from './history-cli.js';
import { historyLines, homeHistory, type HistoryOptions } from './history.js';
import { TV_AUTO_OFF_MS, type IncidentKind } from './incidents.js';

const END = Date.parse('2026-11-23T00:00:00+09:00');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const OPTIONS: HistoryOptions = { seed: 1, homes: 5, days: 20, end: END };
const lines = (options: Partial<HistoryOptions> = {}) => [...historyLines({ ...OPTIONS, ...options })];
const eventsOf = (all: readonly HistoryLine[], homeId?: string) =>
  all.flatMap((l) =>
    'event' in l && (homeId === undefined || l.homeId === homeId)
      ? [{ deviceId: l.deviceId, ...l.event, at: Date.parse(String(l.event.ts)) }]
      : [],
  );
/** Home 2 (index 1) of seed 1 with one incident on day 12; its lines, truth and events. */
const withIncident = (kind: IncidentKind, options: Partial<HistoryOptions> = {}) => {
  const home = homeHistory({ ...OPTIONS, layout: 'per-room', incidents: [{ home: 2, kind, day: 12 }], ...options }, 1);
  const [truth] = home.truth.filter((t) => t.injected);
  if (!truth) throw new Error('the incident was not recorded');
  return { ...home, truth, events: eventsOf(home.lines) };
};
const isResident = (e: { type: string }) => e.type === 'door' || e.type === 'checkin';

describe('generated history', () => {
  const all = lines();

  it('is valid for the hub’s import, line by line, and the same for the same options', () => {
    expect(all.filter((l) => !historyLine.safeParse(l).success)).toEqual([]);
    expect(JSON.stringify(lines())).toBe(JSON.stringify(all));
    const ids = all.flatMap((l) => ('event' in l ? [`${l.deviceId}/${l.event.id}`] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists each home, resident and device before its events, and covers exactly the days before the end', () => {
    for (let index = 0; index < OPTIONS.homes; index++) {
      const { spec, lines: own } = homeHistory(OPTIONS, index);
      const first = own.findIndex((l) => 'event' in l);
      expect(own.slice(0, 2 + spec.devices.length).map((l) => Object.keys(l)[0])).toEqual([
        'home',
        'resident',
        ...spec.devices.map(() => 'device'),
      ]);
      expect(own.slice(2 + spec.devices.length, first).every((l) => 'absence' in l)).toBe(true);
      const times = eventsOf(own).map((e) => e.at);
      expect(Math.min(...times)).toBeGreaterThanOrEqual(END - 20 * DAY);
      expect(Math.max(...times)).toBeLessThan(END);
    }
  });

  it('gives per-room homes a sensor in each room; the story of a home is in no line the hub sees', () => {
    const perRoom = homeHistory({ ...OPTIONS, layout: 'per-room' }, 0);
    const rooms = new Set(eventsOf(perRoom.lines).flatMap((e) => (e.type === 'motion' ? [e.room] : [])));
    expect([...rooms]).toEqual(expect.arrayContaining(['bedroom', 'living', 'kitchen', 'toilet']));
    // With or without an incident, the home, its resident and its devices are described alike.
    const described = (own: HistoryLine[]) => own.filter((l) => 'home' in l || 'resident' in l || 'device' in l);
    expect(described(withIncident('fall').lines)).toEqual(
      described(homeHistory({ ...OPTIONS, layout: 'per-room' }, 1).lines),
    );
  });

  it('stops the fallen resident at the moment of the fall: no door or check-in, only standby and lights once the TV is off', () => {
    const { truth, events } = withIncident('fall');
    expect(truth).toMatchObject({ homeId: 'sim-1-002', kind: 'fall', injected: true, endsAt: null });
    const after = events.filter((e) => e.at >= truth.startsAt);
    expect(after.filter(isResident)).toEqual([]);
    const watts = (from: number) => after.flatMap((e) => (e.type === 'power' && e.at >= from ? [e.watts ?? 0] : []));
    expect(Math.max(...watts(truth.startsAt + TV_AUTO_OFF_MS))).toBeLessThan(200);
    expect(after.some((e) => e.type === 'heartbeat')).toBe(true);
  });

  it('lets a resident leave through the door and not come back, or come back days later', () => {
    const vanished = withIncident('vanish');
    const door = vanished.events.filter((e) => e.type === 'door' && e.at >= vanished.truth.startsAt);
    expect(door.map((e) => e.type === 'door' && e.open)).toEqual([true, false]);
    expect(door[0]?.at).toBe(vanished.truth.startsAt);

    const away = withIncident('long absence');
    const { startsAt, endsAt } = away.truth;
    expect((endsAt ?? 0) - startsAt).toBeGreaterThan(2.5 * DAY);
    expect((endsAt ?? 0) - startsAt).toBeLessThan(5 * DAY);
    const doors = away.events.filter((e) => e.type === 'door' && e.at >= startsAt && e.at <= (endsAt ?? 0));
    expect(doors.map((e) => e.type === 'door' && e.open)).toEqual([true, false, true]);
    expect(away.events.some((e) => e.type === 'motion' && e.room === 'kitchen' && e.at > (endsAt ?? 0))).toBe(true);
  });

  it('does not get the resident up on the morning they do not wake, and silences a sensor that dies', () => {
    const asleep = withIncident('no wake');
    expect(asleep.events.filter((e) => isResident(e) && e.at >= asleep.truth.startsAt)).toEqual([]);
    const hour = (asleep.truth.startsAt - (END - 8 * DAY)) / HOUR;
    expect(hour).toBeGreaterThan(5);
    expect(hour).toBeLessThan(12);

    const dead = withIncident('dead sensor');
    const { deviceId, startsAt } = dead.truth;
    expect(dead.events.filter((e) => e.deviceId === deviceId && e.at >= startsAt)).toEqual([]);
    expect(dead.events.filter((e) => e.deviceId === deviceId && e.at < startsAt).length).toBeGreaterThan(0);
  });

  it('spares a device when asked: the same home and life, with that sensor working and no death recorded', () => {
    const dead = withIncident('dead sensor');
    const spared = homeHistory(
      {
        ...OPTIONS,
        layout: 'per-room',
        incidents: [{ home: 2, kind: 'dead sensor', day: 12 }],
        sparedDevices: [dead.truth.deviceId ?? ''],
      },
      1,
    );
    expect(spared.truth.filter((t) => t.deviceId === dead.truth.deviceId)).toEqual([]);
    const events = eventsOf(spared.lines);
    const key = (e: { deviceId: string; ts: unknown }) => `${e.deviceId} ${String(e.ts)}`;
    // Every event of the home as it was, and the sensor's own after its death on top.
    expect(events.filter((e) => e.deviceId !== dead.truth.deviceId || e.at < dead.truth.startsAt).map(key)).toEqual(
      dead.events.map(key),
    );
    expect(events.some((e) => e.deviceId === dead.truth.deviceId && e.at >= dead.truth.startsAt)).toBe(true);
  });

  it('keeps its --fall option: the resident falls in that home at that minute', () => {
    const { options } = parseHistoryArgs(
      ['--days', '20', '--homes', '5', '--end', '2026-11-23', '--fall', '2:15@10:00'],
      0,
    );
    expect(new Date(options.fall?.at ?? 0).toISOString()).toBe('2026-11-17T01:00:00.000Z');
    expect(homeHistory(options, 1).truth.filter((t) => t.injected)).toEqual([
      { homeId: 'sim-1-002', kind: 'fall', injected: true, startsAt: options.fall?.at, endsAt: null, atNight: false },
    ]);
  });

  it.each([
    [['--homes', '5'], /--days/],
    [['--days', '0', '--homes', '5'], /--days/],
    [['--days', '30', '--homes', '5', '--fall', '9:1@10:00'], /--fall: home 9/],
    [['--days', '30', '--homes', '5', '--fall', 'tomorrow'], /--fall: must look like/],
    [['--days', '30', '--homes', '5', '--end', '23.11.2026'], /--end: must be a date/],
    [['--days', '30', '--homes', '5', '--layout', 'attic'], /--layout/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseHistoryArgs(argv, 0)).toThrow(UsageError);
    expect(() => parseHistoryArgs(argv, 0)).toThrow(message);
  });
});
