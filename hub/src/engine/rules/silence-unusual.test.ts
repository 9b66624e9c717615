import { describe, expect, it } from 'vitest';
import { MINUTE, baselineOf, decide, event, home, jst, motion, moving } from '../../testing/rule-fixtures.js';

const heartbeat = (at: string | number) => event('heartbeat', at, {}, 'motion-1');
/** Heartbeats every hour: the sensors are alive, so the home's silence is the resident's. */
const alive = (from: string, hours: number) =>
  Array.from({ length: hours }, (_, i) => heartbeat(jst(from) + i * 60 * MINUTE));
/** The resident's morning: moving about every five minutes for 40 minutes from `at`. */
const morning = (at: string) => Array.from({ length: 9 }, (_, i) => motion(jst(at) + i * 5 * MINUTE));
const sorted = <T extends { ts: number }>(events: T[]) => [...events].sort((a, b) => a.ts - b.ts);
/** 20 days of a resident whose silences after 07:00 never went past 40 min, but for a nap of 100 min around 14:00. */
const usual = home({
  baseline: baselineOf(20, () => ({
    silence: Array.from({ length: 24 }, (_, h) => (h >= 7 && h < 23 ? (h === 14 ? 100 : 40) : null)),
  })),
});
/** Up at 07:00 and about, seen every half hour until `until`. */
const dayUntil = (until: string) => [
  ...morning('2026-11-23 07:00'),
  ...Array.from({ length: Math.round((jst(until) - jst('2026-11-23 07:30')) / (30 * MINUTE)) }, (_, i) =>
    moving(jst('2026-11-23 08:00') + i * 30 * MINUTE),
  ).flat(),
];

describe('silence.unusual rule', () => {
  it('alerts when the home is silent far longer than this resident ever is at this hour, in their own terms (18.3)', () => {
    const events = sorted([...dayUntil('2026-11-23 10:00'), ...alive('2026-11-23 07:00', 8)]);
    // From 10:00: usually at most 40 min around 11–12 h, so 40 + max(90, 20) = 130 min → 12:10.
    expect(
      decide('silence.unusual', { home: usual, events, from: '2026-11-22 12:00', to: '2026-11-23 15:00' }),
    ).toEqual([
      {
        at: '2026-11-23 12:10',
        kind: 'raise',
        severity: 'warning',
        ja: '最後に動きがあったのは11月23日 10:00です。この時間帯に2時間10分以上動きがないことは、これまでありませんでした（いつもは長くても40分ほど）。',
        en: 'No activity for over 2 h 10 min since 10:00 on 23 Nov; never before this long at this time of day (usually at most 40 minutes).',
      },
    ]);
  });

  it('allows the longer silences of the hours around them: a nap after lunch', () => {
    const events = sorted([
      ...dayUntil('2026-11-23 12:30'),
      ...moving('2026-11-23 15:00'),
      ...alive('2026-11-23 07:00', 10),
    ]);
    // Around 13–15 h the usual is 100 min: 100 + 90 = 190 min from 12:30, past 15:00.
    expect(
      decide('silence.unusual', { home: usual, events, from: '2026-11-22 12:00', to: '2026-11-23 16:00' }),
    ).toEqual([]);
  });

  it('neither clears nor restarts for a stray trigger; the resident moving clears it (18.6)', () => {
    const events = sorted([
      ...dayUntil('2026-11-23 10:00'),
      motion('2026-11-23 13:00', 'closet'),
      ...moving('2026-11-23 14:00'),
      ...alive('2026-11-23 07:00', 8),
    ]);
    expect(
      decide('silence.unusual', { home: usual, events, from: '2026-11-22 12:00', to: '2026-11-23 15:00' }),
    ).toMatchObject([
      { at: '2026-11-23 12:10', kind: 'raise' },
      { at: '2026-11-23 14:00', kind: 'clear', ja: '11月23日 14:00に動きがありました。' },
    ]);
  });

  it('leaves the night before the day began to wake.late, and while learning alerts after 8 h counted by day', () => {
    const learning = home({ baseline: baselineOf(5, () => ({})) });
    const events = sorted([...moving('2026-11-22 21:00'), ...alive('2026-11-22 22:00', 24)]);
    expect(
      decide('silence.unusual', { home: usual, events, from: '2026-11-22 12:00', to: '2026-11-23 15:30' }),
    ).toMatchObject([
      { at: '2026-11-23 15:00', kind: 'raise', ja: expect.stringContaining('18時間以上、家の中で動きがありません') },
    ]);
    expect(
      decide('silence.unusual', { home: learning, events, from: '2026-11-22 12:00', to: '2026-11-23 15:30' }),
    ).toMatchObject([{ at: '2026-11-23 15:00', kind: 'raise' }]);
  });

  it('allows longer silences while a sensor that saw part of the home is dead: it saw 40 %, so 1 / 0.6 as long', () => {
    // A second room's sensor, which checks in hourly and gave 40 % of the signals, said its last at 07:00.
    const devices = [...usual.devices, { id: 'motion-2', kind: 'motion' as const, registeredAt: 0 }];
    const baseline = baselineOf(20, () => ({
      silence: Array.from({ length: 24 }, (_, h) => (h >= 7 && h < 23 ? (h === 14 ? 100 : 40) : null)),
      devices: {
        'motion-1': { longestGap: 70, longestHomeGap: 70, heartbeats: 24, activity: 60 },
        'motion-2': { longestGap: 70, longestHomeGap: 70, heartbeats: 24, activity: 40 },
      },
    }));
    const events = sorted([
      ...dayUntil('2026-11-23 10:00'),
      ...alive('2026-11-23 07:00', 8),
      event('heartbeat', '2026-11-23 07:00', {}, 'motion-2'),
    ]);
    // Dead from 09:20 (twice its 70 min): 40 / 0.6 ≈ 67 min usual, + 90 → 10:00 + 156 min 40 s.
    expect(
      decide('silence.unusual', {
        home: home({ devices, baseline }),
        events,
        from: '2026-11-22 12:00',
        to: '2026-11-23 15:00',
      }),
    ).toMatchObject([
      { at: '2026-11-23 12:36', kind: 'raise', ja: expect.stringContaining('いつもは長くても40分ほど') },
    ]);
  });

  it('waits while the resident is probably out', () => {
    const events = sorted([
      ...morning('2026-11-23 07:00'),
      event('door', '2026-11-23 09:00', { open: true }),
      ...alive('2026-11-23 07:00', 8),
    ]);
    expect(
      decide('silence.unusual', { home: usual, events, from: '2026-11-22 12:00', to: '2026-11-23 15:00' }),
    ).toEqual([]);
  });
});
