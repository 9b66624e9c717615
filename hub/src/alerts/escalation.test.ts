import { describe, expect, it } from 'vitest';
import {
  acknowledged,
  begin,
  escalateSeverity,
  next,
  reachable,
  released,
  stopped,
  type EscalationPlan,
} from './escalation.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 1, 0); // any instant; local time is passed separately
const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Volunteers 15 min, office staff 9–17 for 30 min, family 60 min. */
const plan: EscalationPlan = {
  tiers: [
    { ackTimeoutMinutes: 15 },
    { ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
    { ackTimeoutMinutes: 60 },
  ],
  criticalStartTier: 1,
  criticalTiersAtOnce: 2,
  ackReminderMinutes: 60,
};

describe('reachable', () => {
  it.each([
    [undefined, '03:00', true],
    [{ from: '09:00', to: '17:00' }, '09:00', true],
    [{ from: '09:00', to: '17:00' }, '16:59', true],
    [{ from: '09:00', to: '17:00' }, '17:00', false],
    [{ from: '09:00', to: '17:00' }, '08:59', false],
    [{ from: '22:00', to: '06:00' }, '23:30', true],
    [{ from: '22:00', to: '06:00' }, '05:59', true],
    [{ from: '22:00', to: '06:00' }, '12:00', false],
  ])('hours %j at %s → %s', (hours, time, expected) => {
    expect(reachable(hours ? { hours } : {}, at(time))).toBe(expected);
  });
});

describe('escalation', () => {
  it('tells tier 1 first and each next tier when the one before lets its timeout pass', () => {
    const first = begin(plan, 'warning', T0, at('10:00'));
    expect(first).toEqual({ tell: [0], state: { told: [0], phase: 'waiting', dueAt: T0 + 15 * MINUTE } });
    const second = next(plan, first.state, T0 + 15 * MINUTE, at('10:15'));
    expect(second).toEqual({ tell: [1], state: { told: [0, 1], phase: 'waiting', dueAt: T0 + 45 * MINUTE } });
    const third = next(plan, second.state, T0 + 45 * MINUTE, at('10:45'));
    expect(third.tell).toEqual([2]);
    expect(third.state.dueAt).toBe(T0 + 105 * MINUTE);
  });

  it('skips office staff at night and goes from the volunteers straight to the family', () => {
    const first = begin(plan, 'warning', T0, at('22:00'));
    expect(next(plan, first.state, T0 + 15 * MINUTE, at('22:15')).tell).toEqual([2]);
  });

  it('reminds everyone told once the last tier lets its timeout pass, then schedules nothing more', () => {
    const last = { told: [0, 1, 2], phase: 'waiting' as const, dueAt: T0 };
    const step = next(plan, last, T0, at('12:00'));
    expect(step).toEqual({ tell: [], remind: 'told', state: { told: [0, 1, 2], phase: 'exhausted', dueAt: null } });
    expect(next(plan, step.state, T0 + 60 * MINUTE, at('13:00')).tell).toEqual([]);
  });

  it('tells two tiers at once for a critical alert, from the configured start tier', () => {
    expect(begin(plan, 'critical', T0, at('10:00')).tell).toEqual([0, 1]);
    expect(begin(plan, 'critical', T0, at('20:00')).tell).toEqual([0, 2]);
    expect(begin({ ...plan, criticalStartTier: 2 }, 'critical', T0, at('10:00')).tell).toEqual([1, 2]);
    const critical = begin(plan, 'critical', T0, at('10:00'));
    expect(critical.state.dueAt).toBe(T0 + 30 * MINUTE);
  });

  it('tells the last tier when no tier can be reached at this hour: never nobody', () => {
    const officeOnly: EscalationPlan = {
      ...plan,
      tiers: [
        { ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
        { ackTimeoutMinutes: 30, hours: { from: '09:00', to: '17:00' } },
      ],
    };
    expect(begin(officeOnly, 'warning', T0, at('02:00')).tell).toEqual([1]);
  });

  it('stops telling tiers once acknowledged, reminds the acknowledger, then tells the next tier', () => {
    const first = begin(plan, 'warning', T0, at('10:00'));
    const claimed = acknowledged(plan, first.state, T0 + 5 * MINUTE);
    expect(claimed).toEqual({ told: [0], phase: 'ack_reminder', dueAt: T0 + 65 * MINUTE });
    const reminder = next(plan, claimed, T0 + 65 * MINUTE, at('11:05'));
    expect(reminder).toEqual({
      tell: [],
      remind: 'acknowledger',
      state: { told: [0], phase: 'ack_overdue', dueAt: T0 + 125 * MINUTE },
    });
    const overdue = next(plan, reminder.state, T0 + 125 * MINUTE, at('12:05'));
    expect(overdue.tell).toEqual([1]);
    expect(overdue.state.phase).toBe('waiting');
  });

  it('tells the critical tiers not yet told when a warning becomes critical', () => {
    const first = begin(plan, 'warning', T0, at('10:00'));
    const raised = escalateSeverity(plan, first.state, T0 + 2 * MINUTE, at('10:02'));
    expect(raised.tell).toEqual([1]);
    expect(raised.state).toEqual({ told: [0, 1], phase: 'waiting', dueAt: T0 + 32 * MINUTE });
    const claimed = acknowledged(plan, first.state, T0 + MINUTE);
    const raisedAfterClaim = escalateSeverity(plan, claimed, T0 + 2 * MINUTE, at('10:02'));
    expect(raisedAfterClaim.tell).toEqual([1]);
    expect(raisedAfterClaim.state.phase).toBe('ack_reminder');
    expect(raisedAfterClaim.state.dueAt).toBe(claimed.dueAt);
  });

  it('schedules nothing once stopped', () => {
    const done = stopped(begin(plan, 'critical', T0, at('10:00')).state);
    expect(done).toEqual({ told: [0, 1], phase: 'stopped', dueAt: null });
    expect(next(plan, done, T0 + 60 * MINUTE, at('11:00')).tell).toEqual([]);
    expect(escalateSeverity(plan, done, T0, at('10:00')).tell).toEqual([]);
  });

  it('tells the next tier at once when the one who had the alert gives it back, not at the timeout', () => {
    const first = begin(plan, 'warning', T0, at('10:00'));
    const claimed = acknowledged(plan, first.state, T0 + 2 * MINUTE);
    const given = released(plan, claimed, T0 + 5 * MINUTE, at('10:05'));
    expect(given).toEqual({
      tell: [1],
      state: { told: [0, 1], phase: 'waiting', dueAt: T0 + 35 * MINUTE },
    });
    // At night the office is skipped; with every tier told, everyone told is reminded.
    expect(released(plan, claimed, T0, at('20:00')).tell).toEqual([2]);
    const allTold = { told: [0, 1, 2], phase: 'ack_reminder' as const, dueAt: T0 + 60 * MINUTE };
    expect(released(plan, allTold, T0 + 5 * MINUTE, at('10:05'))).toEqual({
      tell: [],
      remind: 'told',
      state: { told: [0, 1, 2], phase: 'exhausted', dueAt: null },
    });
  });
});
