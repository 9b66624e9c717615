import { describe, expect, it } from 'vitest';
import { speakableAt } from './quiet-hours.js';

const at = (local: string) => Date.parse(`${local}+09:00`);
const NIGHT = { from: '21:00', to: '07:00' };

describe('quiet hours', () => {
  it.each([
    ['2026-11-23T20:59:59', '2026-11-23T20:59:59'],
    ['2026-11-23T21:00:00', '2026-11-24T07:00:00'],
    ['2026-11-23T23:30:15', '2026-11-24T07:00:00'],
    ['2026-11-24T03:10:00', '2026-11-24T07:00:00'],
    ['2026-11-24T06:59:59', '2026-11-24T07:00:00'],
    ['2026-11-24T07:00:00', '2026-11-24T07:00:00'],
    ['2026-11-24T12:00:00', '2026-11-24T12:00:00'],
  ])('a prompt arriving at %s (Tokyo) may be said at %s', (arrives, said) => {
    expect(new Date(speakableAt(at(arrives), NIGHT, 'Asia/Tokyo')).toISOString()).toBe(
      new Date(at(said)).toISOString(),
    );
  });

  it('also as a window within one day, and not at all without one', () => {
    const nap = { from: '13:00', to: '14:30' };
    expect(speakableAt(at('2026-11-24T13:20:00'), nap, 'Asia/Tokyo')).toBe(at('2026-11-24T14:30:00'));
    expect(speakableAt(at('2026-11-24T15:00:00'), nap, 'Asia/Tokyo')).toBe(at('2026-11-24T15:00:00'));
    expect(speakableAt(at('2026-11-24T03:00:00'), undefined, 'Asia/Tokyo')).toBe(at('2026-11-24T03:00:00'));
  });

  it('reads the hours in the home’s own time zone', () => {
    // 23:00 in London is 08:00 the next morning in Tokyo.
    const london = Date.parse('2026-11-23T23:00:00Z');
    expect(speakableAt(london, NIGHT, 'Asia/Tokyo')).toBe(london);
    expect(speakableAt(london, NIGHT, 'Europe/London')).toBe(Date.parse('2026-11-24T07:00:00Z'));
  });
});
