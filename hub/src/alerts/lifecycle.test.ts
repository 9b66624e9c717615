import { describe, expect, it } from 'vitest';
import { check, type AlertAction } from './lifecycle.js';

const ack = (by: string): AlertAction => ({ kind: 'acknowledge', by });
const resolve = (by: string): AlertAction => ({ kind: 'resolve', by });

describe('what may happen to an alert', () => {
  it.each([
    ['open', null, ack('sato'), { ok: true, repeat: false }],
    ['open', null, resolve('sato'), { ok: true, repeat: false }],
    ['acknowledged', 'sato', ack('sato'), { ok: true, repeat: true }],
    ['acknowledged', 'sato', ack('suzuki'), { ok: false, reason: 'sato has acknowledged it already' }],
    ['acknowledged', 'sato', resolve('suzuki'), { ok: true, repeat: false }],
    ['resolved', 'sato', ack('sato'), { ok: false, reason: 'the alert is resolved already' }],
    ['resolved', null, resolve('sato'), { ok: false, reason: 'the alert is resolved already' }],
    ['auto_resolved', null, ack('sato'), { ok: false, reason: 'the alert cleared by itself already' }],
  ] as const)('%s (acknowledged by %s): %j → %j', (status, acknowledgedBy, action, expected) => {
    expect(check({ status, acknowledgedBy }, action)).toEqual(expected);
  });
});

describe('giving a claim back ("行けなくなりました")', () => {
  const release = (by: string, onBehalf = false): AlertAction => ({ kind: 'release', by, onBehalf });
  it.each([
    ['acknowledged', 'sato', release('sato'), { ok: true, repeat: false }],
    ['acknowledged', 'sato', release('staff', true), { ok: true, repeat: false }],
    [
      'acknowledged',
      'sato',
      release('suzuki'),
      { ok: false, reason: 'sato has acknowledged it; only they can give it back' },
    ],
    ['open', null, release('sato'), { ok: false, reason: 'nobody has acknowledged the alert' }],
    ['resolved', 'sato', release('sato'), { ok: false, reason: 'the alert is resolved already' }],
  ] as const)('%s (acknowledged by %s): %j → %j', (status, acknowledgedBy, action, expected) => {
    expect(check({ status, acknowledgedBy }, action)).toEqual(expected);
  });
});
