import { describe, expect, it } from 'vitest';
import { event, home, settings } from '../../testing/rule-fixtures.js';
import { evaluateSos } from './sos.js';

describe('sos rule', () => {
  it.each([
    [
      'button',
      'SOSボタンが押されました。至急、様子を確認してください。',
      'SOS raised by SOS button. Please check on the resident now.',
    ],
    [
      'voice',
      '声で助けを求めています。至急、様子を確認してください。',
      'SOS raised by voice. Please check on the resident now.',
    ],
    [
      'pendant',
      'ペンダントのSOSボタンが押されました。至急、様子を確認してください。',
      'SOS raised by pendant. Please check on the resident now.',
    ],
  ] as const)('raises a critical alert for an SOS by %s, naming the resident who pressed it', (via, ja, en) => {
    const sos = event('sos', '2026-11-23 03:00', { via, residentId: 'r2' });
    const { decisions } = evaluateSos(undefined, { kind: 'event', event: sos, home: home() }, settings('sos'), sos.ts);
    expect(decisions).toEqual([
      {
        kind: 'raise',
        homeId: 'home-1',
        residentId: 'r2',
        rule: 'sos',
        severity: 'critical',
        message: { ja, en },
        sourceEventSeq: sos.seq,
        occurredAt: sos.ts,
      },
    ]);
  });

  it('is critical whatever severity staff set, and names the home’s resident when the event does not', () => {
    const sos = event('sos', '2026-11-23 03:00', { via: 'button' });
    const { decisions } = evaluateSos(
      undefined,
      { kind: 'event', event: sos, home: home() },
      settings('sos', {}, { severity: 'info' }),
      sos.ts,
    );
    expect(decisions).toMatchObject([{ severity: 'critical', residentId: 'r1' }]);
  });

  it('ignores every other input', () => {
    const input = {
      kind: 'event',
      event: event('motion', '2026-11-23 03:00', { occupied: true }),
      home: home(),
    } as const;
    expect(evaluateSos(undefined, input, settings('sos'), 0).decisions).toEqual([]);
    expect(evaluateSos(undefined, { kind: 'tick', home: home() }, settings('sos'), 0).decisions).toEqual([]);
  });
});
