import { describe, expect, it } from 'vitest';
import { asJst, event, jst, motion } from '../testing/rule-fixtures.js';
import type { StoredEvent } from '../store/index.js';
import { NO_PRESENCE, observe, presenceAt, presenceState, type PresenceState } from './presence.js';

/** Folds events into presence; returns the state and every activity it confirmed, as Japan times. */
function fold(events: readonly StoredEvent[], state: PresenceState = NO_PRESENCE) {
  const confirmed: string[] = [];
  const returned: string[] = [];
  for (const e of events) {
    const observed = observe(state, e, e.type !== 'checkin');
    state = observed.state;
    confirmed.push(...observed.confirmed.map(asJst));
    if (observed.returnedFrom !== undefined) returned.push(asJst(observed.returnedFrom));
  }
  return { state, confirmed, returned };
}
const door = (at: string) => event('door', at, { open: true });

describe('presence', () => {
  it('does not take a single trigger in a silent home for the resident: a stray (18.6)', () => {
    const { state, confirmed } = fold([motion('2026-11-23 03:00'), motion('2026-11-23 05:00', 'closet')]);
    expect(confirmed).toEqual([]);
    expect(presenceAt(state, jst('2026-11-23 06:00')).lastActivityAt).toBeUndefined();
  });

  it('believes a trigger once another signal comes within 30 minutes, and counts both', () => {
    const { state, confirmed } = fold([motion('2026-11-23 07:00', 'bedroom'), motion('2026-11-23 07:20', 'toilet')]);
    expect(confirmed).toEqual(['2026-11-23 07:00', '2026-11-23 07:20']);
    expect(asJst(presenceAt(state, jst('2026-11-23 08:00')).lastActivityAt ?? 0)).toBe('2026-11-23 07:20');
  });

  it('while the resident is about (within the hour), counts each trigger at once: a TV viewer’s hand', () => {
    const { confirmed } = fold([
      motion('2026-11-23 19:00'),
      motion('2026-11-23 19:05'),
      motion('2026-11-23 19:50'),
      motion('2026-11-23 20:40'),
    ]);
    expect(confirmed).toEqual(['2026-11-23 19:00', '2026-11-23 19:05', '2026-11-23 19:50', '2026-11-23 20:40']);
  });

  it.each([
    ['a door', door('2026-11-23 12:00')],
    ['a check-in', event('checkin', '2026-11-23 12:00', { answer: 'fine', via: 'voice' })],
    ['an appliance drawing 200 W or more', event('power', '2026-11-23 12:00', { watts: 900 })],
  ])('believes %s on its own', (_, signal) => {
    expect(fold([signal]).confirmed).toEqual(['2026-11-23 12:00']);
  });

  it('reads the resident as probably out 20 minutes after the front door was their last sign (18.5), and back on their return', () => {
    const left = fold([motion('2026-11-23 10:00'), motion('2026-11-23 10:03'), door('2026-11-23 10:05')]).state;
    expect(presenceAt(left, jst('2026-11-23 10:15')).outSince).toBeUndefined();
    expect(asJst(presenceAt(left, jst('2026-11-23 10:25')).outSince ?? 0)).toBe('2026-11-23 10:05');

    const back = fold([door('2026-11-23 15:00'), motion('2026-11-23 15:01')], left);
    expect(back.returned).toEqual(['2026-11-23 10:05']);
    expect(back.confirmed).toEqual(['2026-11-23 15:00', '2026-11-23 15:01']);
    expect(presenceAt(back.state, jst('2026-11-23 16:00')).outSince).toBeUndefined();
  });

  it('keeps a home the resident left empty through strays, even two in a row; three moving about bring them back', () => {
    const left = fold([motion('2026-11-23 10:00'), motion('2026-11-23 10:03'), door('2026-11-23 10:05')]).state;
    // A trigger just after the door: the resident is gone, it does not count.
    const strays = fold([motion('2026-11-23 10:12'), motion('2026-11-23 13:00'), motion('2026-11-23 13:10')], left);
    expect(strays.confirmed).toEqual([]);
    expect(presenceAt(strays.state, jst('2026-11-23 14:00')).outSince).toBeDefined();

    // Back past a door sensor that did not see them: moving about in three places.
    const back = fold([motion('2026-11-23 18:00'), motion('2026-11-23 18:04'), motion('2026-11-23 18:09')], left);
    expect(back.confirmed).toEqual(['2026-11-23 18:00', '2026-11-23 18:04', '2026-11-23 18:09']);
    expect(back.returned).toEqual(['2026-11-23 10:05']);
  });

  it('knows whether the sensors said anything since the resident’s last activity', () => {
    const { state } = fold([motion('2026-11-23 10:00'), motion('2026-11-23 10:03')]);
    expect(presenceAt(state, jst('2026-11-23 12:00')).sensorsAlive).toBe(false);
    const later = fold([event('heartbeat', '2026-11-23 11:00', {}, 'motion-1')], state).state;
    expect(presenceAt(later, jst('2026-11-23 12:00')).sensorsAlive).toBe(true);
  });

  it('remembers when each device that watches activity last said anything, a heartbeat or a trigger', () => {
    const { state } = fold([
      motion('2026-11-23 10:00'),
      event('heartbeat', '2026-11-23 11:00', {}, 'motion-1'),
      door('2026-11-23 10:30'),
      event('checkin', '2026-11-23 11:30', { answer: 'fine', via: 'button' }),
    ]);
    expect(presenceAt(state, jst('2026-11-23 12:00')).sensorSeenAt).toEqual({
      'motion-1': jst('2026-11-23 11:00'),
      'door-1': jst('2026-11-23 10:30'),
    });
  });

  it('reads a presence stored before it remembered devices', () => {
    const older: Partial<PresenceState> = { ...fold([motion('2026-11-23 10:00')]).state };
    delete older.sensorSeenAt;
    expect(presenceState.parse(older).sensorSeenAt).toEqual({});
  });
});
