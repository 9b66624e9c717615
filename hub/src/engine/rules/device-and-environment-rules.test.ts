import { describe, expect, it } from 'vitest';
import { MINUTE, baselineOf, decide, event, home, jst, moving, settings } from '../../testing/rule-fixtures.js';

const temp = (at: string, c: number) => event('environment', at, { temperatureC: c });
const answer = (at: string) => event('checkin', at, { answer: 'fine', via: 'voice' });

describe('environment.heat rule', () => {
  const hot = [
    temp('2026-08-10 13:00', 27),
    temp('2026-08-10 13:10', 29.5),
    temp('2026-08-10 13:40', 30.5),
    temp('2026-08-10 14:10', 31),
  ];

  it('asks the resident first, then alerts when the room stays hot and nobody answers', () => {
    expect(decide('environment.heat', { events: hot, from: '2026-08-10 12:00', to: '2026-08-10 15:00' })).toEqual([
      {
        at: '2026-08-10 13:40',
        kind: 'ask',
        ja: '室温が30.5℃まで上がっています。エアコンをつけて、水分をとりましょう。大丈夫ですか？',
      },
      {
        at: '2026-08-10 13:55',
        kind: 'raise',
        severity: 'warning',
        ja: '室温が30.5℃と高い状態が45分続いています。スピーカーで呼びかけましたが、応答がありません。',
        en: 'The room has been high (30.5°C) for 45 minutes. The speaker asked the resident; no answer.',
      },
    ]);
  });

  it('stays with the question when the resident answers', () => {
    expect(
      decide('environment.heat', {
        events: [...hot.slice(0, 3), answer('2026-08-10 13:45'), ...hot.slice(3)],
        from: '2026-08-10 12:00',
        to: '2026-08-10 15:00',
      }),
    ).toMatchObject([{ kind: 'ask' }]);
  });

  it('alerts at once without asking when askFirst is off, and clears once the room is cooler by the hysteresis', () => {
    const rule = settings('environment.heat', { askFirst: false });
    const events = [...hot, temp('2026-08-10 14:30', 27.5), temp('2026-08-10 14:40', 26.9)];
    expect(
      decide('environment.heat', { settings: rule, events, from: '2026-08-10 12:00', to: '2026-08-10 15:00' }),
    ).toMatchObject([
      { at: '2026-08-10 13:40', kind: 'raise', ja: '室温が30.5℃と高い状態が30分続いています。' },
      { at: '2026-08-10 14:40', kind: 'clear', ja: '室温が下がりました。' },
    ]);
  });

  it('does nothing for a short spike', () => {
    expect(
      decide('environment.heat', {
        events: [temp('2026-08-10 13:00', 30), temp('2026-08-10 13:20', 25)],
        from: '2026-08-10 12:00',
        to: '2026-08-10 15:00',
      }),
    ).toEqual([]);
  });
});

describe('environment.cold rule', () => {
  it('asks to turn on the heating when the room stays cold for an hour', () => {
    const events = [temp('2027-01-20 03:00', 9), temp('2027-01-20 04:00', 8)];
    expect(decide('environment.cold', { events, from: '2027-01-20 02:00', to: '2027-01-20 04:10' })).toEqual([
      {
        at: '2027-01-20 04:00',
        kind: 'ask',
        ja: '室温が8.0℃まで下がっています。暖房をつけて、暖かくしてください。大丈夫ですか？',
      },
    ]);
  });
});

describe('usage.continuous rule', () => {
  const watts = (at: string, w: number, deviceId = 'power-1') => event('power', at, { watts: w }, deviceId);

  it('fires when a meter stays in use for two hours, and clears when it is off', () => {
    const events = [
      watts('2026-11-23 10:00', 800),
      watts('2026-11-23 11:00', 820),
      watts('2026-11-23 12:30', 790),
      watts('2026-11-23 12:45', 60),
    ];
    expect(decide('usage.continuous', { events, from: '2026-11-23 09:00', to: '2026-11-23 13:00' })).toEqual([
      {
        at: '2026-11-23 12:00',
        kind: 'raise',
        severity: 'warning',
        ja: '500W以上の電気の使用が2時間続いています。消し忘れかもしれません。',
        en: 'Power use of 500 W or more for 2 hours without a break; something may have been left on.',
      },
      { at: '2026-11-23 12:45', kind: 'clear', ja: '電気の使用が止まりました。' },
    ]);
  });

  it('restarts the run after any reading below the threshold', () => {
    const events = [
      watts('2026-11-23 10:00', 800),
      watts('2026-11-23 11:00', 100),
      watts('2026-11-23 11:15', 800),
      watts('2026-11-23 12:30', 800),
    ];
    expect(decide('usage.continuous', { events, from: '2026-11-23 09:00', to: '2026-11-23 13:00' })).toEqual([]);
  });
});

describe('device.offline rule', () => {
  const heartbeat = (at: string | number, deviceId: string) => event('heartbeat', at, {}, deviceId);
  const sensors = ['motion-1', 'door-1', 'power-1', 'env-1'];
  const every = (from: string, hours: number, minutes: number, deviceId: string) =>
    Array.from({ length: Math.floor((hours * 60) / minutes) }, (_, i) =>
      heartbeat(jst(from) + i * minutes * MINUTE, deviceId),
    );
  /** Four weeks in which the motion sensor checked in hourly and the door was silent for up to 10 h at a time. */
  const learned = home({
    baseline: baselineOf(28, () => ({
      devices: {
        'motion-1': { longestGap: 61, longestHomeGap: 61, heartbeats: 24, activity: 0 },
        'door-1': { longestGap: 600, longestHomeGap: 600, heartbeats: 0, activity: 0 },
      },
    })),
  });

  it('names a speaker silent for 30 minutes, and clears when it is back', () => {
    const events = [
      heartbeat('2026-11-23 10:00', 'speaker-1'),
      ...sensors.map((id) => heartbeat('2026-11-23 10:00', id)),
      heartbeat('2026-11-23 11:00', 'speaker-1'),
    ];
    expect(decide('device.offline', { events, from: '2026-11-23 10:00', to: '2026-11-23 11:10' })).toEqual([
      {
        at: '2026-11-23 10:30',
        kind: 'raise',
        severity: 'warning',
        ja: '機器が応答しません（speaker-1）。電源や電池、通信を確認してください。',
        en: 'Device not responding (speaker-1). Please check its power, batteries and connection.',
      },
      { at: '2026-11-23 11:00', kind: 'clear', ja: 'すべての機器が復帰しました。' },
    ]);
  });

  it('says monitoring is degraded when every activity sensor is silent for 25 hours', () => {
    const events = [
      ...sensors.map((id) => heartbeat('2026-11-23 00:00', id)),
      ...every('2026-11-23 00:00', 26, 25, 'speaker-1'),
    ].sort((a, b) => a.ts - b.ts);
    expect(decide('device.offline', { events, from: '2026-11-23 00:00', to: '2026-11-24 01:10' })).toMatchObject([
      {
        at: '2026-11-24 01:00',
        kind: 'raise',
        ja: '見守りが機能していません。人感・ドア・電力のセンサーがすべて応答しません（motion-1、door-1、power-1）。機器を確認してください。',
      },
    ]);
  });

  it('calls a sensor that checks in offline once it misses its heartbeats for 3 hours (18.1)', () => {
    const events = [
      ...every('2026-11-23 00:00', 10, 60, 'motion-1'),
      ...every('2026-11-23 00:00', 16, 10, 'speaker-1'),
    ].sort((a, b) => a.ts - b.ts);
    expect(
      decide('device.offline', { home: learned, events, from: '2026-11-23 00:00', to: '2026-11-23 16:00' }),
    ).toMatchObject([{ at: '2026-11-23 12:00', kind: 'raise', ja: expect.stringContaining('（motion-1）') }]);
  });

  it('gives a sensor that reports changes only three times its usual silence, counting only time the resident is at home', () => {
    const events = [
      event('door', '2026-11-23 08:00', { open: true }),
      event('door', '2026-11-23 08:01', { open: false }),
      // Out from 08:01 until 18:01: ten hours nobody was there to open the door do not count.
      event('door', '2026-11-23 18:00', { open: true }),
      ...moving('2026-11-23 18:05'),
      ...every('2026-11-23 00:00', 72, 60, 'motion-1'),
      ...every('2026-11-23 00:00', 72, 10, 'speaker-1'),
    ].sort((a, b) => a.ts - b.ts);
    // Door silent since 18:00; 30 h of home time (3 × 10 h) → 2026-11-25 00:00.
    expect(
      decide('device.offline', { home: learned, events, from: '2026-11-23 07:00', to: '2026-11-26 00:00' }),
    ).toMatchObject([{ at: '2026-11-25 00:00', kind: 'raise', ja: expect.stringContaining('（door-1）') }]);
  });

  it('does not judge a sensor used too rarely to know its silences (a storage room seen on fewer than 4 days)', () => {
    const rarely = home({
      baseline: baselineOf(28, (i) => ({
        devices: i < 3 ? { 'door-1': { longestGap: 9000, longestHomeGap: 9000, heartbeats: 0, activity: 0 } } : {},
      })),
    });
    const events = ['speaker-1', 'motion-1', 'power-1']
      .flatMap((id) => every('2026-11-23 00:00', 24 * 10, 10, id))
      .sort((a, b) => a.ts - b.ts);
    expect(
      decide('device.offline', { home: rarely, events, from: '2026-11-23 00:00', to: '2026-12-03 00:00' }),
    ).toEqual([]);
  });

  it('never calls an Echo offline for its silence: it is heard from only when the resident opens the skill', () => {
    const echoHome = home({
      baseline: baselineOf(28, () => ({
        devices: { 'echo-1': { longestGap: 600, longestHomeGap: 600, heartbeats: 0, activity: 0 } },
      })),
      devices: [
        { id: 'speaker-1', kind: 'speaker', registeredAt: jst('2026-11-01 00:00') },
        { id: 'echo-1', kind: 'alexa', registeredAt: jst('2026-11-22 23:00') },
      ],
    });
    const events = [heartbeat('2026-11-23 00:00', 'echo-1'), ...every('2026-11-23 00:00', 72, 20, 'speaker-1')];
    expect(
      decide('device.offline', { events, home: echoHome, from: '2026-11-23 00:00', to: '2026-11-26 00:00' }),
    ).toEqual([]);
  });

  it('reports a device listed and never heard from, an hour after it was listed', () => {
    const listed = jst('2026-11-23 10:00');
    const setUp = home({
      baseline: learned.baseline,
      devices: [...home().devices, { id: 'door-2', kind: 'door', registeredAt: listed }],
    });
    const events = every('2026-11-23 09:00', 3, 10, 'speaker-1');
    expect(
      decide('device.offline', { home: setUp, events, from: '2026-11-23 09:00', to: '2026-11-23 12:00' }),
    ).toMatchObject([
      {
        at: '2026-11-23 11:00',
        kind: 'raise',
        ja: '設置された機器から一度も通信がありません（door-2）。電源や電池、ペアリングを確認してください。',
      },
    ]);
  });
});

describe('device.battery rule', () => {
  it('asks for new batteries once below 15%, and clears when they are changed', () => {
    const events = [
      event('heartbeat', '2026-11-23 10:00', { battery: 20 }, 'motion-1'),
      event('heartbeat', '2026-11-23 11:00', { battery: 14 }, 'motion-1'),
      event('heartbeat', '2026-11-23 12:00', { battery: 13 }, 'motion-1'),
      event('heartbeat', '2026-11-24 12:00', { battery: 100 }, 'motion-1'),
    ];
    expect(decide('device.battery', { events, from: '2026-11-23 09:00', to: '2026-11-25 00:00' })).toEqual([
      {
        at: '2026-11-23 11:00',
        kind: 'raise',
        severity: 'info',
        ja: '電池残量が15%を下回っています（motion-1）。電池の交換をお願いします。',
        en: 'Battery below 15% (motion-1). Please replace the batteries.',
      },
      { at: '2026-11-24 12:00', kind: 'clear', ja: '電池が交換されました。' },
    ]);
  });
});
