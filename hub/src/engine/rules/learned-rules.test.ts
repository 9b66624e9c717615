import { describe, expect, it } from 'vitest';
import { baselineOf, decide, home, motion } from '../../testing/rule-fixtures.js';

/** 20 days of a resident usually up at 07:40 (220 min after 04:00), give or take a few minutes. */
const usual = baselineOf(20, (i) => ({ firstActivity: 220 + ((i % 5) - 2) * 4, count: 100 + (i % 3) * 5 }));
const learnedHome = home({ baseline: usual });

describe('wake.late rule', () => {
  it('explains itself against the resident’s own usual time, and clears on the first movement', () => {
    const events = [motion('2026-11-23 10:25')];
    expect(
      decide('wake.late', { home: learnedHome, events, from: '2026-11-22 12:00', to: '2026-11-23 12:00' }),
    ).toEqual([
      {
        at: '2026-11-23 08:40',
        kind: 'raise',
        severity: 'warning',
        ja: 'いつもは07:40頃に活動がありますが、08:40になっても活動がありません。',
        en: 'Usually up and about by 07:40; no activity by 08:40.',
      },
      { at: '2026-11-23 10:25', kind: 'clear', ja: '10:25に動きがありました。' },
    ]);
  });

  it('waits k spreads when the resident’s mornings vary a lot', () => {
    const varied = home({ baseline: baselineOf(20, (i) => ({ firstActivity: 180 + (i % 5) * 30 })) });
    // median 240 (08:00), MAD 30 → spread 44.5 min, 3 spreads ≈ 133 min → 10:13.
    expect(
      decide('wake.late', { home: varied, events: [], from: '2026-11-22 12:00', to: '2026-11-23 12:00' }),
    ).toMatchObject([{ at: '2026-11-23 10:13', kind: 'raise', ja: expect.stringContaining('いつもは08:00頃') }]);
  });

  it('says nothing when the resident is up in time, or while it is still learning', () => {
    expect(
      decide('wake.late', {
        home: learnedHome,
        events: [motion('2026-11-23 07:50')],
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

  it('does not count a night-time trip before 04:00 as getting up', () => {
    expect(
      decide('wake.late', {
        home: learnedHome,
        events: [motion('2026-11-23 02:30')],
        from: '2026-11-22 12:00',
        to: '2026-11-23 09:00',
      }),
    ).toMatchObject([{ at: '2026-11-23 08:40', kind: 'raise' }]);
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
  const quietNights = home({
    baseline: baselineOf(20, (i) => ({ hourly: [i % 2, 1, 0, 0, 0, ...new Array<number>(18).fill(5), 1] })),
  });

  it('fires during the night, once, when movement passes the usual night count by far', () => {
    const events = Array.from({ length: 12 }, (_, i) =>
      motion(`2026-11-24 0${1 + Math.floor(i / 4)}:${String((i % 4) * 10).padStart(2, '0')}`),
    );
    expect(
      decide('night.activity', { home: quietNights, events, from: '2026-11-23 22:00', to: '2026-11-24 06:00' }),
    ).toEqual([
      {
        at: '2026-11-24 02:30',
        kind: 'raise',
        severity: 'warning',
        ja: '夜間（23時〜5時）に8回の動きがありました（いつもは3回ほど）。',
        en: '8 movements at night (23:00–5:00); usually about 3.',
      },
    ]);
  });

  it('ignores a usual night and daytime movement', () => {
    const events = [
      motion('2026-11-24 01:00'),
      motion('2026-11-24 03:00'),
      ...Array.from({ length: 20 }, (_, i) =>
        motion(`2026-11-24 1${Math.floor(i / 6)}:${String((i % 6) * 10).padStart(2, '0')}`),
      ),
    ];
    expect(
      decide('night.activity', { home: quietNights, events, from: '2026-11-23 22:00', to: '2026-11-24 20:00' }),
    ).toEqual([]);
  });
});
