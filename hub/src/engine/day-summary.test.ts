import { describe, expect, it } from 'vitest';
import { MINUTE, event, jst, motion } from '../testing/rule-fixtures.js';
import type { StoredEvent } from '../store/index.js';
import { learn, usualWake } from './baseline.js';
import { emptyDay, summarizeDays, type DaySummary } from './day-summary.js';

const DAY = 24 * 60 * MINUTE;
/** Moving about every `every` minutes from `at` for `minutes`. */
const about = (at: string | number, minutes: number, every = 5, room = 'living') => {
  const t = typeof at === 'number' ? at : jst(at);
  return Array.from({ length: Math.floor(minutes / every) + 1 }, (_, i) => motion(t + i * every * MINUTE, room));
};
const trip = (at: string) => [motion(at, 'bedroom'), motion(jst(at) + 2 * MINUTE, 'toilet')];
const summarize = (events: StoredEvent[], from: string, until: string, away: { from: number; until: number }[] = []) =>
  summarizeDays(
    [...events].sort((a, b) => a.ts - b.ts),
    'Asia/Tokyo',
    { from: jst(from), until: jst(until), away },
  );

describe('day summaries', () => {
  it('begin the day with the first run of activity that goes on, not with a night trip after 04:00 (18.2)', () => {
    // The 02:00 trip belongs to the night of the day before (a day runs from 04:00).
    const [night, day] = summarize(
      [...trip('2026-11-23 02:00'), ...trip('2026-11-23 05:10'), ...about('2026-11-23 07:30', 60)],
      '2026-11-23 00:00',
      '2026-11-24 04:00',
    );
    expect(night).toMatchObject({ date: '2026-11-22', upAt: null });
    expect(night?.runsByHour[2]).toBe(1);
    expect(day).toMatchObject({ date: '2026-11-23', upAt: 210 });
    expect(day?.runsByHour.slice(0, 8)).toEqual([0, 0, 0, 0, 0, 1, 0, 1]);
  });

  it('keep the longest silence reached in each hour, of silences begun after the resident was up', () => {
    const [day] = summarize(
      [...about('2026-11-23 07:00', 60), ...about('2026-11-23 13:00', 10), ...about('2026-11-23 16:30', 10)],
      '2026-11-23 04:00',
      '2026-11-24 04:00',
    );
    // 08:00 → 13:00: 60 min by 09:00 … 300 min at 13:00; 13:10 → 16:30: 200 min at 16:30.
    expect(day?.silence.slice(7, 17)).toEqual([5, 60, 120, 180, 240, 300, 50, 110, 170, 200]);
    // The night before the day began is not a silence of the day: wake.late judges it.
    expect(day?.silence.slice(4, 7)).toEqual([null, null, null]);
  });

  it('count the resident’s activity and the strays apart, and the time the resident was out', () => {
    const events = [
      ...about('2026-11-23 07:00', 60),
      motion('2026-11-23 12:00', 'closet'),
      event('door', '2026-11-23 14:00', { open: true }),
      event('door', '2026-11-23 17:00', { open: true }),
      ...about('2026-11-23 17:01', 10),
    ];
    const [day] = summarize(events, '2026-11-23 04:00', '2026-11-24 04:00');
    expect(day).toMatchObject({ count: 13 + 2 + 3, strays: 1, outMinutes: 180 });
  });

  it('do not learn a morning the resident was away for', () => {
    const events = [
      ...about('2026-11-22 07:00', 60),
      event('door', '2026-11-22 15:00', { open: true }),
      event('door', '2026-11-23 11:00', { open: true }),
      ...about('2026-11-23 11:01', 60),
    ];
    const days = summarize(events, '2026-11-22 04:00', '2026-11-24 04:00');
    expect(days.map((d) => d.upAt)).toEqual([180, null]);
  });

  it('measure a device’s silences in time the resident was at home, and flag days of a registered absence', () => {
    const events = [
      event('door', '2026-11-23 10:00', { open: true }),
      event('door', '2026-11-23 20:00', { open: true }),
      ...about('2026-11-23 20:01', 10),
      event('door', '2026-11-24 20:00', { open: false }),
      event('heartbeat', '2026-11-24 21:00', {}, 'motion-1'),
    ];
    const away = [{ from: jst('2026-11-24 00:00'), until: jst('2026-11-24 06:00') }];
    const days = summarize(events, '2026-11-23 04:00', '2026-11-25 04:00', away);
    // Its first message ended 6 h of silence since 04:00; the next, 10 h the resident was out (no
    // home time); the last, 24 h of which 6 h were a registered absence. Each opening or closing is activity.
    expect(days[0]?.devices['door-1']).toEqual({ longestGap: 600, longestHomeGap: 360, heartbeats: 0, activity: 2 });
    expect(days[1]?.devices['door-1']).toEqual({ longestGap: 1440, longestHomeGap: 1080, heartbeats: 0, activity: 1 });
    expect(days[1]?.devices['motion-1']?.heartbeats).toBe(1);
    expect(days.map((d) => d.absent)).toEqual([true, true]);
  });
});

describe('baselines', () => {
  const day = (i: number, d: Partial<DaySummary>): DaySummary => ({
    ...emptyDay(new Date(jst('2026-10-01 00:00') + i * DAY).toISOString().slice(0, 10)),
    weekday: i % 7,
    upAt: 200,
    count: 100,
    ...d,
  });

  it('learn the usual silence of each hour as its second-longest day, and how many days it rests on', () => {
    const silence = (n: number) => Object.assign(new Array<number | null>(24).fill(null), { 14: n });
    const b = learn([30, 45, 200, 60, 90].map((n, i) => day(i, { silence: silence(n) })));
    expect(b.silence[14]).toEqual({ usual: 90, days: 5 });
    expect(b.silence[15]).toEqual({ usual: 0, days: 0 });
  });

  it('give a weekday its own usual time only when every one of its days is shifted the same way', () => {
    // Thursdays (weekday 4) the resident goes to day care and is up two hours early.
    const days = Array.from({ length: 28 }, (_, i) => day(i, { upAt: i % 7 === 4 ? 80 : 200 + (i % 3) * 5 }));
    const b = learn(days);
    expect(usualWake(b, 4)?.median).toBe(80);
    expect(usualWake(b, 5)).toBe(b.wake);
    // One early Friday among four is not a pattern.
    const once = learn(days.map((d, i) => (i === 5 ? { ...d, upAt: 60 } : i % 7 === 4 ? { ...d, upAt: 200 } : d)));
    expect(usualWake(once, 5)).toBe(once.wake);
  });

  it('leave out days of a registered absence and days without the resident', () => {
    const b = learn([day(0, { absent: true }), day(1, { count: 0 }), day(2, {})]);
    expect(b.days).toBe(1);
  });
});
