import { historyLine, type HistoryLine } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-args.js';
import { parseHistoryArgs } from './history-cli.js';
import { historyLines, storyOf } from './history.js';

const END = Date.parse('2026-11-23T00:00:00+09:00');
const DAY = 86_400_000;
const lines = (options: Partial<Parameters<typeof historyLines>[0]> = {}) => [
  ...historyLines({ seed: 1, homes: 5, days: 20, end: END, ...options }),
];
const eventsOf = (all: HistoryLine[], homeId: string) =>
  all.flatMap((l) =>
    'event' in l && l.homeId === homeId
      ? [{ deviceId: l.deviceId, ...l.event, at: Date.parse(String(l.event.ts)) }]
      : [],
  );

describe('generated history', () => {
  const all = lines();

  it('is valid for the hub’s import, line by line, and the same for the same options', () => {
    expect(all.filter((l) => !historyLine.safeParse(l).success)).toEqual([]);
    expect(JSON.stringify(lines())).toBe(JSON.stringify(all));
    const ids = all.flatMap((l) => ('event' in l ? [`${l.deviceId}/${l.event.id}`] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists each home, resident and device before its events, and covers exactly the days before the end', () => {
    const first = all.findIndex((l) => 'event' in l && l.homeId === 'sim-1-001');
    expect(all.slice(0, first).map((l) => Object.keys(l)[0])).toEqual([
      'home',
      'resident',
      'device',
      'device',
      'device',
      'device',
      'device',
      'device',
    ]);
    const times = eventsOf(all, 'sim-1-001').map((e) => e.at);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(END - 20 * DAY);
    expect(Math.max(...times)).toBeLessThan(END);
  });

  it('mixes in the stories: a registered hospital stay with nobody moving, a heat wave, a dead sensor', () => {
    expect([0, 1, 2, 3, 4].map(storyOf)).toEqual(['ordinary', 'hospital', 'late mornings', 'heat wave', 'dead sensor']);
    const absence = all.find((l) => 'absence' in l);
    expect(absence).toMatchObject({ absence: { homeId: 'sim-1-002', reason: 'hospital' } });
    const [from, to] =
      absence && 'absence' in absence
        ? [Date.parse(absence.absence.startsAt), Date.parse(absence.absence.endsAt)]
        : [0, 0];
    const during = eventsOf(all, 'sim-1-002').filter((e) => e.at >= from && e.at < to);
    expect(during.some((e) => e.type === 'environment')).toBe(true);
    expect(during.filter((e) => e.type === 'motion' || e.type === 'door' || e.type === 'checkin')).toEqual([]);
    expect(eventsOf(all, 'sim-1-004').some((e) => e.type === 'environment' && (e.temperatureC ?? 0) >= 31)).toBe(true);
    const motion = eventsOf(all, 'sim-1-005').filter((e) => e.deviceId.endsWith('motion-living'));
    expect(Math.max(...motion.map((e) => e.at))).toBeLessThan(END - 8 * DAY);
  });

  it('stops all activity of the fallen resident from the moment of the fall, leaving standby power', () => {
    const { options } = parseHistoryArgs(
      ['--days', '20', '--homes', '5', '--end', '2026-11-23', '--fall', '1:15@10:00'],
      0,
    );
    expect(new Date(options.fall?.at ?? 0).toISOString()).toBe('2026-11-17T01:00:00.000Z');
    const after = eventsOf([...historyLines(options)], 'sim-1-001').filter((e) => e.at >= (options.fall?.at ?? 0));
    expect(after.filter((e) => ['motion', 'door', 'checkin'].includes(e.type))).toEqual([]);
    expect(after.filter((e) => e.type === 'power').every((e) => (e.watts ?? 0) <= 110)).toBe(true);
    expect(after.some((e) => e.type === 'heartbeat')).toBe(true);
  });

  it.each([
    [['--homes', '5'], /--days/],
    [['--days', '0', '--homes', '5'], /--days/],
    [['--days', '30', '--homes', '5', '--fall', '9:1@10:00'], /--fall: home 9/],
    [['--days', '30', '--homes', '5', '--fall', 'tomorrow'], /--fall: must look like/],
    [['--days', '30', '--homes', '5', '--end', '23.11.2026'], /--end: must be a date/],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseHistoryArgs(argv, 0)).toThrow(UsageError);
    expect(() => parseHistoryArgs(argv, 0)).toThrow(message);
  });
});
