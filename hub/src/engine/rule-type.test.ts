import { describe, expect, it } from 'vitest';
import { RULE_CATALOGUE } from './catalogue.js';
import { home, motion, settings } from '../testing/rule-fixtures.js';

describe('rule types', () => {
  const inactivity = RULE_CATALOGUE.inactivity;

  it('restore a state of their own shape as it was stored', () => {
    const stored = { lastActivityAt: 1, lastSensorAt: 2, firing: false };
    expect(inactivity.restore(stored)).toEqual({ ok: true, state: stored });
    expect(inactivity.restore(undefined)).toEqual({ ok: true, state: undefined });
  });

  it('refuse a state of an older shape, naming what no longer fits', () => {
    expect(inactivity.restore({ lastActivity: 1, firing: 'no' })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^lastActivityAt: /) as unknown,
    });
  });

  it('run their evaluator on a state they restored, as the live engine and replay do', () => {
    const restored = inactivity.restore({ lastActivityAt: 0, lastSensorAt: 0, firing: false });
    if (!restored.ok) throw new Error('restore failed');
    const event = motion('2026-11-23 08:00');
    const presence = { ...home().presence, lastActivityAt: event.ts, confirmed: [event.ts] };
    const result = inactivity.run(
      restored.state,
      { kind: 'event', event, home: home({ presence }) },
      settings('inactivity'),
      event.ts,
    );
    expect(result.state).toMatchObject({ lastActivityAt: event.ts, lastSensorAt: event.ts, firing: false });
  });

  it('checkin.missed is listed but evaluates nothing: the check-in service raises it', () => {
    const missed = RULE_CATALOGUE['checkin.missed'];
    expect(missed.evaluates).toBe(false);
    expect(missed.run(undefined, { kind: 'tick', home: home() }, settings('checkin.missed'), 0)).toEqual({
      state: undefined,
      decisions: [],
      wakeAt: undefined,
    });
  });
});
