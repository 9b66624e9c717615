import { describe, expect, it } from 'vitest';
import { MINUTE, decide, event, jst, motion, moving } from '../../testing/rule-fixtures.js';

describe('out.long rule', () => {
  const left = (at: string) => [
    ...moving(jst(at) - 3 * MINUTE),
    event('door', jst(at) - MINUTE / 2, { open: true }),
    event('door', at, { open: false }),
  ];

  it('alerts when the resident is not back an hour into the night, saying they are probably out (18.5); clears on their return', () => {
    const events = [
      ...left('2026-11-23 14:00'),
      event('door', '2026-11-24 10:00', { open: true }),
      ...moving('2026-11-24 10:02'),
    ];
    expect(decide('out.long', { events, from: '2026-11-23 12:00', to: '2026-11-24 12:00' })).toEqual([
      {
        at: '2026-11-23 22:00',
        kind: 'raise',
        severity: 'warning',
        ja: '14:00に玄関のドアが開閉してから、8時間以上家の中で動きがありません（外出中の可能性があります）。',
        en: 'No activity at home for over 8 hours since the front door at 14:00 (probably out).',
      },
      { at: '2026-11-24 10:00', kind: 'clear', ja: '11月24日 10:00に戻られました。' },
    ]);
  });

  it('allows a day out of up to 10 hours, and says nothing of an ordinary outing or strays while out', () => {
    const events = [
      ...left('2026-11-23 09:00'),
      motion('2026-11-23 12:00', 'closet'),
      event('door', '2026-11-23 12:30', { open: true }),
      ...moving('2026-11-23 12:31'),
    ];
    expect(decide('out.long', { events, from: '2026-11-23 08:00', to: '2026-11-24 08:00' })).toEqual([]);
    expect(
      decide('out.long', { events: left('2026-11-23 08:00'), from: '2026-11-23 07:00', to: '2026-11-23 20:00' }),
    ).toMatchObject([{ at: '2026-11-23 18:00', kind: 'raise' }]);
  });

  it('does not run during a registered absence, the strong form of out', () => {
    const absentAt = (at: number) => at >= jst('2026-11-23 13:00') && at < jst('2026-11-26 13:00');
    expect(
      decide('out.long', {
        events: left('2026-11-23 14:00'),
        absentAt,
        from: '2026-11-23 12:00',
        to: '2026-11-25 12:00',
      }),
    ).toEqual([]);
  });
});
