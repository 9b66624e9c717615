import { describe, expect, it } from 'vitest';
import { anAlert } from '../../hub/src/testing/alert-fixture.js';
import { groupOf, orderAlerts } from './alert-order.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 1, minute)).toISOString();

/** Issue 20: after 40 minutes of demo the SOS was card 13 of 14, under twelve 注意 cards. */
describe('the order of a volunteer’s alert cards', () => {
  it('puts the most severe first, then the longest waiting; someone else’s below; ended ones last', () => {
    const warnings = Array.from({ length: 12 }, (_, i) =>
      anAlert({ id: `w${i}`, severity: 'warning', openedAt: at(i) }),
    );
    const sos = anAlert({ id: 'sos', rule: 'sos', severity: 'critical', openedAt: at(40) });
    const info = anAlert({ id: 'battery', severity: 'info', openedAt: at(1) });
    const mine = anAlert({
      id: 'mine',
      severity: 'warning',
      status: 'acknowledged',
      acknowledgedBy: 'tanaka',
      openedAt: at(30),
    });
    const theirs = anAlert({
      id: 'theirs',
      severity: 'critical',
      status: 'acknowledged',
      acknowledgedBy: 'yamada',
      openedAt: at(2),
    });
    const resolved = anAlert({
      id: 'resolved',
      severity: 'critical',
      status: 'resolved',
      openedAt: at(3),
      resolvedAt: at(20),
    });
    const cleared = anAlert({ id: 'cleared', status: 'auto_resolved', openedAt: at(4), resolvedAt: at(25) });

    const ordered = orderAlerts([...warnings, resolved, info, theirs, sos, cleared, mine], 'tanaka').map((a) => a.id);
    expect(ordered).toEqual(['sos', ...warnings.map((w) => w.id), 'mine', 'battery', 'theirs', 'cleared', 'resolved']);
  });

  it('groups by who has it', () => {
    expect(groupOf({ status: 'open', acknowledgedBy: null }, 'tanaka')).toBe('now');
    expect(groupOf({ status: 'acknowledged', acknowledgedBy: 'tanaka' }, 'tanaka')).toBe('now');
    expect(groupOf({ status: 'acknowledged', acknowledgedBy: 'yamada' }, 'tanaka')).toBe('others');
    expect(groupOf({ status: 'auto_resolved', acknowledgedBy: null }, 'tanaka')).toBe('ended');
  });
});
