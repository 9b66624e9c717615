import { describe, expect, it } from 'vitest';
import { MINUTE, asJst, baselineOf, decide, event, home, jst, motion } from '../../testing/rule-fixtures.js';

/** 20 days of a resident usually up at 07:40 (220 min after 04:00), give or take a few minutes. */
const usual = baselineOf(20, (i) => ({ upAt: 220 + ((i % 5) - 2) * 4, count: 100 + (i % 3) * 5 }));
const learnedHome = home({ baseline: usual });

/** The resident's morning: moving about every few minutes for three quarters of an hour from `at`. */
const morning = (at: string) => {
  const t = jst(at);
  return Array.from({ length: 10 }, (_, i) => motion(t + i * 5 * MINUTE, i % 2 ? 'kitchen' : 'living'));
};
/** A night-time trip to the toilet: bedroom, toilet, back to bed within a few minutes. */
const trip = (at: string) => [
  motion(at, 'bedroom'),
  motion(jst(at) + 2 * MINUTE, 'toilet'),
  motion(jst(at) + 5 * MINUTE, 'bedroom'),
];

describe('wake.late rule', () => {
  it('explains itself against the resident’s own usual start of the day, and clears once their day begins', () => {
    expect(
      decide('wake.late', {
        home: learnedHome,
        events: morning('2026-11-23 10:50'),
        from: '2026-11-22 12:00',
        to: '2026-11-23 12:00',
      }),
    ).toEqual([
      {
        at: '2026-11-23 10:40',
        kind: 'raise',
        severity: 'warning',
        ja: 'いつもは07:40頃に一日の活動が始まりますが、10:40になってもまだ始まっていません。',
        en: 'Usually up and about by 07:40; not up by 10:40.',
      },
      { at: '2026-11-23 11:20', kind: 'clear', ja: '10:50から活動が始まりました。' },
    ]);
  });

  it('waits k spreads when the resident’s mornings vary a lot', () => {
    const varied = home({ baseline: baselineOf(20, (i) => ({ upAt: 180 + (i % 5) * 60 })) });
    // median 300 (09:00), MAD 60 → spread 89 min, 3 spreads ≈ 267 min → 13:26.
    expect(
      decide('wake.late', { home: varied, events: [], from: '2026-11-22 12:00', to: '2026-11-23 16:00' }),
    ).toMatchObject([{ at: '2026-11-23 13:26', kind: 'raise', ja: expect.stringContaining('いつもは09:00頃') }]);
  });

  it('says nothing when the resident is up in time, or while it is still learning', () => {
    expect(
      decide('wake.late', {
        home: learnedHome,
        events: morning('2026-11-23 09:00'),
        from: '2026-11-22 12:00',
        to: '2026-11-23 23:00',
      }),
    ).toEqual([]);
    const learning = home({ baseline: baselineOf(13, () => ({})) });
    expect(
      decide('wake.late', { home: learning, events: [], from: '2026-11-22 12:00', to: '2026-11-23 23:00' }),
    ).toEqual([]);
  });

  it('does not judge the day it started watching on, as it cannot know what happened earlier', () => {
    expect(
      decide('wake.late', { home: learnedHome, events: [], from: '2026-11-23 06:00', to: '2026-11-23 23:00' }),
    ).toEqual([]);
  });

  it('does not take a night trip to the toilet after 04:00 for the day beginning (18.2)', () => {
    expect(
      decide('wake.late', {
        home: learnedHome,
        events: trip('2026-11-23 05:30'),
        from: '2026-11-22 12:00',
        to: '2026-11-23 11:00',
      }),
    ).toMatchObject([{ at: '2026-11-23 10:40', kind: 'raise' }]);
  });

  it('waits while the resident is moving at the time, until it shows whether their day is beginning', () => {
    const events = [motion('2026-11-23 10:30'), motion('2026-11-23 10:35'), ...morning('2026-11-23 10:55')];
    expect(
      decide('wake.late', { home: learnedHome, events, from: '2026-11-22 12:00', to: '2026-11-23 12:00' }),
    ).toEqual([]);
  });

  it('does not judge a morning the resident spent away: out since the evening, or back at noon (18.5)', () => {
    const events = [
      ...morning('2026-11-22 17:00'),
      event('door', '2026-11-22 18:00', { open: true }),
      event('door', '2026-11-22 18:01', { open: false }),
      event('door', '2026-11-23 12:00', { open: true }),
      ...morning('2026-11-23 12:01'),
    ];
    expect(
      decide('wake.late', { home: learnedHome, events, from: '2026-11-22 12:00', to: '2026-11-23 23:00' }),
    ).toEqual([]);
  });

  it('takes going out for the day begun: back home and sitting still, the resident is not late again that day', () => {
    // Up past the usual time (a late alert, cleared by leaving), then home for the afternoon with
    // only a trigger or two, as a home whose only motion sensor died sees it.
    const events = [
      event('door', '2026-11-23 11:00', { open: true }),
      event('door', '2026-11-23 11:01', { open: false }),
      event('door', '2026-11-23 14:00', { open: true }),
      event('door', '2026-11-23 14:01', { open: false }),
      motion('2026-11-23 14:03', 'living'),
    ];
    expect(
      decide('wake.late', { home: learnedHome, events, from: '2026-11-22 12:00', to: '2026-11-24 03:59' }),
    ).toMatchObject([
      { at: '2026-11-23 10:40', kind: 'raise' },
      { at: '2026-11-23 11:21', kind: 'clear', ja: '11:01から活動が始まりました。' },
    ]);
  });
});

describe('the learned rules and a dead sensor (issue 18: one incident per dead sensor)', () => {
  // The motion sensor checked in hourly for four weeks; the power meter reports every 15 minutes.
  const checksIn = home({
    baseline: baselineOf(20, (i) => ({
      upAt: 220 + ((i % 5) - 2) * 4,
      devices: { 'motion-1': { longestGap: 70, longestHomeGap: 70, heartbeats: 24, activity: 100 } },
    })),
  });
  const everyQuarter = (from: string, hours: number, type: 'heartbeat' | 'power', deviceId: string) =>
    Array.from({ length: hours * 4 }, (_, i) =>
      type === 'power'
        ? event('power', jst(from) + i * 15 * MINUTE, { watts: 3 }, deviceId)
        : event('heartbeat', jst(from) + i * 15 * MINUTE, {}, deviceId),
    );
  const byTime = <T extends { ts: number }>(events: T[]) => [...events].sort((a, b) => a.ts - b.ts);

  it('wake.late: a morning with no sign of the resident from a sensor that still checks in is late', () => {
    const events = byTime([
      ...everyQuarter('2026-11-22 18:00', 17, 'heartbeat', 'motion-1'),
      ...everyQuarter('2026-11-22 18:00', 17, 'power', 'power-1'),
    ]);
    expect(
      decide('wake.late', { home: checksIn, events, from: '2026-11-22 12:00', to: '2026-11-23 11:00' }),
    ).toMatchObject([{ at: '2026-11-23 10:40', kind: 'raise' }]);
  });

  it('wake.late: the same morning, the sensor silent since the night, says nothing: device.offline tells of it', () => {
    const events = byTime([
      ...everyQuarter('2026-11-22 18:00', 5, 'heartbeat', 'motion-1'),
      ...everyQuarter('2026-11-22 18:00', 17, 'power', 'power-1'),
    ]);
    expect(decide('wake.late', { home: checksIn, events, from: '2026-11-22 12:00', to: '2026-11-23 11:00' })).toEqual(
      [],
    );
  });
});

describe('activity.drop rule', () => {
  const day = (date: string, n: number) =>
    Array.from({ length: n }, (_, i) =>
      motion(`${date} ${String(8 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}`),
    );

  it('judges a whole day once it is over: a quiet day below 40% of the usual median is reported the next morning at 04:00', () => {
    const events = [...day('2026-11-22', 60), ...day('2026-11-23', 30), ...day('2026-11-24', 60)];
    expect(
      decide('activity.drop', { home: learnedHome, events, from: '2026-11-22 03:00', to: '2026-11-25 05:00' }),
    ).toEqual([
      {
        at: '2026-11-24 04:00',
        kind: 'raise',
        severity: 'info',
        ja: '前日の活動は30回で、いつも（1日105回ほど）の40%を下回りました。',
        en: 'Activity the day before: 30 events, below 40% of the usual 105 a day.',
      },
      { at: '2026-11-25 04:00', kind: 'clear', ja: '活動量がいつもの水準に戻りました。' },
    ]);
  });

  it('does not judge the partial first day it watched', () => {
    expect(
      decide('activity.drop', {
        home: learnedHome,
        events: day('2026-11-22', 5),
        from: '2026-11-22 15:00',
        to: '2026-11-23 05:00',
      }),
    ).toEqual([]);
  });
});

describe('night.activity rule', () => {
  // Night hours 23–05: two or three trips a night.
  const quietNights = home({
    baseline: baselineOf(20, (i) => ({ runsByHour: [i % 2, 1, 0, 0, 0, ...new Array<number>(18).fill(5), 1] })),
  });
  const trips = (n: number) =>
    Array.from({ length: n }, (_, i) => trip(asJst(jst('2026-11-23 23:00') + i * 40 * MINUTE))).flat();

  it('fires during the night, once, when the times up pass the usual number by far', () => {
    expect(
      decide('night.activity', {
        home: quietNights,
        events: trips(8),
        from: '2026-11-23 22:00',
        to: '2026-11-24 06:00',
      }),
    ).toEqual([
      {
        at: '2026-11-24 03:00',
        kind: 'raise',
        severity: 'warning',
        ja: '夜間（23時〜5時）に7回起きて動いています（いつもは3回ほど）。',
        en: 'Up 7 times at night (23:00–5:00); usually about 3.',
      },
    ]);
  });

  it('counts a trip once however many sensors see it, and ignores strays and the day', () => {
    const events = [
      ...trips(3),
      ...Array.from({ length: 6 }, (_, i) => motion(jst('2026-11-24 03:30') + i * 45 * MINUTE, 'closet')),
      ...Array.from({ length: 20 }, (_, i) => motion(jst('2026-11-24 10:00') + i * 10 * MINUTE)),
    ];
    expect(
      decide('night.activity', { home: quietNights, events, from: '2026-11-23 22:00', to: '2026-11-24 20:00' }),
    ).toEqual([]);
  });
});
