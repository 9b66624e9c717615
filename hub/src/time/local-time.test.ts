import { describe, expect, it } from 'vitest';
import {
  afterTimeInside,
  atLocalMinute,
  isInside,
  lastLocalMinute,
  localDate,
  localMinuteOfDay,
  nextLocalMinute,
  utcOffsetMs,
  windowOf,
} from './local-time.js';

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe('local time in a home’s time zone', () => {
  it.each([
    ['Asia/Tokyo', '2026-11-23T00:00:00Z', 9 * HOUR],
    ['Europe/London', '2026-03-29T00:59:00Z', 0],
    ['Europe/London', '2026-03-29T01:00:00Z', HOUR],
    ['Europe/London', '2026-10-25T00:59:00Z', HOUR],
    ['Europe/London', '2026-10-25T01:00:00Z', 0],
    ['America/New_York', '2026-03-08T06:59:00Z', -5 * HOUR],
    ['America/New_York', '2026-03-08T07:00:00Z', -4 * HOUR],
  ])('%s at %s is UTC%+d ms', (tz, at, offset) => {
    expect(utcOffsetMs(tz, utc(at))).toBe(offset);
  });

  it('gives the local minute of day and date', () => {
    expect(localMinuteOfDay(utc('2026-11-22T22:40:00Z'), 'Asia/Tokyo')).toBe(7 * 60 + 40);
    expect(localDate(utc('2026-11-22T22:40:00Z'), 'Asia/Tokyo')).toBe('2026-11-23');
    expect(localDate(utc('2026-11-22T14:59:00Z'), 'Asia/Tokyo')).toBe('2026-11-22');
  });

  it.each([
    // 07:00 local on the day London springs forward is 06:00 UTC; on the day it falls back, 07:00 UTC.
    ['Europe/London', '2026-03-29T00:30:00Z', 7 * 60, '2026-03-29T06:00:00.000Z'],
    ['Europe/London', '2026-10-25T00:30:00Z', 7 * 60, '2026-10-25T07:00:00.000Z'],
    ['America/New_York', '2026-11-01T12:00:00Z', 9 * 60, '2026-11-01T14:00:00.000Z'],
    ['Asia/Tokyo', '2026-11-23T03:00:00Z', 4 * 60, '2026-11-22T19:00:00.000Z'],
  ])('%s: the local minute %#', (tz, at, minute, expected) => {
    expect(new Date(atLocalMinute(utc(at), tz, minute as number)).toISOString()).toBe(expected);
  });

  it('finds the next and the last occurrence of a local time', () => {
    const at = utc('2026-11-23T00:00:00Z'); // 09:00 in Tokyo
    expect(new Date(nextLocalMinute(at, 'Asia/Tokyo', 9 * 60)).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(new Date(lastLocalMinute(at, 'Asia/Tokyo', 9 * 60)).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(lastLocalMinute(at, 'Asia/Tokyo', 10 * 60)).toISOString()).toBe('2026-11-22T01:00:00.000Z');
  });

  it('tells whether an instant is inside a daily window, also one that wraps midnight', () => {
    const night = windowOf({ from: '22:00', to: '06:00' });
    expect(isInside(utc('2026-11-23T14:00:00Z'), 'Asia/Tokyo', night)).toBe(true); // 23:00
    expect(isInside(utc('2026-11-22T20:59:00Z'), 'Asia/Tokyo', night)).toBe(true); // 05:59
    expect(isInside(utc('2026-11-22T21:00:00Z'), 'Asia/Tokyo', night)).toBe(false); // 06:00
  });

  it('counts a duration only inside the window: 8 h of daytime from 20:00 ends at 15:00 next day', () => {
    const day = windowOf({ from: '08:00', to: '21:00' });
    const from = utc('2026-11-23T11:00:00Z'); // 20:00 Tokyo
    expect(new Date(afterTimeInside(from, 8 * HOUR, 'Asia/Tokyo', day)).toISOString()).toBe('2026-11-24T06:00:00.000Z');
    expect(afterTimeInside(from, 8 * HOUR, 'Asia/Tokyo', undefined)).toBe(from + 8 * HOUR);
  });
});
