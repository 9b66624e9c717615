import type { Alert } from '@mimamori/contract';

/** An open alert as the store returns one, with the given fields changed. */
export function anAlert(fields: Partial<Alert> = {}): Alert {
  return {
    id: 'a_1',
    homeId: 'h1',
    residentId: 'r1',
    rule: 'checkin.concern',
    severity: 'warning',
    status: 'open',
    message: { ja: '佐藤 ハナさんの今日の答えは「体調が悪い」でした。', en: 'Hana Sato answered "unwell" today.' },
    openedAt: '2026-11-23T00:05:00Z',
    updatedAt: '2026-11-23T00:05:00Z',
    fireCount: 1,
    lastFiredAt: '2026-11-23T00:05:00Z',
    acknowledgedBy: null,
    acknowledgedByName: null,
    acknowledgedAt: null,
    resolvedAt: null,
    outcome: null,
    note: null,
    occurredAt: null,
    lateReport: false,
    incidentId: null,
    ...fields,
  };
}
