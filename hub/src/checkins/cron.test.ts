import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { nextAfter } from './cron.js';

const HOUR = 3_600_000;
const direct = (cron: string, tz: string, after: number) =>
  CronExpressionParser.parse(cron, { tz, currentDate: new Date(after) })
    .next()
    .getTime();

describe('nextAfter from memory', () => {
  it.each([
    ['0 9 * * *', 'Asia/Tokyo'],
    ['30 1 * * *', 'Europe/London'], // 01:30 happens twice on 25 October 2026
    ['0 9,19 * * 1-5', 'America/New_York'],
  ])('gives what cron-parser gives for %s in %s, whatever order the instants are asked in', (cron, tz) => {
    // Instants around the October DST change, at odd offsets and exactly on firings, shuffled.
    const start = Date.parse('2026-10-22T00:00:00Z');
    const instants = Array.from({ length: 120 }, (_, i) => start + i * 2.3 * HOUR);
    const firings = instants.map((at) => direct(cron, tz, at));
    const asked = [...instants, ...firings, ...firings.map((f) => f - 1)].sort(
      (a, b) => ((a * 7919) % 1000) - ((b * 7919) % 1000),
    );
    for (const at of asked) expect(nextAfter(cron, tz, at)).toBe(direct(cron, tz, at));
  });
});
