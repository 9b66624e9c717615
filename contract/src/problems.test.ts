import { describe, expect, it } from 'vitest';
import { homeInput } from './api.js';
import { checkinScheduleInput } from './checkins.js';
import { networkInput } from './network.js';
import { problemOfIssue } from './problems.js';
import { backtestInput } from './rules.js';

/** The problems of the first issue of a parse, with their paths. */
const problems = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; code: string; message: string }[] };
}) => (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), ...problemOfIssue(issue) }));

describe('problems of the contract’s schemas, by stable code', () => {
  it('names a pattern by its format, so a client need not read a regular expression', () => {
    const parsed = networkInput.safeParse({
      tiers: [{ name: '近隣', watchers: ['u1'], hours: { from: '9時から', to: '17:00' } }],
      reason: 'r',
    });
    expect(problems(parsed)).toEqual([
      { path: 'tiers.0.hours.from', problem: 'bad_format', params: { format: 'local_time' } },
    ]);
  });

  it('tells a missing field from a wrong type, and carries the bounds of a too-small value', () => {
    expect(problems(homeInput.safeParse({}))).toEqual([{ path: 'name', problem: 'required', params: {} }]);
    expect(problems(homeInput.safeParse({ name: 3 }))).toEqual([
      { path: 'name', problem: 'wrong_type', params: { expected: 'string' } },
    ]);
    expect(problems(homeInput.safeParse({ name: '' }))).toEqual([
      { path: 'name', problem: 'too_small', params: { origin: 'string', minimum: 1, inclusive: true } },
    ]);
  });

  it('reports the refinements by the problem they name, with their parameters', () => {
    expect(problems(networkInput.safeParse({ tiers: [{ name: '近隣' }], reason: 'r' }))).toEqual([
      { path: 'tiers.0', problem: 'tier_needs_member', params: {} },
    ]);
    expect(
      problems(
        networkInput.safeParse({ tiers: [{ name: '近隣', watchers: ['u1'] }], criticalStartTier: 3, reason: 'r' }),
      ),
    ).toEqual([{ path: 'criticalStartTier', problem: 'start_tier_beyond_tiers', params: { tiers: 1 } }]);
    expect(problems(checkinScheduleInput.safeParse({ cron: '0 9 * * *', windowMinutes: 30 }))).toEqual([
      { path: 'windowMinutes', problem: 'window_too_short', params: {} },
    ]);
    expect(problems(backtestInput.safeParse({ from: '2026-01-01T00:00:00Z', to: '2026-06-01T00:00:00Z' }))).toEqual([
      { path: 'to', problem: 'range_too_long', params: { maxDays: 93 } },
    ]);
  });

  it('lists the values an enum allows and the fields a strict object does not know', () => {
    expect(
      problems(checkinScheduleInput.safeParse({ cron: '0 9 * * *', satisfiedBy: 'magic', colour: 'red' })),
    ).toEqual([
      { path: 'satisfiedBy', problem: 'not_one_of', params: { values: ['answer', 'activity'] } },
      { path: '', problem: 'unknown_fields', params: { keys: ['colour'] } },
    ]);
  });
});
