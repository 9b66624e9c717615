import type { MonthlyReport } from '@mimamori/contract';
import { describe, expect, it } from 'vitest';
import { monthBounds, monthlyReportCsv, spread } from './monthly.js';

describe('monthly report', () => {
  it('counts a month from local midnight to local midnight', () => {
    expect(monthBounds('2026-11', 'Asia/Tokyo')).toEqual({
      from: Date.parse('2026-10-31T15:00:00Z'),
      to: Date.parse('2026-11-30T15:00:00Z'),
    });
    expect(monthBounds('2026-12', 'Asia/Tokyo').to).toBe(Date.parse('2026-12-31T15:00:00Z'));
    expect(monthBounds('2026-03', 'Europe/London')).toEqual({
      from: Date.parse('2026-03-01T00:00:00Z'),
      to: Date.parse('2026-03-31T23:00:00Z'),
    });
  });

  it('gives median and 90th percentile in minutes, nothing for nothing', () => {
    const minutes = (...m: number[]) => m.map((x) => x * 60_000);
    expect(spread([])).toEqual({ count: 0, median: null, p90: null });
    expect(spread(minutes(7))).toEqual({ count: 1, median: 7, p90: 7 });
    expect(spread(minutes(10, 2, 4, 8))).toEqual({ count: 4, median: 6, p90: 10 });
    expect(spread(minutes(...Array.from({ length: 10 }, (_, i) => i + 1)))).toEqual({ count: 10, median: 5.5, p90: 9 });
  });

  it('writes CSV that Excel opens in Japanese (BOM, CRLF) and never runs a cell as a formula', () => {
    const report: MonthlyReport = {
      month: '2026-11',
      timezone: 'Asia/Tokyo',
      from: '2026-10-31T15:00:00.000Z',
      to: '2026-11-30T15:00:00.000Z',
      alerts: { total: 1, byRule: [{ rule: '=HYPERLINK("x")', severity: 'warning', count: 1 }] },
      response: {
        toAcknowledge: { count: 0, median: null, p90: null },
        toResolve: { count: 0, median: null, p90: null },
      },
      outcomes: [],
      checkins: { scheduled: 0, answered: 0, satisfied: 0, missed: 0, notAsked: 0, answerRate: null },
      absences: { count: 1, byReason: { hospital: 1 }, days: 2.5 },
    };
    const csv = monthlyReportCsv(report);
    expect(csv.startsWith('\uFEFFsection,item,value\r\n')).toBe(true);
    expect(csv).toContain('alerts,"\'=HYPERLINK(""x"") (warning)",1\r\n');
    expect(csv).toContain('response,toAcknowledge median minutes,\r\n');
    expect(csv).toContain('absences,hospital,1\r\n');
  });
});
