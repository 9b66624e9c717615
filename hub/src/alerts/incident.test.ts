import { describe, expect, it } from 'vitest';
import type { IncidentRole } from '../ports/index.js';
import { foldIncident, incidentsOf, type IncidentState } from './incident.js';

const HOUR = 3_600_000;
const ROLES: Record<string, IncidentRole | undefined> = {
  inactivity: 'leads',
  'inactivity.24h': 'leads',
  'silence.unusual': 'leads',
  'wake.late': 'leads',
  'device.offline': 'joins',
  sos: undefined,
};
const raise = (rule: string) => ({ kind: 'raise' as const, rule, role: ROLES[rule] });
const clear = (rule: string) => ({ kind: 'clear' as const, rule, role: ROLES[rule] });

/** Folds decisions from no incident; returns each step's kind and the state at the end. */
function steps(inputs: ReturnType<typeof raise | typeof clear>[]) {
  let state: IncidentState | undefined;
  const kinds: string[] = [];
  for (const input of inputs) {
    const folded = foldIncident(state, input);
    state = folded.state;
    kinds.push(folded.step.kind);
  }
  return { kinds, state };
}

describe('one incident per home (issue 18.4)', () => {
  it('folds the alerts of a fall into one incident that the first reason opens and the last one ends', () => {
    const { kinds, state } = steps([
      raise('silence.unusual'),
      raise('inactivity'),
      raise('wake.late'),
      raise('device.offline'),
      raise('inactivity'),
      clear('device.offline'),
      clear('silence.unusual'),
      clear('wake.late'),
      clear('inactivity'),
    ]);
    expect(kinds).toEqual([
      'open',
      'join',
      'join',
      'join',
      'join',
      'reason-over',
      'reason-over',
      'reason-over',
      'resolve',
    ]);
    expect(state).toBeUndefined();
  });

  it('lets an SOS break through as its own alert while an incident is open', () => {
    const { kinds, state } = steps([raise('inactivity'), raise('sos'), clear('sos')]);
    expect(kinds).toEqual(['open', 'alone', 'alone']);
    expect(state).toEqual({ lead: 'inactivity', open: ['inactivity'] });
  });

  it('keeps a device offline in a home that looks lived in an ordinary alert: it only joins an open incident', () => {
    expect(steps([raise('device.offline'), clear('device.offline')]).kinds).toEqual(['alone', 'alone']);
  });

  it('keeps the incident while its lead is over and another reason holds, and the lead may hold again', () => {
    const { kinds, state } = steps([
      raise('silence.unusual'),
      raise('inactivity'),
      clear('silence.unusual'),
      raise('silence.unusual'),
      clear('inactivity'),
    ]);
    expect(kinds).toEqual(['open', 'join', 'reason-over', 'join', 'reason-over']);
    expect(state).toEqual({ lead: 'silence.unusual', open: ['silence.unusual'] });
  });

  it('replays alerts into incidents: a clear and a raise at one instant are two incidents, an SOS its own', () => {
    const alert = (rule: string, openedAt: number, clearedAt: number | null) => ({
      rule,
      role: ROLES[rule],
      openedAt,
      clearedAt,
    });
    const incidents = incidentsOf([
      alert('inactivity', 8 * HOUR, 12 * HOUR),
      alert('silence.unusual', 6 * HOUR, 12 * HOUR),
      alert('sos', 7 * HOUR, 7.5 * HOUR),
      alert('wake.late', 12 * HOUR, null),
      alert('device.offline', 2 * HOUR, 3 * HOUR),
    ]);
    expect(incidents).toEqual([
      { lead: 'device.offline', openedAt: 2 * HOUR, clearedAt: 3 * HOUR, reasons: ['device.offline'] },
      { lead: 'silence.unusual', openedAt: 6 * HOUR, clearedAt: 12 * HOUR, reasons: ['silence.unusual', 'inactivity'] },
      { lead: 'sos', openedAt: 7 * HOUR, clearedAt: 7.5 * HOUR, reasons: ['sos'] },
      { lead: 'wake.late', openedAt: 12 * HOUR, clearedAt: null, reasons: ['wake.late'] },
    ]);
  });
});
