import { describe, expect, it } from 'vitest';
import { decide, event, motion, moving, settings } from '../../testing/rule-fixtures.js';

const heartbeat = (at: string) => event('heartbeat', at, {}, 'motion-1');

describe('inactivity rule', () => {
  it('fires once after the duration without activity, and clears when the resident moves', () => {
    const events = [
      ...moving('2026-11-23 08:00'),
      heartbeat('2026-11-23 12:00'),
      ...moving('2026-11-23 17:30'),
      heartbeat('2026-11-23 18:00'),
    ];
    expect(decide('inactivity', { events, from: '2026-11-23 07:00', to: '2026-11-23 19:00' })).toEqual([
      {
        at: '2026-11-23 16:00',
        kind: 'raise',
        severity: 'warning',
        ja: '最後に動きがあったのは11月23日 08:00です。8時間以上、家の中で動きがありません。',
        en: 'No activity in the home for over 8 hours; the last was at 08:00 on 23 Nov.',
      },
      { at: '2026-11-23 17:30', kind: 'clear', ja: '11月23日 17:30に動きがありました。' },
    ]);
  });

  it('neither clears nor restarts for a stray trigger in the silent home, one alert per episode (18.6)', () => {
    const events = [
      ...moving('2026-11-23 08:00'),
      motion('2026-11-23 15:00'),
      heartbeat('2026-11-23 15:30'),
      motion('2026-11-23 17:00'),
      heartbeat('2026-11-23 20:00'),
    ];
    expect(decide('inactivity', { events, from: '2026-11-23 07:00', to: '2026-11-23 21:00' })).toMatchObject([
      { at: '2026-11-23 16:00', kind: 'raise', ja: expect.stringContaining('11月23日 08:00') },
    ]);
  });

  it.each([
    ['a check-in', event('checkin', '2026-11-23 12:00', { answer: 'fine', via: 'button' })],
    ['power use above 200 W', event('power', '2026-11-23 12:00', { watts: 900 })],
  ])('counts %s as activity', (_, activity) => {
    const events = [...moving('2026-11-23 08:00'), activity, heartbeat('2026-11-23 15:00')];
    expect(decide('inactivity', { events, from: '2026-11-23 07:00', to: '2026-11-23 19:00' })).toEqual([]);
  });

  it.each([
    ['a motion sensor clearing occupancy', event('motion', '2026-11-23 12:00', { occupied: false })],
    ['standby power', event('power', '2026-11-23 12:00', { watts: 80 })],
    ['a temperature reading', event('environment', '2026-11-23 12:00', { temperatureC: 21 })],
  ])('does not count %s as activity', (_, quiet) => {
    const events = [...moving('2026-11-23 08:00'), quiet, heartbeat('2026-11-23 15:00')];
    expect(decide('inactivity', { events, from: '2026-11-23 07:00', to: '2026-11-23 19:00' })).toMatchObject([
      { at: '2026-11-23 16:00', kind: 'raise' },
    ]);
  });

  it('does not judge while the resident is probably out (the front door their last sign), and starts again when they are back', () => {
    const events = [
      ...moving('2026-11-23 08:00'),
      event('door', '2026-11-23 08:10', { open: true }),
      event('door', '2026-11-23 08:11', { open: false }),
      heartbeat('2026-11-23 18:00'),
      event('door', '2026-11-23 19:00', { open: true }),
      ...moving('2026-11-23 19:02'),
      heartbeat('2026-11-23 22:00'),
    ];
    expect(decide('inactivity', { events, from: '2026-11-23 07:00', to: '2026-11-24 13:00' })).toMatchObject([
      { at: '2026-11-24 03:02', kind: 'raise', ja: expect.stringContaining('11月23日 19:02') },
    ]);
  });

  it('with active hours counts only daytime: 8 h from 20:00 is reached at 15:00 the next day, not overnight', () => {
    const rule = settings('inactivity', {}, { activeHours: { from: '07:00', to: '21:00' } });
    const events = [...moving('2026-11-23 20:00'), heartbeat('2026-11-24 09:00')];
    expect(
      decide('inactivity', { settings: rule, events, from: '2026-11-23 19:00', to: '2026-11-24 23:00' }),
    ).toMatchObject([
      { at: '2026-11-24 14:00', kind: 'raise', ja: expect.stringContaining('（日中の時間帯で数えて）') },
    ]);
  });

  it('raises when the sensors went silent too (changes-only sensors after a fall), saying they may have failed', () => {
    const events = moving('2026-11-23 08:00');
    expect(decide('inactivity', { events, from: '2026-11-23 07:00', to: '2026-11-24 07:00' })).toEqual([
      {
        at: '2026-11-23 16:00',
        kind: 'raise',
        severity: 'warning',
        ja: '最後に動きがあったのは11月23日 08:00です。8時間以上、家の中で動きがありません。この間、センサーからの連絡もありません（センサーの故障の可能性もあります）。',
        en: 'No activity in the home for over 8 hours; the last was at 08:00 on 23 Nov. The sensors have sent nothing either (they may have failed).',
      },
    ]);
  });

  it('does not run during an absence and starts afresh after it', () => {
    const events = [
      ...moving('2026-11-23 08:00'),
      heartbeat('2026-11-23 12:00'),
      heartbeat('2026-11-24 10:00'),
      heartbeat('2026-11-24 20:00'),
    ];
    const absentAt = (at: number) => at < Date.parse('2026-11-24T10:00:00+09:00');
    expect(decide('inactivity', { events, absentAt, from: '2026-11-23 07:00', to: '2026-11-24 20:30' })).toMatchObject([
      { at: '2026-11-24 18:00', kind: 'raise', ja: expect.stringContaining('11月24日 10:00') },
    ]);
  });
});
