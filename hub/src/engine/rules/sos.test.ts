import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../store/index.js';
import { evaluateSos } from './sos.js';

const base: StoredEvent = {
  seq: 7,
  homeId: 'home-1',
  deviceId: 'dev-1',
  eventId: 'e1',
  type: 'sos',
  ts: 0,
  receivedAt: 0,
  data: { via: 'button', residentId: 'r1' },
};

describe('sos rule', () => {
  it('raises a critical alert for the home and resident, in Japanese and English', () => {
    const { decisions } = evaluateSos(undefined, base, {}, 0);
    expect(decisions).toEqual([
      {
        kind: 'raise',
        homeId: 'home-1',
        residentId: 'r1',
        rule: 'sos',
        severity: 'critical',
        message: { ja: 'SOSボタンでSOSが発信されました。至急確認してください。', en: 'SOS raised by SOS button. Please check on the resident now.' },
        sourceEventSeq: 7,
      },
    ]);
  });

  it.each([
    ['voice', '音声'],
    ['pendant', 'ペンダント'],
  ])('names how the SOS was raised (%s)', (via, ja) => {
    const { decisions } = evaluateSos(undefined, { ...base, data: { via } }, {}, 0);
    expect(decisions[0]?.message.ja).toContain(ja);
    expect(decisions[0]?.residentId).toBeUndefined();
  });

  it('ignores every other event type', () => {
    for (const type of ['motion', 'door', 'checkin', 'heartbeat'] as const) {
      expect(evaluateSos(undefined, { ...base, type, data: {} }, {}, 0).decisions).toEqual([]);
    }
  });
});
